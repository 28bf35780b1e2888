package io.plenum.bench.xp.scenario

import io.plenum.bench.xp.Handoff
import io.plenum.bench.xp.PingPongScenario
import io.plenum.bench.xp.WorkerContext
import io.plenum.sync.Waiting
import java.lang.foreign.MemorySegment
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first

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

    override fun handoff(ctx: WorkerContext, memory: MemorySegment): Handoff {
        val mine = inboxes[ctx.worker()]
        val theirs = inboxes[1 - ctx.worker()]
        return suspendingHandoff("heap-ping-pong-dispatcher", { offset, value ->
            Waiting.set(memory, offset, value)
            theirs.value = value
        }) { side ->
            val expected = side.expected()
            mine.first { it != expected }
        }
    }
}
