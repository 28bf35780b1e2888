package io.plenum.map

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlin.random.Random

/**
 * Writer JVMs killed with SIGKILL at random moments for 20 s, while this JVM reads: no value is
 * ever torn or foreign, afterwards no lock is stuck, nothing leaked, and the map keeps working.
 */
class MapChaosSpec : FunSpec({
    val paths = TempPaths("map-chaos")
    afterSpec { paths.close() }

    test("kill -9 chaos of writers for 20 s") {
        val path = paths.next("chaos").toString()
        val keys = 300
        SharedMap.ofStrings(MapOptions.of(path).withStripes(8)).use { map ->
            val stop = AtomicBoolean()
            val reads = AtomicLong()
            val reader = CompletableFuture.runAsync {
                val random = Random(3)
                while (!stop.get()) {
                    val value = map["k${random.nextInt(keys)}"]
                    check(value == null || ChaosValues.isWhole(value)) { "torn value read during the chaos: $value" }
                    reads.incrementAndGet()
                }
            }
            val random = Random(11)
            val writers = (0 until 3).map { ChildJvm.start(ChaosWriter::class, path, it, keys, name = "writer-$it") }.toMutableList()
            var kills = 0
            var next = 3
            try {
                writers.forEach { it.awaitLine("WRITING") }
                val end = System.nanoTime() + 20_000_000_000L
                while (System.nanoTime() < end) {
                    Thread.sleep(random.nextLong(100, 600))
                    val victim = random.nextInt(writers.size)
                    writers[victim].kill9()
                    kills++
                    writers[victim] = ChildJvm.start(ChaosWriter::class, path, next++, keys, name = "writer-$next")
                    if (reader.isCompletedExceptionally) reader.join()
                }
            } finally {
                writers.forEach { it.kill9() }
            }
            stop.set(true)
            reader.get(60, TimeUnit.SECONDS)
            println("kills $kills, reads during the chaos ${reads.get()}, ${map.stats()}")
            kills shouldBeGreaterThan 10
            // No lock stuck: a snapshot takes every stripe lock (recovering dead holders) in bounded time.
            val snapshot = CompletableFuture.supplyAsync { map.snapshot() }.get(60, TimeUnit.SECONDS)
            snapshot.values.forEach { check(ChaosValues.isWhole(it)) { "torn value after the chaos: $it" } }
            snapshot.keys.forEach { check(it.removePrefix("k").toInt() in 0 until keys) { "foreign key $it" } }
            map.size shouldBe snapshot.size
            // The map keeps working: every key written and read back.
            CompletableFuture.runAsync {
                for (k in 0 until keys) map["k$k"] = ChaosValues.make(99, k.toLong(), Random(k))
                for (k in 0 until keys) check(ChaosValues.isWhole(map["k$k"]!!))
            }.get(60, TimeUnit.SECONDS)
            map.size shouldBe keys
            // Nothing leaked: once cleared, every block of the heap is free.
            map.clear()
            val stats = map.stats()
            println("after clear: $stats")
            stats.freeBytes shouldBe stats.heapBytes
        }
    }
})
