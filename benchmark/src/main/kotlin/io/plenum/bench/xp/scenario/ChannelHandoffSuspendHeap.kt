package io.plenum.bench.xp.scenario

import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.sync.Waiting
import java.lang.foreign.MemorySegment
import kotlinx.coroutines.channels.Channel

/**
 * `heap` column of `channel.I64.handoff_suspend`: the protocol of [ChannelHandoffSuspendPlenum] by
 * two coroutines of one JVM, each on a one-thread dispatcher of its own (so a wake crosses threads,
 * as in the Plenum column), each inbox a kotlinx [Channel] of the same capacity: the receiver
 * suspends in `receive`, the reply goes by `trySend`. What a suspending handoff costs without
 * shared memory or a reactor.
 */
class ChannelHandoffSuspendHeap : PingPongScenario() {

    private val inboxes = Array(2) { Channel<Long>(ChannelHandoffPlenum.CAPACITY) }

    override fun inOneJvm() = true

    override fun row() = "channel.I64.handoff_suspend"

    override fun column() = "heap"

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff {
        val mine = inboxes[ctx.worker()]
        val theirs = inboxes[1 - ctx.worker()]
        return suspendingHandoff("heap-channel-dispatcher", { offset, value ->
            Waiting.set(memory, offset, value)
            check(theirs.trySend(value.toLong()).isSuccess) { "${row()}: the peer's inbox channel is full" }
        }) { side ->
            ChannelHandoffPlenum.check(mine.receive(), memory, side.inbox(), side.expected())
        }
    }
}
