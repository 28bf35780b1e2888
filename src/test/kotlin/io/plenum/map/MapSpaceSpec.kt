package io.plenum.map

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.plenum.segment.Backing
import kotlin.random.Random

/**
 * Space is reused: a long-lived map with churn does not creep. The bound checked is the one the
 * docs state: the segment maps at most about twice the live record bytes, plus the tables (8 bytes
 * a slot, at a load of 1/4 to 3/4), plus the fixed part and one growth step of an eighth.
 */
class MapSpaceSpec : FunSpec({
    // "About" twice: a quarter of the live bytes on top, because each map's random hash seed spreads
    // the keys over the stripes differently, and a stripe's block is rebuilt at its own moments (one
    // run measured 4.26 MB against a strict 2x bound of 4.28 MB: too close to hold on every seed).
    fun bound(stats: MapStats): Long = 2 * stats.liveBytes + stats.liveBytes / 4 + stats.tableBytes + 256 * 1024

    /** The heap within the bound, and the segment at most one growth step (an eighth, 64 KiB at least) past it. */
    fun check(stats: MapStats) {
        stats.heapBytes shouldBeLessThan bound(stats)
        stats.mappedSize shouldBeLessThan 8192 + 128 * 1024 + maxOf(64 * 1024L, stats.mappedSize / 8) + stats.heapBytes + 1
    }

    test("churn of replacements and removes keeps the mapped size within the bound") {
        SharedMap.ofStrings(MapOptions.of(Backing.memfd("churn")).withStripes(16)).use { map ->
            val random = Random(7)
            val keys = 20_000
            fun value() = "x".repeat(random.nextInt(0, 120))
            for (i in 0 until keys) map.put("key-$i", value())
            val filled = map.stats()
            println("filled: $filled bound ${bound(filled)}")
            var peak = 0L
            var next = 0
            repeat(10) { round ->
                repeat(60_000) {
                    // Replacements of any size, and removes each followed by an insert of an absent
                    // key: the live set keeps its size while every record is rewritten many times.
                    val key = "key-${random.nextInt(keys)}"
                    if (random.nextBoolean()) {
                        map.replace(key, value()) shouldNotBe null
                    } else {
                        map.remove(key) shouldNotBe null
                        val fresh = "new-${next++}"
                        map.put(fresh, value())
                        map.put(key, map.remove(fresh)!!)
                    }
                }
                val stats = map.stats()
                peak = maxOf(peak, stats.mappedSize)
                println("round $round: $stats bound ${bound(stats)}")
                stats.entries shouldBe keys.toLong()
                check(stats)
            }
            // No creep: the last rounds map no more than the first ones did.
            map.stats().mappedSize shouldBe peak
        }
    }

    test("growth from empty stays within the bound") {
        SharedMap.ofLongs(MapOptions.of(Backing.memfd("growth"))).use { map ->
            for (i in 0L until 300_000L) map.putLong(i, i)
            val stats = map.stats()
            println("grown: $stats bound ${bound(stats)}")
            check(stats)
        }
    }
})
