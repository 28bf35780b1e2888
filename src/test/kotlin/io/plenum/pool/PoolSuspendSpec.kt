package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.plenum.sync.Reactor
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.lang.management.ManagementFactory
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** Suspended allocations woken from another JVM: thread count, exactly-one wakes, cancellation. */
class PoolSuspendSpec : FunSpec({
    val paths = TempPaths("pool-suspend")
    afterSpec { paths.close() }

    test("10,000 suspended allocators on a full pool: at most 4 extra threads, each free in another JVM resumes exactly one, cancelling the rest leaks nothing") {
        val path = paths.next().toString()
        val capacity = 64
        val frees = 20
        SharedLongPool(path) { this.capacity = capacity }.use { pool ->
            val held = pool.tryAllocN(capacity)!!
            val executor = Executors.newSingleThreadExecutor()
            val dispatcher = executor.asCoroutineDispatcher()
            try {
                ChildJvm.start(FreeOnRequest::class, path).use { freer ->
                    freer.awaitLine("READY")
                    executor.submit { }.get()
                    val threads = ManagementFactory.getThreadMXBean()
                    val threadsBefore = threads.threadCount
                    val reactorBefore = Reactor.shared().pendingWordWaits()
                    val scope = CoroutineScope(SupervisorJob() + dispatcher)
                    val resumed = AtomicInteger()
                    val granted = ConcurrentLinkedQueue<Int>()
                    val jobs = List(10_000) {
                        scope.launch {
                            granted += pool.alloc()
                            resumed.incrementAndGet()
                        }
                    }
                    eventually("10,000 requests are queued") { pool.pendingAsync() == 10_000 }
                    (threads.threadCount - threadsBefore) shouldBeLessThanOrEqual 4
                    Reactor.shared().threads() shouldBeLessThanOrEqual Reactor.MAX_THREADS
                    resumed.get() shouldBe 0

                    for (k in 1..frees) {
                        // The other JVM frees this test's slot by its ticket (it does not hold it).
                        val ticket = pool.ticket(held[k - 1])!!.toLong()
                        freer.send("freeTicket $ticket")
                        freer.awaitLine("FREED_TICKET $ticket true")
                        eventually("free $k resumes a coroutine") { resumed.get() >= k }
                        Thread.sleep(20)
                        resumed.get() shouldBe k
                        pool.pendingAsync() shouldBe 10_000 - k
                    }
                    (threads.threadCount - threadsBefore) shouldBeLessThanOrEqual 4
                    granted.sorted() shouldBe held.take(frees).sorted()

                    // Cancel everyone left while the other JVM frees more slots at the same time.
                    for (slot in held.drop(frees).take(frees)) freer.send("freeTicket ${pool.ticket(slot)!!.toLong()}")
                    runBlocking { jobs.forEach { it.cancelAndJoin() } }
                    repeat(frees) { freer.awaitLine { it.startsWith("FREED_TICKET") }.endsWith(" true") shouldBe true }
                    freer.send("exit")
                    freer.awaitSuccess()

                    eventually("the queue empties") { pool.pendingAsync() == 0 }
                    reactorSettles(reactorBefore)
                    // Every slot is held by exactly one coroutine that resumed, or by this test, or free.
                    val stillHeld = held.drop(2 * frees).toSet() + granted.toSet()
                    granted.size shouldBe granted.toSet().size
                    pool.allocatedSlots().toSet() shouldBe stillHeld
                    pool.used() shouldBe stillHeld.size
                    pool.inconsistentSlots().shouldBeEmpty()
                }
            } finally {
                dispatcher.close()
            }
        }
    }
})
