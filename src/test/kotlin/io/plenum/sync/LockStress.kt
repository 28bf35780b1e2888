package io.plenum.sync

import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.Segment
import io.plenum.testing.Scenario
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import io.plenum.testing.counter
import java.time.Duration
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlin.concurrent.thread

/**
 * Random operations on one rw-lock and one mutex, from [threads] threads, checking the lock
 * invariants through shared atomic counters in [counters] (so that several JVMs check each other):
 *
 *  - counter 0: writers inside the rw-lock's write section;  counter 1: readers inside its read section
 *  - counter 2: holders inside the mutex;  counter 3: violations seen
 *  - counters 4, 5: a plain pair written under the write lock / the mutex (never torn)
 *
 * Acquisitions are blocking, timed, try, asynchronous (future) and asynchronous-then-cancelled.
 */
class LockStress(private val rw: SharedRwLock, private val mutex: SharedMutex, private val counters: Segment) {
    private val memory = counters.memory()
    private val body = counters.header().bodyOffset()

    private fun violation(what: String) {
        counters.addCounter(3, 1)
        System.out.println("VIOLATION: $what")
    }

    private fun inWrite() {
        if (counters.addCounter(0, 1) != 0L) violation("two writers")
        if (counters.counter(1) != 0L) violation("reader inside while writing")
        val a = memory.plainLong(body + 32)
        memory.setPlainLong(body + 32, a + 1)
        memory.setPlainLong(body + 40, a + 1)
        counters.addCounter(0, -1)
    }

    private fun inRead() {
        counters.addCounter(1, 1)
        if (counters.counter(0) != 0L) violation("writer inside while reading")
        if (memory.plainLong(body + 32) != memory.plainLong(body + 40)) violation("torn pair under read lock")
        counters.addCounter(1, -1)
    }

    private fun inMutex() {
        if (counters.addCounter(2, 1) != 0L) violation("two mutex holders")
        val a = memory.plainLong(body + 48)
        memory.setPlainLong(body + 48, a + 1)
        counters.addCounter(2, -1)
    }

    fun run(threads: Int, operations: Int) {
        (0 until threads).map {
            thread {
                val random = ThreadLocalRandom.current()
                repeat(operations) {
                    when (random.nextInt(12)) {
                        0 -> { rw.writeLockBlocking(); try { inWrite() } finally { rw.writeUnlock() } }
                        1 -> { rw.readLockBlocking(); try { inRead() } finally { rw.readUnlock() } }
                        2 -> if (rw.tryWriteLock(Duration.ofMillis(1)).acquired()) try { inWrite() } finally { rw.writeUnlock() }
                        3 -> if (rw.tryReadLock(Duration.ofMillis(1)).acquired()) try { inRead() } finally { rw.readUnlock() }
                        4 -> if (rw.tryWriteLock().acquired()) try { inWrite() } finally { rw.writeUnlock() }
                        5 -> if (rw.tryReadLock().acquired()) try { inRead() } finally { rw.readUnlock() }
                        6 -> { rw.writeLockAsync().get(30, TimeUnit.SECONDS); try { inWrite() } finally { rw.writeUnlock() } }
                        7 -> { rw.readLockAsync().get(30, TimeUnit.SECONDS); try { inRead() } finally { rw.releaseRead() } }
                        8 -> cancelled(rw.writeLockAsync(), random) { try { inWrite() } finally { rw.writeUnlock() } }
                        9 -> { mutex.lockBlocking(); try { inMutex() } finally { mutex.unlock() } }
                        10 -> { mutex.lockAsync().get(30, TimeUnit.SECONDS); try { inMutex() } finally { mutex.unlock() } }
                        11 -> cancelled(mutex.lockAsync(), random) { try { inMutex() } finally { mutex.unlock() } }
                    }
                }
            }
        }.forEach { it.join() }
    }

    /** Waits a random moment, then cancels; if the acquisition won the race, runs [held] (which releases). */
    private fun cancelled(future: java.util.concurrent.CompletableFuture<LockResult>, random: ThreadLocalRandom, held: () -> Unit) {
        try {
            future.get(random.nextLong(0, 200), TimeUnit.MICROSECONDS)
        } catch (_: TimeoutException) {
        } catch (_: java.util.concurrent.CancellationException) {
        }
        if (!future.cancel(false) && !future.isCancelled) {
            future.get()
            held()
        }
    }
}

/** args: rwPath, mutexPath, counterPath, threads, operations. Runs [LockStress], prints DONE. */
object LockStressScenario : Scenario {
    override fun run(args: List<String>) {
        SharedRwLock(Backing.file(args[0])) { mode = OpenMode.OPEN_EXISTING }.use { rw ->
            SharedMutex(Backing.file(args[1])) { mode = OpenMode.OPEN_EXISTING }.use { mutex ->
                TestCounters.open(Backing.file(args[2]), OpenMode.OPEN_EXISTING).use { counters ->
                    LockStress(rw, mutex, counters).run(args[3].toInt(), args[4].toInt())
                    println("DONE")
                }
            }
        }
    }
}
