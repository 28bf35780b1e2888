package io.plenum.pool

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.sync.Reactor
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull

/** Eventually (within 10 s) [condition] holds; fails naming [what] otherwise. */
internal fun eventually(what: String, condition: () -> Boolean) {
    val deadline = System.nanoTime() + 10_000_000_000
    while (!condition()) {
        check(System.nanoTime() < deadline) { "timed out waiting until $what" }
        Thread.sleep(1)
    }
}

/** The reactor's pending waits return to [baseline] (withdrawn registrations leave within microseconds). */
internal fun reactorSettles(baseline: Int) = eventually("the reactor has ${baseline} pending waits") {
    Reactor.shared().pendingWordWaits() == baseline
}

class PoolAsyncSpec : FunSpec({
    val paths = TempPaths("pool-async")
    afterSpec { paths.close() }

    fun pool(capacity: Int) = SharedLongPool(Backing.anonymous()) { this.capacity = capacity }

    test("a free pool completes the future on the caller's thread") {
        pool(2).use { pool ->
            val future = pool.allocAsync()
            future.isDone shouldBe true
            pool.isAllocated(future.get()) shouldBe true
            pool.allocNAsync(1).get().size shouldBe 1
            pool.allocNAsync(1).isDone shouldBe false
            pool.pendingAsync() shouldBe 1
        }
    }

    test("on a full pool, each free completes exactly one request, oldest first") {
        pool(3).use { pool ->
            val baseline = Reactor.shared().pendingWordWaits()
            val held = pool.tryAllocN(3)!!
            val requests = List(5) { pool.allocAsync() }
            pool.stats().waits shouldBe 5
            for ((served, slot) in held.withIndex()) {
                pool.free(slot) shouldBe true
                requests[served].get(5, TimeUnit.SECONDS) shouldBe slot
                Thread.sleep(20)
                requests.count { it.isDone } shouldBe served + 1
            }
            pool.pendingAsync() shouldBe 2
            requests.drop(3).forEach { it.cancel(false) }
            pool.pendingAsync() shouldBe 0
            reactorSettles(baseline)
            pool.used() shouldBe 3
        }
    }

    test("a request for several slots waits for all of them and keeps its place in the queue") {
        pool(4).use { pool ->
            val held = pool.tryAllocN(4)!!
            val three = pool.allocNAsync(3)
            val one = pool.allocAsync()
            pool.free(held[0])
            Thread.sleep(50)
            three.isDone shouldBe false
            one.isDone shouldBe false
            pool.freeN(held[1], held[2])
            three.get(5, TimeUnit.SECONDS).sorted() shouldBe held.take(3).sorted()
            one.isDone shouldBe false
            pool.free(held[3])
            one.get(5, TimeUnit.SECONDS) shouldBe held[3]
            pool.used() shouldBe 4
            pool.inconsistentSlots().shouldBeEmpty()
        }
    }

    test("a multi-slot waiter is counted, so that frees wake everyone instead of one while it waits") {
        pool(2).use { pool ->
            val held = pool.tryAllocN(2)!!
            pool.multiWaiters() shouldBe 0
            val many = pool.allocNAsync(2)
            pool.multiWaiters() shouldBe 1
            val blockedPair = CompletableFuture<IntArray>()
            Thread.ofPlatform().start { blockedPair.complete(pool.allocNBlocking(2)) }
            eventually("the blocked allocN is counted") { pool.multiWaiters() == 2 }
            val single = CompletableFuture<Int>()
            Thread.ofPlatform().start { single.complete(pool.allocBlocking()) }
            Thread.sleep(100)
            pool.free(held[0])
            // Neither pair request can use one slot; the blocked single-slot thread gets it.
            single.get(5, TimeUnit.SECONDS) shouldBe held[0]
            many.isDone shouldBe false
            many.cancel(false)
            pool.multiWaiters() shouldBe 1
            pool.free(held[1])
            pool.free(held[0])
            blockedPair.get(5, TimeUnit.SECONDS).sorted() shouldBe held.sorted()
            pool.multiWaiters() shouldBe 0
        }
    }

    test("a request's dependent stages see the pool as it is once the request ended, however it ended") {
        pool(2).use { pool ->
            val held = pool.tryAllocN(2)!!
            /** What a stage run synchronously on completion of [future] saw. */
            fun seenOnCompletion(future: CompletableFuture<*>): CompletableFuture<String> {
                val seen = CompletableFuture<String>()
                future.whenComplete { _, _ ->
                    seen.complete("pending ${pool.pendingAsync()} multiWaiters ${pool.multiWaiters()}")
                }
                return seen
            }
            val cancelled = pool.allocAsync()
            val cancelledSeen = seenOnCompletion(cancelled)
            cancelled.cancel(false) shouldBe true
            cancelledSeen.get(5, TimeUnit.SECONDS) shouldBe "pending 0 multiWaiters 0"

            val failed = pool.allocNAsync(2)
            val failedSeen = seenOnCompletion(failed)
            failed.completeExceptionally(IllegalStateException("given up")) shouldBe true
            failedSeen.get(5, TimeUnit.SECONDS) shouldBe "pending 0 multiWaiters 0"

            val completedByCaller = pool.allocAsync()
            val completedSeen = seenOnCompletion(completedByCaller)
            completedByCaller.complete(-1) shouldBe true
            completedSeen.get(5, TimeUnit.SECONDS) shouldBe "pending 0 multiWaiters 0"

            val timedOut = pool.allocNAsync(2)
            val timedOutSeen = seenOnCompletion(timedOut)
            timedOut.orTimeout(20, TimeUnit.MILLISECONDS)
            timedOutSeen.get(5, TimeUnit.SECONDS) shouldBe "pending 0 multiWaiters 0"

            val waitsBefore = pool.stats().waits
            val served = pool.allocAsync()
            val servedSeen = CompletableFuture<String>()
            served.whenComplete { slot, _ ->
                servedSeen.complete("pending ${pool.pendingAsync()} allocated ${pool.isAllocated(slot)} "
                        + "waits ${pool.stats().waits - waitsBefore}")
            }
            pool.free(held[0]) shouldBe true
            servedSeen.get(5, TimeUnit.SECONDS) shouldBe "pending 0 allocated true waits 1"

            val closed = pool.allocAsync()
            val closedSeen = CompletableFuture<Int>()
            closed.whenComplete { _, _ -> closedSeen.complete(pool.pendingAsync()) }
            pool.close()
            closedSeen.get(5, TimeUnit.SECONDS) shouldBe 0
        }
    }

    test("cancelled, timed-out and failed requests leak neither slots nor reactor waits") {
        pool(1).use { pool ->
            val baseline = Reactor.shared().pendingWordWaits()
            val slot = pool.allocBlocking()
            val cancelled = pool.allocAsync()
            val timedOut = pool.allocAsync().orTimeout(50, TimeUnit.MILLISECONDS)
            val failed = pool.allocNAsync(1)
            cancelled.cancel(false) shouldBe true
            (shouldThrow<ExecutionException> { timedOut.get(5, TimeUnit.SECONDS) }.cause is TimeoutException) shouldBe true
            failed.completeExceptionally(IllegalStateException("given up"))
            pool.pendingAsync() shouldBe 0
            reactorSettles(baseline)
            pool.free(slot) shouldBe true
            pool.used() shouldBe 0
            pool.stats().allocs shouldBe 1
        }
    }

    test("a slot that arrives for a request cancelled at the same moment is freed (2,000 races)") {
        pool(1).use { pool ->
            val baseline = Reactor.shared().pendingWordWaits()
            var delivered = 0
            repeat(2_000) { round ->
                val slot = pool.allocBlocking()
                val request = pool.allocAsync()
                val freer = Thread.ofPlatform().start { pool.free(slot) }
                if (round % 2 == 0) Thread.onSpinWait()
                request.cancel(false)
                freer.join()
                if (!request.isCancelled) {
                    pool.free(request.get()) shouldBe true
                    delivered++
                }
                eventually("the slot comes back in round $round") { pool.used() == 0 }
            }
            pool.pendingAsync() shouldBe 0
            reactorSettles(baseline)
            pool.inconsistentSlots().shouldBeEmpty()
            println("delivered before the cancel in $delivered of 2000 rounds")
        }
    }

    test("closing the pool fails its pending requests") {
        val pool = pool(1)
        pool.allocBlocking()
        val request = pool.allocAsync()
        pool.close()
        shouldThrow<ExecutionException> { request.get(5, TimeUnit.SECONDS) }.cause!!.message.orEmpty() shouldBe
            "anonymous memory: the pool was closed"
        shouldThrow<IllegalStateException> { pool.allocAsync() }
    }

    test("a suspended alloc on a pool full of dead owners' slots recovers them by itself") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 3 }.use { pool ->
            val child = ChildJvm.start(HoldSlots::class, path, 3)
            child.awaitLine { it.startsWith("HELD") }
            child.kill9()
            val start = System.nanoTime()
            val slot = runBlocking { withTimeout(10_000) { pool.alloc() } }
            println("recovered after ${(System.nanoTime() - start) / 1_000_000} ms (printed, not asserted)")
            pool.isAllocated(slot) shouldBe true
            pool.used() shouldBe 1
            pool.stats().recoveries shouldBe 3
        }
    }

    test("Kotlin: suspending alloc, allocN, withSlot, cancellation by withTimeout, withSlotBlocking") {
        pool(2).use { pool ->
            val baseline = Reactor.shared().pendingWordWaits()
            runBlocking {
                val a = pool.alloc()
                val b = pool.withSlot { slot -> pool[slot] = 5; slot }
                pool.isAllocated(b) shouldBe false
                val pair = pool.allocN(1)
                withTimeoutOrNull(100) { pool.alloc() } shouldBe null
                pool.pendingAsync() shouldBe 0
                val waiting = async(Dispatchers.Default) { pool.alloc() }
                delay(50)
                pool.free(a)
                waiting.await() shouldBe a
                pool.free(pair[0])
                shouldThrow<IllegalStateException> { pool.withSlotBlocking { error("boom") } }
                pool.used() shouldBe 1
            }
            reactorSettles(baseline)
        }
    }

    test("Kotlin: allocAndSet suspends until a slot is free, and the slot holds its value when it is seen allocated") {
        pool(1).use { pool ->
            val baseline = Reactor.shared().pendingWordWaits()
            runBlocking {
                val first = pool.allocAndSet(41L)
                pool[first] shouldBe 41L
                val waiting = async(Dispatchers.Default) { pool.allocAndSet(42L) }
                eventually("the allocAndSet request waits") { pool.pendingAsync() == 1 }
                pool.free(first)
                val second = waiting.await()
                pool[second] shouldBe 42L
                pool.allocAndSet(43L, kotlin.time.Duration.parse("20ms")) shouldBe null
                pool.pendingAsync() shouldBe 0
                pool.used() shouldBe 1
            }
            reactorSettles(baseline)
        }
    }

    test("a slot writer that throws fails the asynchronous request and leaves the slot free, with no wait behind") {
        pool(1).use { pool ->
            val held = pool.tryAlloc()!!
            val failing = pool.allocWritingAsync { throw IllegalStateException("writer broke") }
            pool.pendingAsync() shouldBe 1
            pool.free(held)
            val error = shouldThrow<ExecutionException> { failing.get(10, TimeUnit.SECONDS) }
            error.cause!!.message shouldBe "writer broke"
            pool.used() shouldBe 0
            pool.pendingAsync() shouldBe 0
            pool.tryAlloc() shouldBe held
        }
    }

    test("Kotlin: a timed alloc never loses a slot granted at its deadline") {
        // Many short timed waits against frees that land around their deadlines: whatever each wait
        // returns, no slot stays allocated that nobody holds.
        pool(1).use { pool ->
            runBlocking {
                repeat(200) { round ->
                    val held = pool.alloc()
                    val freer = async(Dispatchers.Default) { delay((round % 3).toLong()); pool.free(held) }
                    val got = pool.alloc(kotlin.time.Duration.parse("1ms"))
                    freer.await()
                    if (got != null) {
                        pool.free(got)
                    }
                    eventually("round $round leaves the pool empty") { pool.used() == 0 }
                }
            }
            pool.pendingAsync() shouldBe 0
        }
    }

    test("eventfd: made on first use, signal and consume, and a Flow of notifications") {
        pool(2).use { pool ->
            pool.signalEventfd() shouldBe false
            pool.consumeEventfd() shouldBe 0
            val notifier = pool.eventfd()
            pool.eventfd() shouldBe notifier
            pool.signalEventfd() shouldBe true
            pool.signalEventfd() shouldBe true
            pool.consumeEventfd() shouldBe 2
            pool.consumeEventfd() shouldBe 0
            val first = runBlocking {
                val collected = async(Dispatchers.Default) { pool.notifications().first() }
                delay(50)
                notifier.signal(3)
                collected.await()
            }
            first shouldBe 3
            val other = io.plenum.sync.EventNotifier.create()
            pool.useEventfd(other)
            notifier.isClosedForTest() shouldBe true
            pool.eventfd() shouldBe other
        }
    }
})

/** True when the notifier's fd is closed (it throws on use). */
private fun io.plenum.sync.EventNotifier.isClosedForTest(): Boolean =
    runCatching { fd() }.exceptionOrNull() is IllegalStateException
