package io.plenum.bench.xp.scenario

import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPong
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.sync.Waiting
import java.lang.foreign.MemorySegment
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking

/**
 * `heap` column of `wake.suspend`: the same ping-pong by two threads of one JVM, each side a
 * coroutine on a one-thread dispatcher suspended in `MutableStateFlow.first { }` until its inbox
 * (a heap flow of the word's value) moves; the waker sets the flow's value after the bookkeeping
 * store. The floor of a coroutine woken from another thread: no shared memory, no reactor, no
 * syscall of Plenum's, only the dispatcher's own wake-up of its thread.
 */
class WakeSuspendHeap : PingPongScenario() {

    private val inboxes = arrayOf(MutableStateFlow(0), MutableStateFlow(0))

    override fun inOneJvm() = true

    override fun row() = "wake.suspend"

    override fun column() = "heap"

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff = object : Handoff {
        val mine = inboxes[ctx.worker()]
        val theirs = inboxes[1 - ctx.worker()]

        override fun signal(offset: Long, value: Int) {
            Waiting.set(memory, offset, value)
            theirs.value = value
        }

        override fun run(side: PingPong.Side) {
            val executor = Executors.newSingleThreadExecutor { task -> Thread(task, "heap-ping-pong-dispatcher") }
            try {
                runBlocking(executor.asCoroutineDispatcher()) {
                    side.start()
                    do {
                        val expected = side.expected()
                        mine.first { it != expected }
                    } while (side.received())
                }
            } finally {
                executor.shutdown()
            }
        }
    }
}
