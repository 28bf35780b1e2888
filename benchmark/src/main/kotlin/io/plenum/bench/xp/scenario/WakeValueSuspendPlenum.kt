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
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.runBlocking

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
        return object : Handoff {
            override fun signal(offset: Long, value: Int) {
                Waiting.set(memory, offset, value)
                theirs.set(value.toLong())
            }

            override fun run(side: PingPong.Side) {
                val executor = Executors.newSingleThreadExecutor { task -> Thread(task, "value-dispatcher") }
                try {
                    runBlocking(executor.asCoroutineDispatcher()) {
                        side.start()
                        do {
                            while (true) {
                                val version = mine.version()
                                if (Waiting.value(memory, side.inbox()) != side.expected()) break
                                mine.awaitChange(version)
                            }
                        } while (side.received())
                    }
                } finally {
                    executor.shutdown()
                }
            }
        }
    }
}
