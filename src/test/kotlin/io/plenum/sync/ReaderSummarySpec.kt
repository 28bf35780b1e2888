package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.lang.foreign.ValueLayout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * The rw-lock's reader summary (`readersSeen`): set by readers, cleared only by a writer that finds
 * the slots empty, healed after a killed reader and after any corrupt value.
 */
class ReaderSummarySpec : FunSpec({
    val paths = TempPaths("summary")
    afterSpec { paths.close() }

    fun SharedRwLock.summary(): Int = memory().get(ValueLayout.JAVA_INT, readersSeenOffset())

    test("a read hold sets its entry's bit; it stays after the release; the next writer clears it") {
        SharedRwLock.open(LockOptions.of(Backing.file(paths.next("rw"))).withMode(OpenMode.CREATE_NEW)).use { lock ->
            lock.summary() shouldBe 0
            lock.readLockBlocking()
            val bit = 1 shl OwnerTable.indexOf(lockOwner(lock))
            lock.summary() shouldBe bit
            CompletableFuture.supplyAsync { lock.tryWriteLock() }.get(30, TimeUnit.SECONDS).acquired() shouldBe false
            lock.summary() shouldBe bit // the writer saw the hold and kept the bit
            lock.readUnlock()
            lock.summary() shouldBe bit
            lock.writeLockBlocking() shouldBe LockResult.ACQUIRED
            lock.summary() shouldBe 0
            lock.writeUnlock()
        }
    }

    test("a corrupt summary (every bit set, no reader) costs one scan: the first writer gets in and clears it") {
        SharedRwLock.open(LockOptions.of(Backing.file(paths.next("rw"))).withMode(OpenMode.CREATE_NEW)).use { lock ->
            lock.memory().set(ValueLayout.JAVA_INT, lock.readersSeenOffset(), -1)
            lock.tryWriteLock() shouldBe LockResult.ACQUIRED
            lock.summary() shouldBe 0
            lock.writeUnlock()
        }
    }

    test("kill -9 of a JVM holding a read lock: its bit is set, a writer recovers the hold, and the bit is cleared") {
        val path = paths.next("rw")
        SharedRwLock.open(LockOptions.of(Backing.file(path)).withMode(OpenMode.CREATE_NEW)).use { lock ->
            ChildJvm.start(HoldAndSleep::class, "read", path).use { child ->
                child.awaitLine("HELD")
                lock.summary() shouldNotBe 0
                val writer = CompletableFuture.supplyAsync { lock.writeLockBlocking().also { lock.writeUnlock() } }
                Thread.sleep(100)
                writer.isDone shouldBe false
                child.kill9()
                writer.get(30, TimeUnit.SECONDS) shouldBe LockResult.RECOVERED
            }
            lock.summary() shouldBe 0
            lock.writeLockBlocking() shouldBe LockResult.ACQUIRED
            lock.writeUnlock()
            lock.readGuard().use { lock.summary() shouldNotBe 0 }
        }
    }
})

private fun lockOwner(lock: SharedRwLock): Int = lock.writerWord().owners().currentOwner()
