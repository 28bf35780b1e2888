package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.counter
import io.plenum.testing.useAll
import kotlin.time.Duration.Companion.seconds

/**
 * Invariant stress for the lock state machines: every kind of acquisition (blocking, timed, try,
 * future, future cancelled at a random moment) from many threads of several JVMs at once; nothing
 * is ever inside a section it should not be, no pair is torn, and everything ends free.
 */
class LockStressSpec : FunSpec({
    val paths = TempPaths("stress")
    afterSpec { paths.close() }

    test("threads of one JVM and of 3 more JVMs: no invariant breaks, and the locks end free") {
        val rwPath = paths.next("rw")
        val mutexPath = paths.next("mutex")
        val counterPath = paths.next("counters")
        SharedRwLock(Backing.file(rwPath)) { mode = OpenMode.CREATE_NEW }.use { rw ->
            SharedMutex(Backing.file(mutexPath)) { mode = OpenMode.CREATE_NEW }.use { mutex ->
                TestCounters.open(Backing.file(counterPath), OpenMode.CREATE_NEW).use { counters ->
                    ChildJvm.startAll(3, LockStressScenario::class) { listOf(rwPath, mutexPath, counterPath, 3, 3_000) }.useAll { children ->
                        LockStress(rw, mutex, counters).run(3, 3_000)
                        children.forEach { it.awaitLine("DONE", timeout = 240.seconds) }
                        children.forEach { it.awaitSuccess() }
                    }
                    counters.counter(3) shouldBe 0L
                    counters.counter(0) shouldBe 0L
                    counters.counter(1) shouldBe 0L
                    counters.counter(2) shouldBe 0L
                    rw.isWriteLocked() shouldBe false
                    rw.readHolds() shouldBe 0
                    mutex.isLocked() shouldBe false
                    rw.recoveries() shouldBe 0
                    mutex.recoveries() shouldBe 0
                    println("stress: ${counters.counter(4)} write sections, ${counters.counter(6)} mutex sections")
                }
            }
        }
    }
})
