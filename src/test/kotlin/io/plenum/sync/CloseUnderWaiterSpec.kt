package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.array.ArrayOptions
import io.plenum.array.SharedLongArray
import io.plenum.codec.Codecs
import io.plenum.map.MapOptions
import io.plenum.map.SharedMap
import io.plenum.pool.PoolOptions
import io.plenum.pool.SharedLongPool
import io.plenum.testing.TempPaths
import io.plenum.pool.allocBlocking
import io.plenum.value.SharedValue
import io.plenum.value.lockBlocking
import io.plenum.value.ValueOptions
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * A handle closed by one thread while another of its threads waits in a blocking call: the waiter
 * ends with IllegalStateException naming the structure's path and "closed", as any use after close
 * does, never the JDK's bare "Already closed" or a wait that does not end. (The channel's case is in
 * ChannelWaiterCountSpec.) A close that wins the race with the wait must fail the call the same way,
 * so the test holds whichever comes first.
 */
class CloseUnderWaiterSpec : FunSpec({
    val paths = TempPaths("close-under-waiter")
    afterSpec { paths.close() }

    fun closeUnder(path: String, closing: AutoCloseable, wait: () -> Any?) {
        val failure = CompletableFuture<Throwable?>()
        val thread = Thread { failure.complete(runCatching(wait).exceptionOrNull()) }
        thread.start()
        Thread.sleep(200) // let it reach its sleep
        closing.close()
        val error = failure.get(30, TimeUnit.SECONDS)
        thread.join()
        (error?.javaClass) shouldBe IllegalStateException::class.java
        error!!.message shouldContain path
        error.message shouldContain "closed"
    }

    test("pool: alloc() on a full pool") {
        val path = paths.next().toString()
        SharedLongPool.open(PoolOptions.of(path).withCapacity(1)).use { other ->
            other.allocBlocking()
            val closing = SharedLongPool.open(PoolOptions.of(path))
            closeUnder(path, closing) { closing.allocBlocking() }
        }
    }

    test("mutex: lock() while another handle holds it") {
        val path = paths.next().toString()
        SharedMutex.open(LockOptions.of(path)).use { other ->
            other.lockBlocking()
            val closing = SharedMutex.open(LockOptions.of(path))
            closeUnder(path, closing) { closing.lockBlocking() }
            other.unlock()
        }
    }

    test("rwlock: readLock() and writeLock() while another handle writes") {
        for (write in listOf(false, true)) {
            val path = paths.next().toString()
            SharedRwLock.open(LockOptions.of(path)).use { other ->
                other.writeLockBlocking()
                val closing = SharedRwLock.open(LockOptions.of(path))
                closeUnder(path, closing) { if (write) closing.writeLockBlocking() else closing.readLockBlocking() }
                other.writeUnlock()
            }
        }
    }

    test("seqlock: beginWrite() while another handle writes") {
        val path = paths.next().toString()
        Seqlock.open(LockOptions.of(path)).use { other ->
            other.beginWrite()
            val closing = Seqlock.open(LockOptions.of(path))
            closeUnder(path, closing) { closing.beginWrite() }
            other.endWrite()
        }
    }

    test("array: writeLock() and readLock() while another handle writes") {
        for (write in listOf(false, true)) {
            val path = paths.next().toString()
            SharedLongArray.open(ArrayOptions.of(path).withCapacity(4)).use { other ->
                other.writeLock().use {
                    val closing = SharedLongArray.open(ArrayOptions.of(path))
                    closeUnder(path, closing) { if (write) closing.writeLock() else closing.readLock() }
                }
            }
        }
    }

    test("value: waitForChange() and lock() while another handle holds the lock") {
        val path = paths.next().toString()
        SharedValue.open(Codecs.LONG, ValueOptions.of(path)).use { other ->
            val version = other.set(1L)
            val waiting = SharedValue.open(Codecs.LONG, ValueOptions.of(path))
            closeUnder(path, waiting) { waiting.waitForChange(version) }
            other.lockBlocking().use {
                val locking = SharedValue.open(Codecs.LONG, ValueOptions.of(path))
                closeUnder(path, locking) { locking.lockBlocking() }
            }
        }
    }

    test("map: waitForChange() of a key") {
        val path = paths.next().toString()
        SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(path)).use { other ->
            other.put("k", 1L)
            val closing = SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(path))
            closeUnder(path, closing) { closing.waitForChange("k", 1L) }
        }
    }
})
