package io.plenum.sync

import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import io.plenum.testing.TestCounters
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.time.Duration
import kotlin.concurrent.thread

/** Plain, non-atomic reads and writes: the lock under test is all that keeps them exact. */
internal fun MemorySegment.plainLong(offset: Long): Long = get(ValueLayout.JAVA_LONG, offset)
internal fun MemorySegment.setPlainLong(offset: Long, value: Long) = set(ValueLayout.JAVA_LONG, offset, value)

/**
 * args: lockKind (mutex | write), lockPath, counterPath, threads, iterations.
 * Each thread increments counter 0 and counter 1 of the counter segment, non-atomically, under the lock;
 * with "write", readers check under the read lock that the two are equal.
 */
object IncrementUnderLock : Scenario {
    override fun run(args: List<String>) {
        val (kind, lockPath, counterPath) = args
        val threads = args[3].toInt()
        val iterations = args[4].toInt()
        // A worker thread that dies must fail the child, not just leave the count short.
        Thread.setDefaultUncaughtExceptionHandler { thread, error ->
            println("SCENARIO FAILED: $thread: $error")
            error.printStackTrace(System.out)
            System.out.flush()
            Runtime.getRuntime().halt(3)
        }
        TestCounters.open(Backing.file(counterPath), OpenMode.OPEN_EXISTING).use { counters ->
            val memory = counters.memory()
            val a = counters.header().bodyOffset()
            val b = a + 8
            val torn = java.util.concurrent.atomic.AtomicLong()
            val workers = when (kind) {
                "mutex" -> SharedMutex(Backing.file(lockPath)) { mode = OpenMode.OPEN_EXISTING }.let { mutex ->
                    (0 until threads).map {
                        thread {
                            repeat(iterations) {
                                mutex.lockBlocking()
                                try {
                                    memory.setPlainLong(a, memory.plainLong(a) + 1)
                                    memory.setPlainLong(b, memory.plainLong(b) + 1)
                                } finally {
                                    mutex.unlock()
                                }
                            }
                        }
                    }
                }
                "write" -> SharedRwLock(Backing.file(lockPath)) { mode = OpenMode.OPEN_EXISTING }.let { lock ->
                    (0 until threads).map { index ->
                        thread {
                            repeat(iterations) { i ->
                                if (index == 0 && i % 16 == 0) {
                                    lock.readLockBlocking()
                                    try {
                                        if (memory.plainLong(a) != memory.plainLong(b)) torn.incrementAndGet()
                                    } finally {
                                        lock.readUnlock()
                                    }
                                }
                                lock.writeLockBlocking()
                                try {
                                    memory.setPlainLong(a, memory.plainLong(a) + 1)
                                    memory.setPlainLong(b, memory.plainLong(b) + 1)
                                } finally {
                                    lock.writeUnlock()
                                }
                            }
                        }
                    }
                }
                else -> error("unknown lock kind $kind")
            }
            workers.forEach { it.join() }
            println("DONE torn=${torn.get()}")
        }
    }
}

/**
 * args: what (mutex | write | read | seqlock), lockPath. Takes the lock (a seqlock: begins a write
 * and tears the data), prints HELD, and sleeps until killed.
 */
object HoldAndSleep : Scenario {
    override fun run(args: List<String>) {
        val (what, path) = args
        when (what) {
            "mutex" -> SharedMutex(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.lockBlocking()
            "write" -> SharedRwLock(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.writeLockBlocking()
            "read" -> SharedRwLock(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.readLockBlocking()
            "seqlock" -> Seqlock(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.beginWrite()
            else -> error("unknown lock kind $what")
        }
        println("HELD")
        Thread.sleep(Duration.ofMinutes(5))
    }
}
