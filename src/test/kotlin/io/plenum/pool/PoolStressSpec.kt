package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import java.util.concurrent.ThreadLocalRandom
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** Many JVMs on one pool: exact values, exact counts, and kill -9 chaos. */
class PoolStressSpec : FunSpec({
    val paths = TempPaths("pool-stress")
    afterSpec { paths.close() }

    // Fewer slots than JVMs where possible, so that allocations block and hand slots across JVMs.
    for ((jvms, capacity) in listOf(2 to 1, 8 to 6)) {
        test("$jvms JVMs x 100,000 alloc/set/get/free on $capacity slots: values intact, used ends at 0") {
            val path = paths.next().toString()
            val iterations = 100_000
            SharedLongPool(path) { this.capacity = capacity }.use { pool ->
                ChildJvm.startAll(jvms, AllocSetGetFree::class) { listOf(path, it + 1, iterations) }.useAll { children ->
                    children.forEach { it.awaitLine("READY", 60.seconds) }
                    children.forEach { it.send("go") }
                    children.forEach { it.awaitLine("DONE $iterations", 5.minutes) }
                    children.forEach { it.awaitSuccess() }
                }
                val stats = pool.stats()
                stats.used shouldBe 0
                stats.allocs shouldBe jvms.toLong() * iterations
                stats.frees shouldBe jvms.toLong() * iterations
                stats.recoveries shouldBe 0
                pool.inconsistentSlots().shouldBeEmpty()
                if (jvms > capacity) stats.waits shouldBeGreaterThan 0
            }
        }
    }

    test("chaos: for 20 s workers alloc/hold/free while one is kill -9ed every 200-800 ms and replaced; afterwards used equals the live holders' slots") {
        val path = paths.next().toString()
        val workers = 4
        // Up to 3 slots per worker: demand (12) above capacity, so allocs wait and recover the dead.
        val capacity = 8
        val keepPerWorker = 2
        SharedLongPool(path) { this.capacity = capacity }.use { pool ->
            val random = ThreadLocalRandom.current()
            val live = MutableList(workers) { ChildJvm.start(ChaosWorker::class, path, keepPerWorker, name = "chaos-$it") }
            val all = live.toMutableList()
            var kills = 0
            all.useAll {
                live.forEach { it.awaitLine("READY", 60.seconds) }
                val end = System.nanoTime() + 20_000_000_000
                while (System.nanoTime() < end) {
                    Thread.sleep(random.nextLong(200, 801))
                    val victim = random.nextInt(workers)
                    live[victim].kill9()
                    kills++
                    live.forEach { check(it === live[victim] || it.isAlive) { "a worker died:\n${it.output}" } }
                    val replacement = ChildJvm.start(ChaosWorker::class, path, keepPerWorker, name = "chaos-r$kills")
                    live[victim] = replacement
                    all += replacement
                }
                // Workers that were started in the last moments must be up before they are told to stop.
                live.forEach { it.awaitLine("READY", 60.seconds) }
                live.forEach { it.send("stop") }
                val holdings = live.associateWith { child ->
                    child.awaitLine(60.seconds) { it.startsWith("HOLDING") }.split(" ").drop(2).map(String::toInt)
                }
                // The survivors' holds fill the pool, so they recovered every dead worker's slot
                // themselves while waiting: nothing is left for an explicit recovery.
                val stats = pool.stats()
                stats.waits shouldBeGreaterThan 0L
                stats.recoveries shouldBeGreaterThan 0L
                pool.recoverStale() shouldBe 0
                // Killed workers were often counted as waiting for several slots; nobody waits now,
                // so the recovery scan above has taken every dead count out of multiWaiters.
                pool.multiWaiters() shouldBe 0
                val expected = holdings.values.flatten()
                expected.size shouldBe expected.toSet().size
                pool.allocatedSlots().toList() shouldBe expected.sorted()
                pool.used() shouldBe workers * keepPerWorker
                for ((child, slots) in holdings) {
                    slots.forEach { pool.owner(it).toLong() shouldBe child.pid; pool[it] shouldBe child.pid }
                }
                pool.inconsistentSlots().shouldBeEmpty()
                val rounds = holdings.keys.sumOf { child -> child.output.lines().first { it.startsWith("HOLDING") }.split(" ")[1].toLong() }
                rounds shouldBeGreaterThan 0L
                kills shouldBeGreaterThan 20
                println("chaos: $kills kills, $stats")
                live.forEach { it.send("exit") }
                live.forEach { it.awaitSuccess() }
            }
            pool.recoverStale() shouldBe workers * keepPerWorker
            pool.used() shouldBe 0
            pool.inconsistentSlots().shouldBeEmpty()
        }
    }
})
