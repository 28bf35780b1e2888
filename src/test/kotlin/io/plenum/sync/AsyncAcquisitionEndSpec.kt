package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.lang.foreign.Arena
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * However an asynchronous acquisition ends before it gets its lock (cancelled, timed out with
 * orTimeout, failed by the caller), a stage that depends on it sees the lock as it is afterwards:
 * no partial hold left, no reactor wait still registered. And a timed-out write acquisition that
 * held the writer word while readers drained never keeps it.
 */
class AsyncAcquisitionEndSpec : FunSpec({
    val arena = Arena.ofShared()
    afterSpec { arena.close() }

    /** The three ways a caller ends a pending acquisition; each returns when it was applied. */
    val endings: Map<String, (CompletableFuture<LockResult>) -> Unit> = mapOf(
        "cancel" to { f -> f.cancel(false) shouldBe true },
        "orTimeout" to { f -> f.orTimeout(30, TimeUnit.MILLISECONDS) },
        "completeExceptionally" to { f -> f.completeExceptionally(IllegalStateException("given up")) shouldBe true },
    )

    /** What a stage run on completion of [future] saw: [state] of the lock, and whether it is still registered. */
    fun seen(future: CompletableFuture<LockResult>, state: () -> String): CompletableFuture<String> {
        val acquisition = future as AsyncAcquisition
        val result = CompletableFuture<String>()
        future.whenComplete { _, _ -> result.complete("${state()} registered ${acquisition.registered()}") }
        return result
    }

    for ((ending, end) in endings) {
        test("mutex, $ending: a dependent stage sees no registered wait") {
            val area = LockArea(arena)
            SharedMutex.initialize(area.memory, area.at(0))
            val mutex = SharedMutex.embedded(area.memory, area.at(0), area.owners)
            mutex.lockBlocking()
            val future = mutex.lockAsync()
            future.isDone shouldBe false
            val stage = seen(future) { "locked ${mutex.isLocked()}" }
            end(future)
            stage.get(10, TimeUnit.SECONDS) shouldBe "locked true registered false"
            mutex.unlock()
            mutex.isLocked() shouldBe false
        }

        test("rw-lock write waiting for a reader, $ending: a dependent stage sees the writer word free") {
            val area = LockArea(arena)
            SharedRwLock.initialize(area.memory, area.at(0), 8)
            val rw = SharedRwLock.embedded(area.memory, area.at(0), area.owners)
            rw.readLockBlocking()
            val future = rw.writeLockAsync()
            future.isDone shouldBe false
            rw.isWriteLocked() shouldBe true // it holds the writer word and waits for the reader
            val stage = seen(future) { "writeLocked ${rw.isWriteLocked()}" }
            end(future)
            stage.get(10, TimeUnit.SECONDS) shouldBe "writeLocked false registered false"
            rw.readUnlock()
        }

        test("rw-lock read waiting for a writer, $ending: a dependent stage sees no read hold and no registered wait") {
            val area = LockArea(arena)
            SharedRwLock.initialize(area.memory, area.at(0), 8)
            val rw = SharedRwLock.embedded(area.memory, area.at(0), area.owners)
            rw.writeLockBlocking()
            val future = rw.readLockAsync()
            future.isDone shouldBe false
            val stage = seen(future) { "readers ${rw.readHolds()}" }
            end(future)
            stage.get(10, TimeUnit.SECONDS) shouldBe "readers 0 registered false"
            rw.writeUnlock()
        }
    }

    test("a write acquisition timed out while it held the writer word lets the next writer in once the reader leaves") {
        val area = LockArea(arena)
        SharedRwLock.initialize(area.memory, area.at(0), 8)
        // A short recovery check, so that the reactor retries the timed-out acquisition soon (the
        // old code then found it done and returned, keeping the writer word).
        val rw = SharedRwLock.embedded(area.memory, area.at(0), area.owners, Duration.ofMillis(20))
        rw.readLockBlocking()
        val timedOut = rw.writeLockAsync().orTimeout(50, TimeUnit.MILLISECONDS)
        val outcome = timedOut.handle { _, failure -> failure?.javaClass?.simpleName }.get(10, TimeUnit.SECONDS)
        outcome shouldBe "TimeoutException"
        Thread.sleep(100) // let the reactor retry the dead acquisition a few times
        rw.readUnlock()
        // A writer on another thread must get in; 30 s is a deadlock guard only.
        val next = CompletableFuture.supplyAsync {
            val result = rw.tryWriteLock(Duration.ofSeconds(30))
            if (result.acquired()) rw.writeUnlock()
            result.acquired()
        }
        next.get(60, TimeUnit.SECONDS) shouldBe true
        rw.isWriteLocked() shouldBe false
    }
})
