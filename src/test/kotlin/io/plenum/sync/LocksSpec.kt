package io.plenum.sync

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.linux.Processes
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.TempPaths
import java.lang.foreign.Arena
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** A segment-like area: an owner table at 0 and room for locks after it. */
class LockArea(arena: Arena, entries: Int = 8) {
    val tableBytes = (OwnerTable.bytesFor(entries) + 63) and 63L.inv()
    val memory: MemorySegment = arena.allocate(tableBytes + 4096, 64)
    val owners: OwnerTable

    init {
        OwnerTable.initialize(memory, 0, entries)
        owners = OwnerTable(memory, 0, entries, "test area")
    }

    fun at(offset: Long) = tableBytes + offset
}

/** Runs [block] on a new thread, interrupts it after [delayMillis], and returns ms from interrupt to its end and what it threw. */
fun interruptAfter(delayMillis: Long, block: () -> Unit): Pair<Long, Throwable?> {
    val started = CountDownLatch(1)
    var thrown: Throwable? = null
    val ended = AtomicLong()
    val thread = Thread.ofPlatform().start {
        started.countDown()
        try {
            block()
        } catch (t: Throwable) {
            thrown = t
        }
        ended.set(System.nanoTime())
    }
    started.await()
    Thread.sleep(delayMillis)
    val interrupted = System.nanoTime()
    thread.interrupt()
    thread.join(5_000)
    return (ended.get() - interrupted) / 1_000_000 to thrown
}

class LocksSpec : FunSpec({
    val arena = Arena.ofShared()
    val paths = TempPaths("locks")
    afterSpec {
        arena.close()
        paths.close()
    }

    test("a wait returns when another thread changes the word, and times out otherwise") {
        val area = LockArea(arena)
        val word = area.at(0)
        Waiting.await(area.memory, word, 0, System.nanoTime() + 20_000_000) shouldBe false
        val waiter = CompletableFuture.supplyAsync { Waiting.await(area.memory, word, 0, Waiting.NO_DEADLINE) }
        // The waiter counts itself before it sleeps; wait for that (a deadlock guard, not a timing claim).
        val counted = System.nanoTime() + 30_000_000_000L
        while (Waiting.waiters(area.memory, word) != 1 && System.nanoTime() < counted) Thread.sleep(1)
        Waiting.waiters(area.memory, word) shouldBe 1
        Waiting.set(area.memory, word, 1)
        waiter.get(5, TimeUnit.SECONDS) shouldBe true
        Waiting.waiters(area.memory, word) shouldBe 0
    }

    test("a thread blocked in a wait ends with InterruptedException when interrupted") {
        val area = LockArea(arena)
        val (millis, thrown) = interruptAfter(200) { Waiting.await(area.memory, area.at(0), 0, Waiting.NO_DEADLINE) }
        (thrown is InterruptedException) shouldBe true
        println("interrupt took effect after $millis ms (printed, not asserted)")
    }

    test("a thread blocked on a held mutex, write lock or read lock ends with InterruptedException when interrupted") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        SharedRwLock.initialize(area.memory, area.at(64), 8)
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners)
        val rw = SharedRwLock.embedded(area.memory, area.at(64), area.owners)
        mutex.lockBlocking()
        rw.writeLockBlocking()
        for (attempt in listOf<() -> Unit>({ mutex.lockInterruptibly() }, { rw.readLockInterruptibly() },
            { mutex.tryLock(Duration.ofMinutes(1)) })) {
            val (millis, thrown) = interruptAfter(200, attempt)
            (thrown is InterruptedException) shouldBe true
            println("interrupt took effect after $millis ms (printed, not asserted)")
        }
        rw.writeUnlock()
        rw.readLockBlocking()
        val (millis, thrown) = interruptAfter(200) { rw.writeLockInterruptibly() }
        (thrown is InterruptedException) shouldBe true
        println("interrupt took effect after $millis ms (printed, not asserted)")
        rw.readUnlock()
        mutex.unlock()
        // The interrupted writer gave the writer word back.
        rw.tryWriteLock() shouldBe LockResult.ACQUIRED
        rw.writeUnlock()
    }

    test("locks are not reentrant: relocking from the holding thread throws instead of deadlocking") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        SharedRwLock.initialize(area.memory, area.at(64), 8)
        Seqlock.initialize(area.memory, area.at(32))
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners)
        val rw = SharedRwLock.embedded(area.memory, area.at(64), area.owners)
        val seq = Seqlock.embedded(area.memory, area.at(32), area.owners)
        mutex.lockBlocking()
        shouldThrow<IllegalStateException> { mutex.lockBlocking() }.message shouldContain "not reentrant"
        shouldThrow<IllegalStateException> { mutex.tryLock() }
        mutex.isHeldByCurrentThread() shouldBe true
        // Another thread of the same process waits, and may not unlock.
        CompletableFuture.supplyAsync { mutex.tryLock() }.get() shouldBe LockResult.NOT_ACQUIRED
        shouldThrow<java.util.concurrent.ExecutionException> { CompletableFuture.runAsync { mutex.unlock() }.get() }
            .cause!!::class shouldBe IllegalMonitorStateException::class
        mutex.unlock()
        shouldThrow<IllegalMonitorStateException> { mutex.unlock() }

        rw.readLockBlocking()
        shouldThrow<IllegalStateException> { rw.readLockBlocking() }
        shouldThrow<IllegalStateException> { rw.writeLockBlocking() }
        rw.readUnlock()
        rw.writeLockBlocking()
        shouldThrow<IllegalStateException> { rw.readLockBlocking() }
        shouldThrow<IllegalStateException> { rw.writeLockBlocking() }
        rw.writeUnlock()

        seq.beginWrite()
        shouldThrow<IllegalStateException> { seq.beginWrite() }
        seq.endWrite()
    }

    test("timed acquisitions give up at the deadline and leave the lock as it was") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        SharedRwLock.initialize(area.memory, area.at(64), 8)
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners)
        val rw = SharedRwLock.embedded(area.memory, area.at(64), area.owners)
        mutex.lockBlocking()
        CompletableFuture.supplyAsync { mutex.tryLock(Duration.ofMillis(50)) }.get() shouldBe LockResult.NOT_ACQUIRED
        mutex.unlock()
        mutex.isLocked() shouldBe false
        rw.readLockBlocking()
        CompletableFuture.supplyAsync { rw.tryWriteLock(Duration.ofMillis(50)) }.get() shouldBe LockResult.NOT_ACQUIRED
        rw.isWriteLocked() shouldBe false
        CompletableFuture.supplyAsync { rw.tryReadLock().also { if (it.acquired()) rw.readUnlock() } }.get() shouldBe LockResult.ACQUIRED
        rw.readUnlock()
        rw.readHolds() shouldBe 0
    }

    test("a holder recorded with this pid but another start time is dead: the next waiter recovers the mutex") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners, Duration.ofMillis(50))
        val impostor = area.memory.fakeEntry(5, 1, Processes.currentPid(), Processes.currentStartTime() - 1)
        area.memory.set(ValueLayout.JAVA_INT, area.at(0), impostor)
        mutex.isLocked() shouldBe true
        mutex.tryLock() shouldBe LockResult.NOT_ACQUIRED
        mutex.tryLock(Duration.ofSeconds(2)) shouldBe LockResult.RECOVERED
        mutex.recoveries() shouldBe 1
        mutex.unlock()
    }

    test("a holder in another pid namespace is not recovered, and explicit recovery says why") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners, Duration.ofMillis(20))
        val foreign = area.memory.fakeEntry(6, 1, 999_999, 1, Processes.currentPidNamespace() + 1)
        area.memory.set(ValueLayout.JAVA_INT, area.at(0), foreign)
        mutex.holderStatus() shouldBe OwnerTable.Status.FOREIGN_NAMESPACE
        mutex.tryLock(Duration.ofMillis(200)) shouldBe LockResult.NOT_ACQUIRED
        shouldThrow<ForeignOwnerException> { mutex.recoverIfDead() }.message shouldContain "namespace"
        mutex.isLocked() shouldBe true
    }

    test("a dead reader's hold, recorded under an old token of this process's own entry, is dropped when this process reads") {
        val area = LockArea(arena)
        SharedRwLock.initialize(area.memory, area.at(0), 8)
        val rw = SharedRwLock.embedded(area.memory, area.at(0), area.owners)
        val me = area.owners.currentOwner()
        val index = OwnerTable.indexOf(me)
        val slot = area.at(SharedRwLock.SLOTS_OFFSET + SharedRwLock.SLOT_SIZE * index)
        val oldToken = OwnerTable.token(index, (me ushr OwnerTable.INDEX_BITS) - 1)
        area.memory.set(ValueLayout.JAVA_LONG, slot, (oldToken.toLong() shl 32) or 3L)
        rw.readHolds() shouldBe 3
        rw.readGuard().use { rw.readHolds() shouldBe 1 }
        rw.readHolds() shouldBe 0
        rw.recoveries() shouldBe 1
    }

    test("Kotlin seqlock.write { } returns the block's value and runs it inside the write") {
        // Once shadowed by a Java member write(Runnable) that returned LockResult.ACQUIRED.
        val area = LockArea(arena)
        Seqlock.initialize(area.memory, area.at(0))
        val seq = Seqlock.embedded(area.memory, area.at(0), area.owners)
        val before = seq.sequence()
        var inside = -1
        val value: Int = seq.write { result ->
            result shouldBe LockResult.ACQUIRED
            inside = seq.sequence()
            42
        }
        value shouldBe 42
        (inside and 1) shouldBe 1 // odd: a write was in progress while the block ran
        seq.sequence() shouldBe before + 2
    }

    test("Kotlin lock verbs: withLock, read and write suspend; the Blocking forms block") {
        val area = LockArea(arena)
        SharedMutex.initialize(area.memory, area.at(0))
        SharedRwLock.initialize(area.memory, area.at(64), 8)
        val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners)
        val rw = SharedRwLock.embedded(area.memory, area.at(64), area.owners)
        mutex.withLockBlocking { mutex.isHeldByCurrentThread() } shouldBe true
        rw.readBlocking { rw.readHolds() } shouldBe 1
        rw.writeBlocking { rw.isWriteLockedByCurrentThread() } shouldBe true
        // One thread only (runBlocking's): had a verb blocked that thread while the lock was held,
        // the unlock below could never run and the test would hang instead of passing.
        mutex.lockBlocking()
        rw.writeLockBlocking()
        runBlocking {
            val order = mutableListOf<String>()
            val jobs = listOf(
                launch { mutex.withLock { order += "mutex" } },
                launch { rw.read { order += "read" } },
                launch { rw.write { order += "write" } },
            )
            delay(50)
            order shouldBe emptyList()
            mutex.unlock()
            rw.writeUnlock()
            jobs.joinAll()
            order.sorted() shouldBe listOf("mutex", "read", "write")
        }
        mutex.isLocked() shouldBe false
        rw.isWriteLocked() shouldBe false
        rw.readHolds() shouldBe 0
    }

    test("seqlock readers see consistent multi-word data while a writer thread updates it") {
        val area = LockArea(arena)
        Seqlock.initialize(area.memory, area.at(0))
        val seq = Seqlock.embedded(area.memory, area.at(0), area.owners)
        val data = area.at(64)
        val writer = Thread.ofPlatform().start {
            for (i in 1..20_000L) {
                seq.write {
                    for (k in 0 until 8) area.memory.set(ValueLayout.JAVA_LONG, data + 8 * k, i)
                }
            }
        }
        var reads = 0
        while (writer.isAlive || reads < 1000) {
            val values = seq.read { LongArray(8) { k -> area.memory.get(ValueLayout.JAVA_LONG, data + 8 * k) } }
            values.distinct().size shouldBe 1
            reads++
        }
        writer.join()
        seq.sequence() shouldBe 40_000
    }

    test("Kotlin: timed lock, readLock and writeLock never leave a hold behind when it is granted at the deadline") {
        // A holder releases around the waiter's 1 ms deadline; whatever lock(timeout) answers, the
        // lock is free once the waiter has released what it got.
        SharedMutex(Backing.file(paths.next("mutex"))).use { mutex ->
            SharedRwLock(Backing.file(paths.next("rw"))).use { rw ->
                runBlocking {
                    repeat(150) { round ->
                        mutex.lock()
                        val release = launch(kotlinx.coroutines.Dispatchers.Default) { delay((round % 3).toLong()); mutex.unlock() }
                        if (mutex.lock(kotlin.time.Duration.parse("1ms")).acquired()) mutex.unlock()
                        release.join()
                        rw.writeLock()
                        val writer = launch(kotlinx.coroutines.Dispatchers.Default) { delay((round % 3).toLong()); rw.writeUnlock() }
                        if (round % 2 == 0) {
                            if (rw.readLock(kotlin.time.Duration.parse("1ms")).acquired()) rw.readUnlock()
                        } else {
                            if (rw.writeLock(kotlin.time.Duration.parse("1ms")).acquired()) rw.writeUnlock()
                        }
                        writer.join()
                        io.plenum.pool.eventually("round $round leaves both locks free") {
                            !mutex.isLocked() && !rw.isWriteLocked() && rw.readHolds() == 0
                        }
                    }
                }
            }
        }
    }

    test("standalone locks reopen by path and reject a segment of another kind") {
        val path = paths.next("mutex")
        SharedMutex(Backing.file(path)) { mode = OpenMode.CREATE_NEW }.use { first ->
            SharedMutex(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }.use { second ->
                first.lockBlocking()
                second.isLocked() shouldBe true
                second.isHeldByThisProcess() shouldBe true
                first.unlock()
            }
        }
        shouldThrow<io.plenum.segment.SegmentFormatException> {
            SharedRwLock(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }
        }.message shouldContain "magic"
        val closed = SharedMutex(Backing.file(paths.next("mutex"))) { mode = OpenMode.CREATE_NEW }
        closed.close()
        shouldThrow<IllegalStateException> { closed.lockBlocking() }
    }
})
