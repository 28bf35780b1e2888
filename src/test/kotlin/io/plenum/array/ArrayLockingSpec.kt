package io.plenum.array

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.sync.EventNotifier
import io.plenum.testing.TempPaths
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.flow.first
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

class ArrayLockingSpec : FunSpec({
    val paths = TempPaths("array-locking")
    afterSpec { paths.close() }

    test("bulk operations inside a held write lock use it instead of deadlocking") {
        SharedLongArray(paths.next().toString()) { capacity = 8 }.use { array ->
            val total = array.write {
                array.fill(3)
                array.copyFrom(0, longArrayOf(1, 2))
                array.addRange(2, longArrayOf(10))
                array.clear(7, 1)
                array.slice(0, 8).sum() // a bulk read inside the batch sees the batch's writes
            }
            total shouldBe 1 + 2 + 13 + 3 * 4
            array.slice(0, 8).toList() shouldBe listOf(1L, 2L, 13L, 3L, 3L, 3L, 3L, 0L)
        }
    }

    test("locks are not reentrant and a read lock is never upgraded: errors, not deadlocks") {
        SharedIntArray(paths.next().toString()) { capacity = 4 }.use { array ->
            array.writeLock().use {
                shouldThrow<IllegalStateException> { array.writeLock() }
                shouldThrow<IllegalStateException> { array.readLock() }
            }
            array.read {
                array.slice(0, 4).toList() shouldBe listOf(0, 0, 0, 0) // bulk reads are fine
                shouldThrow<IllegalStateException> { array.fill(1) }
                shouldThrow<IllegalStateException> { array.writeLock() }
            }
            array.fill(2) // everything was released
            array.slice(0, 4).toList() shouldBe listOf(2, 2, 2, 2)
            val guard = array.writeLock()
            guard.recovered() shouldBe false
            guard.close()
            guard.close() // idempotent
        }
    }

    test("a write lock held by one thread keeps other threads' bulk writers and readers out") {
        SharedLongArray(paths.next().toString()) { capacity = 4 }.use { array ->
            val guard = array.writeLock()
            val failures = ConcurrentLinkedQueue<Throwable>()
            val other = Thread.ofPlatform().start {
                try {
                    array.tryWriteLock(Duration.ofMillis(50)) shouldBe null
                    array.tryReadLock(Duration.ofMillis(50)) shouldBe null
                    array.slice(0, 4).toList() shouldBe listOf(9L, 9L, 9L, 9L) // waits for the batch
                } catch (t: Throwable) {
                    failures += t
                }
            }
            Thread.sleep(200)
            array.fill(9)
            guard.close()
            other.join(10_000)
            other.isAlive shouldBe false
            failures.shouldBeEmpty()
        }
    }

    test("threads: bulk readers never see a mix of two bulk writes, strings never torn") {
        val numbers = SharedLongArray(paths.next().toString()) { capacity = 256 }
        val strings = SharedStringArray(paths.next().toString()) { capacity = 4; maxLength = 40 }
        numbers.use {
            strings.use {
                val stop = AtomicBoolean()
                val started = CountDownLatch(2)
                val writers = (1..2).map { writer ->
                    Thread.ofPlatform().start {
                        started.countDown()
                        var k = writer.toLong()
                        while (!stop.get()) {
                            numbers.fill(k)
                            strings.set((k % 4).toInt(), sample(k))
                            k += 2
                        }
                    }
                }
                started.await(10, TimeUnit.SECONDS)
                repeat(5_000) {
                    val slice = numbers.slice(0, 256)
                    slice.all { it == slice[0] } shouldBe true
                    checkSample(strings.get(it % 4))
                }
                repeat(1_000) {
                    strings.slice(0, 4).forEach(::checkSample)
                    val raw = numbers.getRaw(0, 256)
                    raw.toList().chunked(8).distinct().size shouldBe 1
                }
                stop.set(true)
                writers.forEach { it.join(10_000) }
            }
        }
    }

    test("eventfd: made on first use, replaced by a given one, closed with the array") {
        val array = SharedLongArray(paths.next().toString()) { capacity = 2 }
        array.signalEventfd() shouldBe false // none yet: nobody can be waiting on it
        array.consumeEventfd() shouldBe 0
        val first = array.eventfd()
        array.eventfd() shouldBe first
        array.signalEventfd() shouldBe true
        val second = EventNotifier.attach(first.fd()) // a duplicate of the same eventfd replaces the first
        array.useEventfd(second)
        shouldThrow<IllegalStateException> { first.fd() }
        array.consumeEventfd() shouldBe 1
        array.signalEventfd() shouldBe true
        array.signalEventfd() shouldBe true
        runBlocking { withTimeout(10.seconds) { array.notifications().first() } } shouldBe 2
        array.close()
        shouldThrow<IllegalStateException> { second.fd() }
        shouldThrow<IllegalStateException> { array.eventfd() }
        val late = EventNotifier.create()
        shouldThrow<IllegalStateException> { array.useEventfd(late) }
        late.isClosed shouldBe true // a closed array does not leak what it was given
    }

    test("unsigned Kotlin views share the Java array's locks through raw") {
        SharedUIntArray(paths.next().toString()) { capacity = 3 }.use { ids ->
            ids.raw.write { ids.fill(7u) }
            ids.raw.read { ids[2] } shouldBe 7u
        }
    }
}) {
    companion object {
        /** A string whose every character and whose length are derived from [k]: a torn one fails [checkSample]. */
        fun sample(k: Long): String = ('a' + (k % 26).toInt()).toString().repeat(1 + ((k / 26) % 40).toInt())

        fun checkSample(value: String) {
            if (value.isEmpty()) return
            value.all { it == value[0] } shouldBe true
            require(value[0] in 'a'..'z') { "torn string: $value" }
        }
    }
}
