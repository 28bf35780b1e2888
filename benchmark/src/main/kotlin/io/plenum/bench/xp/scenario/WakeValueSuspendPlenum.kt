package io.plenum.bench.xp.scenario

import io.plenum.bench.report.Row
import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPong
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.sync.Waiting
import io.plenum.value.awaitChange
import java.lang.foreign.MemorySegment
import java.nio.file.Path

/**
 * `plenum` column of `value.wake_suspending`: as `value.wake_blocking`, but the waiter is a
 * coroutine on a one-thread dispatcher suspended in [awaitChange] (the per-JVM Reactor watches the
 * value's change word).
 */
class WakeValueSuspendPlenum : PingPongScenario() {

    override fun row() = "value.wake_suspending"

    override fun column() = Row.PLENUM

    override fun setup(dir: Path) {
        super.setup(dir)
        WakeValuePlenum.createValues(dir)
    }

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff {
        val mine = WakeValuePlenum.valueFor(ctx, PingPong.inboxOffset(ctx.worker()))
        val theirs = WakeValuePlenum.valueFor(ctx, PingPong.inboxOffset(1 - ctx.worker()))
        return suspendingHandoff("value-dispatcher", { offset, value ->
            Waiting.set(memory, offset, value)
            theirs.set(value.toLong())
        }) { side ->
            while (true) {
                val version = mine.version()
                if (Waiting.value(memory, side.inbox()) != side.expected()) break
                mine.awaitChange(version)
            }
        }
    }
}
