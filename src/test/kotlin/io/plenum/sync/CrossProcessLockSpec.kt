package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.assertions.throwables.shouldThrow
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.useAll
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

class CrossProcessLockSpec : FunSpec({
    val paths = TempPaths("sync")
    afterSpec { paths.close() }

    for (kind in listOf("mutex", "write")) {
        test("4 JVMs x 4 threads x 100,000 increments of a plain counter under the $kind lock: the total is exact") {
            val lockPath = paths.next(kind)
            val counterPath = paths.next("counter")
            val lock: AutoCloseable = if (kind == "mutex") SharedMutex(Backing.file(lockPath)) { mode = OpenMode.CREATE_NEW }
            else SharedRwLock(Backing.file(lockPath)) { mode = OpenMode.CREATE_NEW }
            lock.use {
                TestCounters.open(Backing.file(counterPath), OpenMode.CREATE_NEW).use { counters ->
                    val started = System.nanoTime()
                    ChildJvm.startAll(4, IncrementUnderLock::class) { listOf(kind, lockPath, counterPath, 4, 100_000) }.useAll { children ->
                        children.forEach { it.awaitLine("DONE torn=0", timeout = 240.seconds) }
                        children.forEach { it.awaitSuccess() }
                    }
                    val seconds = (System.nanoTime() - started) / 1e9
                    println("[$kind] 1,600,000 locked increments in 4 JVMs took %.1f s".format(seconds))
                    val body = counters.header().bodyOffset()
                    counters.memory().plainLong(body) shouldBe 1_600_000L
                    counters.memory().plainLong(body + 8) shouldBe 1_600_000L
                }
            }
        }
    }

    /** Starts a child holding the lock, blocks [acquire] on another thread, kills the child; returns the result and ms from kill to acquisition. */
    fun <T> killHolderWhileWaiting(what: String, path: java.nio.file.Path, acquire: () -> T): Pair<T, Long> {
        ChildJvm.start(HoldAndSleep::class, what, path).use { child ->
            child.awaitLine("HELD")
            val waiter = CompletableFuture.supplyAsync { acquire() to System.nanoTime() }
            Thread.sleep(100)
            waiter.isDone shouldBe false
            val killed = System.nanoTime()
            child.kill9()
            val (result, acquiredAt) = waiter.get(10, TimeUnit.SECONDS)
            return result to (acquiredAt - killed) / 1_000_000
        }
    }

    test("kill -9 of a JVM holding the mutex: a waiting JVM recovers it, is told, and the mutex keeps working") {
        SharedMutex(Backing.file(paths.next("mutex"))) { mode = OpenMode.CREATE_NEW }.use { mutex ->
            val (result, millis) = killHolderWhileWaiting("mutex", mutex.segment()!!.path().get()) {
                mutex.lockBlocking().also { mutex.unlock() }
            }
            result shouldBe LockResult.RECOVERED
            println("acquired $millis ms after the kill (printed, not asserted)")
            mutex.recoveries() shouldBe 1
            mutex.guard().use { it.recovered() shouldBe false }
            mutex.tryLock() shouldBe LockResult.ACQUIRED
            mutex.unlock()
        }
    }

    test("kill -9 of a JVM holding the write lock: readers and writers get in, and are told") {
        SharedRwLock(Backing.file(paths.next("rw"))) { mode = OpenMode.CREATE_NEW }.use { lock ->
            val (result, millis) = killHolderWhileWaiting("write", lock.segment()!!.path().get()) {
                lock.readLockBlocking().also { lock.readUnlock() }
            }
            result shouldBe LockResult.RECOVERED
            println("acquired $millis ms after the kill (printed, not asserted)")
            lock.writeGuard().use { it.recovered() shouldBe false }
            lock.readGuard().use { it.recovered() shouldBe false }
            lock.recoveries() shouldBe 1
        }
        SharedRwLock(Backing.file(paths.next("rw"))) { mode = OpenMode.CREATE_NEW }.use { lock ->
            val (result, millis) = killHolderWhileWaiting("write", lock.segment()!!.path().get()) {
                lock.writeLockBlocking().also { lock.writeUnlock() }
            }
            result shouldBe LockResult.RECOVERED
            println("acquired $millis ms after the kill (printed, not asserted)")
        }
    }

    test("kill -9 of a JVM holding a read lock: a writer gets in and is told; the dead reader's hold is gone") {
        SharedRwLock(Backing.file(paths.next("rw"))) { mode = OpenMode.CREATE_NEW }.use { lock ->
            val (result, millis) = killHolderWhileWaiting("read", lock.segment()!!.path().get()) {
                lock.writeLockBlocking().also { lock.writeUnlock() }
            }
            result shouldBe LockResult.RECOVERED
            println("acquired $millis ms after the kill (printed, not asserted)")
            lock.readHolds() shouldBe 0
            lock.readGuard().use { }
            lock.writeGuard().use { it.recovered() shouldBe false }
        }
    }

    test("kill -9 of a seqlock writer mid-write: readers raise until a writer rewrites the data") {
        Seqlock(Backing.file(paths.next("seq"))) { mode = OpenMode.CREATE_NEW }.use { seqlock ->
            val (result, millis) = killHolderWhileWaiting("seqlock", seqlock.segment()!!.path().get()) {
                runCatching { seqlock.beginRead() }
            }
            result.exceptionOrNull()!!::class shouldBe OwnerDiedException::class
            println("acquired $millis ms after the kill (printed, not asserted)")
            seqlock.isTorn() shouldBe true
            shouldThrow<OwnerDiedException> { seqlock.read { 1 } }
            seqlock.writeGuard().use { it.recovered() shouldBe true }
            seqlock.isTorn() shouldBe false
            seqlock.read { 2 } shouldBe 2
        }
    }
})
