package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import java.time.Duration

/**
 * `multiWaiters` (frees wake everyone while it is non-zero) left too high by killed waiters heals
 * itself: the next waiter's recovery scan takes the dead processes' counts out, never a live one's.
 */
class PoolWaiterHealingSpec : FunSpec({
    val paths = TempPaths("pool-waiter-healing")
    afterSpec { paths.close() }

    for (mode in listOf("blocking", "async")) {
        test("a $mode multi-slot waiter killed by kill -9 leaves multiWaiters too high only until the next waiter's recovery scan") {
            val path = paths.next().toString()
            SharedLongPool(path) { capacity = 2 }.use { pool ->
                val held = pool.tryAllocN(2)!!
                List(2) { ChildJvm.start(WaitForSlots::class, path, 2, mode) }.useAll { (doomed, survivor) ->
                    doomed.awaitLine("WAITING")
                    survivor.awaitLine("WAITING")
                    pool.multiWaiters() shouldBe 2
                    doomed.kill9()
                    doomed.awaitExit()
                    pool.multiWaiters() shouldBe 2
                    // Any waiter on the full pool heals at its first recovery scan; this one times out.
                    pool.alloc(Duration.ofMillis(200)) shouldBe null
                    pool.multiWaiters() shouldBe 1 // the survivor still waits and stays counted
                    pool.recoverStale() shouldBe 0
                    pool.multiWaiters() shouldBe 1
                    survivor.kill9()
                    survivor.awaitExit()
                    pool.recoverStale() shouldBe 0
                    pool.multiWaiters() shouldBe 0
                }
                pool.freeN(*held) shouldBe 2
            }
        }
    }
})
