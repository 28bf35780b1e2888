package io.plenum.map

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.plenum.codec.CodecException
import io.plenum.segment.Backing
import io.plenum.segment.SegmentFormatException
import java.lang.foreign.ValueLayout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.random.Random

/**
 * Random garbage in table slots, record headers, block headers, stripe words and allocator words:
 * every operation afterwards returns or throws a Plenum exception naming the map, within a timeout
 * (never a hang, a JVM crash, or a stray exception type).
 */
class MapCorruptionSpec : FunSpec({
    test("fuzzed segments raise exceptions, never hang") {
        var failures = 0
        for (round in 0 until 60) {
            val random = Random(round)
            SharedMap.ofStrings(MapOptions.of(Backing.memfd("fuzz")).withStripes(4)).use { map ->
                for (i in 0 until 400) map["key-$i"] = "value-$i-" + "x".repeat(i % 50)
                val mem = map.segment().memory()
                val stripe = random.nextInt(4)
                val s = MapLayout.stripeOffset(stripe)
                val block = mem.get(ValueLayout.JAVA_LONG, s + MapLayout.STRIPE_BLOCK)
                val slots = mem.get(ValueLayout.JAVA_INT, block + MapLayout.BLOCK_SLOTS)
                val garbage = if (random.nextBoolean()) random.nextLong() else random.nextLong(0, mem.byteSize() * 2)
                val liveSlots = (0 until slots).map { block + MapLayout.BLOCK_TABLE + 8L * it }
                    .filter { mem.get(ValueLayout.JAVA_LONG, it) > 1 }
                when (round % 6) {
                    0 -> mem.set(ValueLayout.JAVA_LONG, liveSlots.random(random), garbage)
                    1 -> {
                        val record = block + MapLayout.recordOffset(mem.get(ValueLayout.JAVA_LONG, liveSlots.random(random)))
                        mem.set(ValueLayout.JAVA_INT, record + if (random.nextBoolean()) 0 else 4, garbage.toInt())
                    }
                    2 -> mem.set(ValueLayout.JAVA_INT, block + 4L * random.nextInt(0, 12), garbage.toInt())
                    3 -> mem.set(ValueLayout.JAVA_LONG, s + 32L + 8 * random.nextInt(0, 3), garbage)
                    4 -> mem.set(ValueLayout.JAVA_LONG, MapLayout.TOP_OFFSET + 8L * random.nextInt(0, 2) * 0
                        + if (random.nextBoolean()) 0 else MapLayout.FREE_LISTS_OFFSET - MapLayout.TOP_OFFSET, garbage)
                    else -> repeat(8) { mem.set(ValueLayout.JAVA_LONG, block + 8L * random.nextInt(0, 64), random.nextLong()) }
                }
                val work = CompletableFuture.supplyAsync {
                    var thrown = 0
                    fun attempt(what: () -> Unit) {
                        try {
                            what()
                        } catch (e: SegmentFormatException) {
                            check(e.message!!.contains("map ")) { "unnamed: ${e.message}" }
                            thrown++
                        } catch (e: CodecException) {
                            thrown++
                        } catch (e: IllegalStateException) {
                            thrown++
                        }
                    }
                    for (i in 0 until 400) attempt { map["key-$i"] }
                    attempt { map.size }
                    attempt { map.snapshot() }
                    attempt { map.entries.forEach { it.key } }
                    for (i in 0 until 200) attempt { map["key-$i"] = "new-$i-" + "y".repeat(i) }
                    for (i in 0 until 100) attempt { map.remove("key-${i * 3}") }
                    for (i in 0 until 2_000) attempt { map["more-$i"] = "z".repeat(i % 300) }
                    attempt { map.clear() }
                    attempt { map["after"] = "clear" }
                    thrown
                }
                failures += work.get(60, TimeUnit.SECONDS)
            }
        }
        println("operations that raised: $failures")
        failures shouldBeGreaterThan 0
    }
})
