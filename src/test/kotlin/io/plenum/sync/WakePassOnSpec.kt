package io.plenum.sync

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.lang.foreign.Arena
import java.lang.foreign.ValueLayout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * A wake of one that reaches the reactor for a wait that is withdrawn at that moment is passed on:
 * another waiter of the word (here a thread sleeping in the kernel without a slice, as a process
 * of another JVM may) still gets it.
 */
class WakePassOnSpec : FunSpec({
    val arena = Arena.ofShared()
    afterSpec { arena.close() }

    test("the only reactor wait of a word is cancelled right as a wake of one arrives: the other sleeper still wakes") {
        val area = LockArea(arena)
        val word = area.at(0)
        val rounds = 300
        var stolen = 0
        for (round in 0 until rounds) {
            val value = Waiting.value(area.memory, word)
            // The reactor sleeps on the word first, so the kernel hands the next wake of one to it.
            val reactorWait = Reactor.shared().onChange(area.memory, word, value)
            eventually(10_000) { Waiting.waiters(area.memory, word) == 1 } shouldBe true
            Thread.sleep(2)
            // A waiter of the protocol that sleeps without slices: only a wake ends its sleep
            // before its 60 s timeout (which the guard below never waits for).
            val sleeper = CompletableFuture<Boolean>()
            Thread.ofPlatform().start {
                Waiting.sleep(area.memory, word, value, TimeUnit.SECONDS.toNanos(60))
                sleeper.complete(Waiting.value(area.memory, word) != value)
            }
            eventually(10_000) { Waiting.waiters(area.memory, word) == 2 } shouldBe true
            Thread.sleep(2)
            val wake = {
                area.memory.set(ValueLayout.JAVA_INT, word, value + 1)
                java.lang.invoke.VarHandle.fullFence()
                Waiting.wakeOne(area.memory, word)
            }
            // Both orders: withdrawn before the wake (the reactor thread, poked, is still queued on
            // the word and takes the wake), and right after it.
            if (round % 2 == 0) {
                reactorWait.cancel(false)
                wake()
            } else {
                wake()
                if (!reactorWait.cancel(false)) {
                    // Too late: the future completed, so this caller was told of the change and,
                    // not acting on it, passes the wake on (see WaitListener).
                    stolen++
                    Waiting.wakeOne(area.memory, word)
                }
            }
            // Deadlock guard: the sleeper wakes within microseconds when the wake reaches it.
            withClue("round $round") { sleeper.get(20, TimeUnit.SECONDS) shouldBe true }
            eventually(10_000) { Waiting.waiters(area.memory, word) == 0 } shouldBe true
        }
        println("odd rounds in which the future completed before the cancel: $stolen of ${rounds / 2}")
    }
})
