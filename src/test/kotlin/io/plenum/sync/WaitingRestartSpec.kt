package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import java.lang.foreign.Arena
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.concurrent.thread

/**
 * [Waiting.restartCount]: a count restarted under waiters that come and go stays exact. Waiters
 * counted before a restart never take a newer waiter's count when they leave (their epoch is
 * gone), so the count neither drifts up nor wraps below zero, and ends at 0.
 */
class WaitingRestartSpec : FunSpec({
    test("restarts racing with waiters leave the count exact: never above the live waiters, 0 at the end") {
        Arena.ofShared().use { arena ->
            val memory = arena.allocate(Waiting.SIZE, 8)
            val threads = 4
            val done = AtomicBoolean()
            val started = CountDownLatch(threads)
            val waiters = List(threads) {
                thread(name = "waiter-$it") {
                    started.countDown()
                    repeat(2_000) {
                        Waiting.sleep(memory, 0, Waiting.value(memory, 0), 200_000L)
                    }
                }
            }
            started.await()
            var restarts = 0
            var highest = 0
            val restarter = thread(name = "restarter") {
                while (!done.get()) {
                    highest = maxOf(highest, Waiting.waiters(memory, 0))
                    if (Waiting.restartCount(memory, 0) != 0) {
                        restarts++
                        Waiting.add(memory, 0, 1)
                        Waiting.wakeAllNow(memory, 0)
                    }
                    Thread.onSpinWait()
                }
            }
            waiters.forEach { it.join(TimeUnit.MINUTES.toMillis(2)) }
            done.set(true)
            restarter.join()
            waiters.forEach { it.isAlive shouldBe false }
            println("restarts: $restarts, highest count seen: $highest")
            highest shouldBeLessThanOrEqual threads
            Waiting.waiters(memory, 0) shouldBe 0
        }
    }

    test("a count-out after a restart is a no-op; a waiter counted after it is counted out normally") {
        Arena.ofShared().use { arena ->
            val memory = arena.allocate(Waiting.SIZE, 8)
            val old = Waiting.countIn(memory, 0)
            Waiting.countIn(memory, 0)
            Waiting.restartCount(memory, 0) shouldBe 2
            Waiting.waiters(memory, 0) shouldBe 0
            Waiting.restartCount(memory, 0) shouldBe 0 // nothing to restart: the epoch stays
            val fresh = Waiting.countIn(memory, 0)
            Waiting.countOut(memory, 0, old) // the old epoch's waiter leaves: not the new one's count
            Waiting.waiters(memory, 0) shouldBe 1
            Waiting.stillCounted(memory, 0, old) shouldBe false
            Waiting.stillCounted(memory, 0, fresh) shouldBe true
            Waiting.countOut(memory, 0, fresh)
            Waiting.waiters(memory, 0) shouldBe 0
            Waiting.countOut(memory, 0, fresh) // never below zero
            Waiting.waiters(memory, 0) shouldBe 0
        }
    }
})
