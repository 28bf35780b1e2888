package io.plenum.bench.xp.scenario

import io.plenum.bench.report.Row
import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.channel.receive
import io.plenum.sync.Waiting
import java.lang.foreign.MemorySegment
import java.nio.file.Path

/**
 * `plenum` column of `channel.I64.handoff_suspend`: as `channel.I64.handoff_block`, but the
 * receiver is a coroutine on a one-thread dispatcher suspended in [receive] (the per-JVM Reactor
 * watches the channel's `notEmpty` word). The reply is sent with `tryOfferLong`: one message is in
 * flight at a time, so it never finds the channel full.
 */
class ChannelHandoffSuspendPlenum : PingPongScenario() {

    override fun row() = "channel.I64.handoff_suspend"

    override fun column() = Row.PLENUM

    override fun setup(dir: Path) {
        super.setup(dir)
        ChannelHandoffPlenum.createChannels(dir)
    }

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff {
        val mine = ChannelHandoffPlenum.inbox(ctx, ctx.worker())
        val theirs = ChannelHandoffPlenum.inbox(ctx, 1 - ctx.worker())
        return suspendingHandoff("channel-dispatcher", { offset, value ->
            Waiting.set(memory, offset, value)
            check(theirs.tryOfferLong(value.toLong())) { "${row()}: the peer's inbox channel is full" }
        }) { side ->
            ChannelHandoffPlenum.check(mine.receive(), memory, side.inbox(), side.expected())
        }
    }
}
