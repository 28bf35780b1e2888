package io.plenum.sync

import io.kotest.assertions.throwables.shouldThrow
import io.plenum.pool.PoolOptions
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.plenum.array.SharedLongArray
import io.plenum.pool.SharedLongPool
import io.plenum.pool.notifications
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.TempPaths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/** The failure a future completed with, waiting at most 10 s (a deadlock guard). */
internal fun CompletableFuture<*>.failure(): Throwable =
    shouldThrow<ExecutionException> { get(10, TimeUnit.SECONDS) }.cause!!

/**
 * Closing a structure ends its waits and flows (see [Reactor], "Closing"), and eventfd waits belong
 * to the notifier, not to its fd number.
 */
class ReactorClosingSpec : FunSpec({
    val paths = TempPaths("reactor-closing")
    afterSpec { paths.close() }

    test("closing a notifier fails its pending waits, and a new notifier with the same fd number is served") {
        var sameNumber = 0
        repeat(20) {
            val old = EventNotifier.create()
            val number = old.fd()
            val future = old.onSignal()
            val told = CompletableFuture<RuntimeException?>()
            old.watch { _, failure -> told.complete(failure) }
            val suspended = CompletableFuture<Throwable>()
            runBlocking {
                val job = launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
                    try {
                        old.awaitSignal()
                    } catch (e: Throwable) {
                        suspended.complete(e)
                    }
                }
                old.close()
                future.failure().shouldBeInstanceOf<IllegalStateException>().message shouldContain "eventfd $number was closed"
                told.get(10, TimeUnit.SECONDS).shouldBeInstanceOf<IllegalStateException>()
                withTimeout(10.seconds) { job.join() }
                suspended.getNow(null).shouldBeInstanceOf<IllegalStateException>()
            }
            shouldThrow<IllegalStateException> { old.onSignal() }
            Reactor.shared().pendingFdWaits() shouldBe 0

            EventNotifier.create().use { fresh ->
                if (fresh.fd() == number) sameNumber++
                val ready = fresh.onSignal()
                fresh.signal()
                ready.get(10, TimeUnit.SECONDS)
                fresh.consume() shouldBe 1
            }
        }
        println("rounds where the new notifier got the closed one's fd number: $sameNumber of 20")
        sameNumber shouldBeGreaterThan 0
    }

    test("a coroutine collecting pool.notifications() ends when the pool is closed, and a pending allocAsync fails") {
        val pool = SharedLongPool.open(PoolOptions.of(Backing.anonymous()).withMode(OpenMode.CREATE_NEW).withCapacity(1))
        pool.tryAlloc() shouldBe 0
        val pending = pool.allocAsync()
        val received = Channel<Long>(Channel.UNLIMITED)
        val notifications = pool.notifications()
        runBlocking {
            val collector = async(Dispatchers.Default) {
                notifications.collect { received.send(it) }
                "ended"
            }
            pool.signalEventfd() shouldBe true
            withTimeout(10.seconds) { received.receive() } shouldBe 1
            pool.close()
            withTimeout(10.seconds) { collector.await() } shouldBe "ended"
        }
        pending.failure().shouldBeInstanceOf<IllegalStateException>().message shouldContain "the pool was closed"
        Reactor.shared().pendingFdWaits() shouldBe 0
    }

    test("closing an array ends the signals() flow of its eventfd") {
        val array = SharedLongArray.open(Backing.anonymous(), 4)
        val notifier = array.eventfd()
        runBlocking {
            val collector = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
                notifier.signals().collect { }
                "ended"
            }
            array.close()
            withTimeout(10.seconds) { collector.await() } shouldBe "ended"
        }
    }

    test("closing a lock's segment fails a pending write acquisition promptly and gives back its writer word") {
        val path = paths.next("rw")
        SharedRwLock(Backing.file(path)) { mode = OpenMode.CREATE_NEW }.use { reader ->
            reader.readLockBlocking()
            val writer = SharedRwLock(Backing.file(path)) { mode = OpenMode.OPEN_EXISTING }
            val acquisition = writer.writeLockAsync()
            // The acquisition holds the writer word and waits for the reader to leave.
            eventually(10_000) { reader.isWriteLocked() } shouldBe true
            writer.close()
            acquisition.failure().shouldBeInstanceOf<IllegalStateException>().message shouldContain "was closed"
            reader.isWriteLocked() shouldBe false
            reader.readUnlock()
        }
    }

    test("a word of a segment closed and reopened at the same address is a new word: its wait is served") {
        val path = paths.next("words")
        var sameAddress = 0
        io.plenum.testing.TestCounters.open(Backing.file(path), OpenMode.CREATE_NEW, capacity = 10).use { bumper ->
            val word = bumper.header().bodyOffset()
            repeat(20) {
                // The bumper's mapping stays; the watched one is closed and mapped again each round.
                val first = io.plenum.testing.TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING, capacity = 10)
                val value = Waiting.value(first.memory(), word)
                val old = Reactor.shared().onChange(first.memory(), word, value)
                val address = first.memory().address()
                first.close()
                // At once, before anything else makes the reactor look at its words again.
                val again = io.plenum.testing.TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING, capacity = 10)
                if (again.memory().address() == address) sameAddress++
                val fresh = Reactor.shared().onChange(again.memory(), word, value)
                Waiting.add(bumper.memory(), word, 1)
                fresh.get(10, TimeUnit.SECONDS)
                old.failure().shouldBeInstanceOf<IllegalStateException>().message shouldContain "was closed"
                again.close()
            }
        }
        println("rounds where the reopened segment got the closed one's address: $sameAddress of 20")
        sameAddress shouldBeGreaterThan 0
    }

    test("a pool closed with a pending allocAsync and reopened at the same address: a free from a third handle serves the new request") {
        val path = paths.next("pool")
        var sameAddress = 0
        SharedLongPool.open(PoolOptions.of(Backing.file(path)).withMode(OpenMode.CREATE_NEW).withCapacity(1)).use { third ->
            val held = third.tryAlloc()!!
            // The old word's entry lived only until the reactor next looked (the close pokes it), so
            // a request joined it about 1 round in 20: 200 rounds make that near certain.
            repeat(200) {
                val first = SharedLongPool.open(PoolOptions.of(Backing.file(path)).withMode(OpenMode.OPEN_EXISTING).withCapacity(1))
                val address = first.segment().memory().address()
                val pending = first.allocAsync()
                first.close()
                val second = SharedLongPool.open(PoolOptions.of(Backing.file(path)).withMode(OpenMode.OPEN_EXISTING).withCapacity(1))
                if (second.segment().memory().address() == address) sameAddress++
                val request = second.allocAsync()
                third.free(held) shouldBe true
                val slot = request.get(10, TimeUnit.SECONDS)
                second.free(slot) shouldBe true
                third.tryAlloc() shouldBe held
                pending.failure().shouldBeInstanceOf<IllegalStateException>()
                second.close()
            }
        }
        println("rounds where the reopened pool got the closed one's address: $sameAddress of 200")
        sameAddress shouldBeGreaterThan 0
    }
})
