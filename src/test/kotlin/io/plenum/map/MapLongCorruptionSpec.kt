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
 * The allocation-free read path of Long to Long maps ({@code getLong}, through
 * {@code StripeReader.findLong}) on garbage: random bytes over block headers, table slots, record
 * headers, keys and values of a populated map. Every {@code getLong}, {@code containsKey} and
 * {@code get} afterwards returns a value, reports the key absent, or throws a Plenum exception
 * naming the map, within a deadlock-guard timeout (never a hang, a JVM crash, or a stray exception).
 */
class MapLongCorruptionSpec : FunSpec({
    test("fuzzed Long to Long segments: getLong, containsKey and get return or raise, never hang") {
        var raised = 0
        var answered = 0
        for (round in 0 until 120) {
            val random = Random(1_000 + round)
            SharedMap.ofLongs(MapOptions.of(Backing.memfd("fuzz-long")).withStripes(4)).use { map ->
                for (i in 0 until 500L) map.putLong(i, i * 7)
                val mem = map.segment().memory()
                val stripe = random.nextInt(4)
                val s = MapLayout.stripeOffset(stripe)
                val block = mem.get(ValueLayout.JAVA_LONG, s + MapLayout.STRIPE_BLOCK)
                val slots = mem.get(ValueLayout.JAVA_INT, block + MapLayout.BLOCK_SLOTS)
                val blockSize = MapLayout.classSize(mem.get(ValueLayout.JAVA_INT, block + MapLayout.BLOCK_CLASS))
                val liveSlots = (0 until slots).map { block + MapLayout.BLOCK_TABLE + 8L * it }
                    .filter { mem.get(ValueLayout.JAVA_LONG, it) > 1 }
                val garbage = when (random.nextInt(3)) {
                    0 -> random.nextLong()
                    1 -> random.nextLong(0, mem.byteSize() * 2)
                    // a slot keeping its tag but naming another offset: reaches findLong's offset check
                    else -> (mem.get(ValueLayout.JAVA_LONG, liveSlots.random(random)) and MapLayout.TAG_MASK) or
                        (random.nextLong(0, blockSize * 2) ushr 3)
                }
                val record = block + MapLayout.recordOffset(mem.get(ValueLayout.JAVA_LONG, liveSlots.random(random)))
                when (round % 6) {
                    0 -> repeat(1 + random.nextInt(4)) { mem.set(ValueLayout.JAVA_LONG, liveSlots.random(random), garbage) }
                    // key length, value length, hash, key or value of one record
                    1 -> mem.set(ValueLayout.JAVA_INT, record + 4L * random.nextInt(0, 8), garbage.toInt())
                    2 -> mem.set(ValueLayout.JAVA_INT, block + 4L * random.nextInt(0, 12), garbage.toInt())
                    3 -> mem.set(ValueLayout.JAVA_LONG, s + MapLayout.STRIPE_BLOCK, garbage)
                    4 -> repeat(16) { mem.set(ValueLayout.JAVA_BYTE, block + random.nextLong(0, blockSize), random.nextInt().toByte()) }
                    else -> repeat(8) {
                        mem.set(ValueLayout.JAVA_LONG, block + 8L * random.nextLong(0, blockSize / 8), random.nextLong())
                    }
                }
                val work = CompletableFuture.supplyAsync {
                    var thrown = 0
                    var values = 0
                    fun attempt(what: () -> Any?) {
                        try {
                            if (what() != null) values++
                        } catch (e: SegmentFormatException) {
                            check(e.message!!.contains("map ")) { "unnamed: ${e.message}" }
                            thrown++
                        } catch (e: CodecException) {
                            thrown++
                        }
                    }
                    for (i in 0 until 600L) {
                        attempt { map.getLong(i, -1L).takeIf { it != -1L } }
                        attempt { map.containsKey(i).takeIf { it } }
                        attempt { map[i] }
                    }
                    thrown to values
                }
                val (thrown, values) = work.get(60, TimeUnit.SECONDS)
                raised += thrown
                answered += values
            }
        }
        println("getLong fuzz: $raised operations raised, $answered returned a value")
        raised shouldBeGreaterThan 0
        answered shouldBeGreaterThan 0
    }
})
