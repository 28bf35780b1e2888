package io.plenum.map

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.plenum.codec.Codecs
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import kotlin.time.Duration.Companion.minutes

class MapCrossProcessSpec : FunSpec({
    val paths = TempPaths("map-cross")
    afterSpec { paths.close() }

    test("4 JVMs x 250,000 random operations agree with their models; shared counters sum exactly") {
        val path = paths.next("model").toString()
        val counters = 16
        SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(path).withStripes(16)).use { map ->
            val added = ChildJvm.startAll(4, ModelWorker::class) { listOf(path, it, 250_000, counters) }.useAll { children ->
                children.sumOf { child ->
                    val line = child.awaitLine(5.minutes) { it.startsWith("ADDED ") }
                    child.awaitLine("OK", 1.minutes)
                    child.awaitSuccess()
                    line.removePrefix("ADDED ").toLong()
                }
            }
            (0 until counters).sumOf { map["counter-$it"] ?: 0L } shouldBe added
            map.size shouldBe map.snapshot().size
        }
    }

    test("growth from empty to 1,000,000 entries by 2 writer JVMs: a reader JVM finds every published key") {
        val path = paths.next("growth").toString()
        val perWriter = 500_000
        SharedMap.ofLongs(MapOptions.of(path)).use { map ->
            val reader = ChildJvm.start(GrowthReader::class, path, 2, perWriter)
            listOf(reader).useAll {
                reader.awaitLine("READING")
                ChildJvm.startAll(2, GrowthWriter::class) { listOf(path, it, 2, perWriter) }.useAll { writers ->
                    writers.forEach { it.awaitSuccess(5.minutes) }
                }
                val result = reader.awaitLine(5.minutes) { it.startsWith("LOOKUPS ") }
                reader.awaitSuccess()
                println(result)
                result.substringAfter("MISSES ").toLong() shouldBe 0L
                result.substringAfter("LOOKUPS ").substringBefore(" ").toLong() shouldBeGreaterThan 0L
            }
            map.size shouldBe 2 * perWriter + 2
            for (key in 0L until 2L * perWriter) {
                if (map.getLong(key, -1) != key * 7) throw AssertionError("key $key: ${map.getLong(key, -1)}")
            }
            println(map.stats())
        }
    }

    test("values overwritten in place by a writer JVM are never seen torn or going back by a reader JVM, through getLong and get") {
        val path = paths.next("in-place").toString()
        val steps = 200_000
        SharedMap.ofLongs(MapOptions.of(path)).use { map ->
            val reader = ChildJvm.start(StampedReader::class, path, steps)
            listOf(reader).useAll {
                reader.awaitLine("READING")
                ChildJvm.start(StampedWriter::class, path, steps).use { writer -> writer.awaitSuccess(5.minutes) }
                val result = reader.awaitLine(5.minutes) { it.startsWith("READS ") }
                reader.awaitSuccess()
                println(result)
                result.substringAfter("TORN ").substringBefore(" ").toLong() shouldBe 0L
                result.substringAfter("BACKWARDS ").toLong() shouldBe 0L
            }
            for (key in 0L until StampedLongs.KEYS) map.getLong(key, 0) shouldBe StampedLongs.stamp(steps.toLong())
            // Every put after a key's first overwrote in place: blocks came only for the first
            // inserts (one per stripe that got a key, and its growth), not for 3.2 million updates.
            val stats = map.stats()
            println(stats)
            stats.blocks shouldBeLessThanOrEqual 2L * StampedLongs.KEYS
            stats.liveBytes shouldBe 32L * StampedLongs.KEYS
        }
    }
    test("waiters in 2 JVMs see every one of 2,000 in-place putLong changes of the other, also after a waiter JVM of the stripe was killed asleep") {
        val path = paths.next("ping-pong").toString()
        val rounds = 2_000
        SharedMap.ofLongs(MapOptions.of(path).withStripes(1)).use { map ->
            map.putLong(0, 0)
            map.putLong(1, 0)
            // A waiter of the same stripe dies asleep: its count stays on the stripe's changes
            // word until a write's wake finds nobody asleep and restarts the count (in the middle
            // of the live waiters' ping-pong, which must lose no wake for it).
            ChildJvm.start(EndlessWaiter::class, path).use { dead ->
                dead.awaitLine("WAITING")
                val counted = System.nanoTime() + 30_000_000_000L
                while (map.changeWaitersOfLong(2L) == 0 && System.nanoTime() < counted) Thread.sleep(10)
                Thread.sleep(200) // let it reach the futex sleep
                dead.kill9()
            }
            map.changeWaitersOfLong(2L) shouldBe 1
            ChildJvm.startAll(2, PingPong::class) { listOf(path, it, rounds) }.useAll { sides ->
                sides.forEach { it.awaitLine(5.minutes) { line -> line == "ROUNDS $rounds" } }
                sides.forEach { it.awaitSuccess() }
            }
            map.getLong(0, -1) shouldBe rounds + 1L
            map.getLong(1, -1) shouldBe rounds.toLong()
            map.containsKey(2L) shouldBe false
            map.changeWaitersOfLong(2L) shouldBe 0 // the dead waiter's count was restarted away
        }
    }
})
