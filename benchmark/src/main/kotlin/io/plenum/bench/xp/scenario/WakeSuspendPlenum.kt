package io.plenum.bench.xp.scenario

import io.plenum.bench.report.Row
import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.sync.Waiting
import io.plenum.sync.awaitWordChange
import java.lang.foreign.MemorySegment

/**
 * `plenum` column of `wake.suspend`: each side is a coroutine on a single-threaded dispatcher
 * (a one-thread executor, as a service would give it), suspended in [awaitWordChange] while the
 * per-JVM Reactor watches the word; the waker uses [Waiting.set], which finds the Reactor counted
 * as a waiter and wakes it. One message's time is the waker's store and wake, the Reactor thread's
 * futex_waitv wake-up, and the dispatch of the continuation to the dispatcher thread.
 */
class WakeSuspendPlenum : PingPongScenario() {

    override fun row() = "wake.suspend"

    override fun column() = Row.PLENUM

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff =
        suspendingHandoff("ping-pong-dispatcher", { offset, value -> Waiting.set(memory, offset, value) }) { side ->
            awaitWordChange(memory, side.inbox(), side.expected())
        }
}
