package io.plenum.map

import io.plenum.codec.Codecs
import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import java.util.zip.CRC32
import kotlin.random.Random

internal fun openStrings(path: String): SharedMap<String, String> =
    SharedMap.ofStrings(MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING))

internal fun openCounters(path: String): SharedMap<String, Long> =
    SharedMap.open(Codecs.STRING, Codecs.LONG, MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING))

/**
 * Random operations on the keys this worker owns (`w<index>-<n>`), checked against a HashMap as
 * it goes, and +1s on shared counters. Prints `ADDED <n>` (its increments) and `OK` at the end.
 * Values are strings in a String to Long map? No: the map holds Long values; owned keys map to
 * numbers that encode the step that wrote them.
 */
object ModelWorker : Scenario {
    override fun run(args: List<String>) {
        val (path, index, operations) = Triple(args[0], args[1].toInt(), args[2].toInt())
        val counters = args[3].toInt()
        val random = Random(1000 + index)
        val model = HashMap<String, Long>()
        var added = 0L
        openCounters(path).use { map ->
            for (step in 0 until operations) {
                val key = "w$index-${random.nextInt(2_000)}"
                val value = step.toLong() * 31 + index
                when (random.nextInt(12)) {
                    0, 1, 2 -> check(map.put(key, value) == model.put(key, value)) { "put $key at step $step" }
                    3 -> check(map.remove(key) == model.remove(key)) { "remove $key at step $step" }
                    4 -> check(map.putIfAbsent(key, value) == model.putIfAbsent(key, value)) { "putIfAbsent $key" }
                    5 -> {
                        val old = model[key] ?: -1L
                        check(map.replace(key, old, value) == model.replace(key, old, value)) { "replace $key" }
                    }
                    6 -> check(map.merge(key, 1L, Long::plus) == model.merge(key, 1L, Long::plus)) { "merge $key" }
                    7, 8 -> {
                        map.addAndGet("counter-${random.nextInt(counters)}", 1)
                        added++
                    }
                    else -> check(map[key] == model[key]) { "get $key at step $step: ${map[key]} != ${model[key]}" }
                }
            }
            for ((key, value) in model) check(map[key] == value) { "final $key" }
            for (n in 0 until 2_000) {
                val key = "w$index-$n"
                check(map[key] == model[key]) { "final absent $key" }
            }
        }
        println("ADDED $added")
        println("OK")
    }
}

/**
 * Inserts `count` Long keys `writer + writers * i` (i = 0 until count) into a Long to Long map, and
 * every 256 inserts publishes how many it has done under key `-1 - writer`.
 */
object GrowthWriter : Scenario {
    override fun run(args: List<String>) {
        val (path, writer, writers) = Triple(args[0], args[1].toLong(), args[2].toLong())
        val count = args[3].toLong()
        SharedMap.ofLongs(MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            for (i in 0 until count) {
                val key = writer + writers * i
                map.putLong(key, key * 7)
                if ((i + 1) % 256 == 0L || i + 1 == count) map.putLong(-1 - writer, i + 1)
            }
            println("INSERTED $count ${map.stats()}")
        }
    }
}

/** Looks up random keys the writers have published as present until every writer is done. */
object GrowthReader : Scenario {
    override fun run(args: List<String>) {
        val (path, writers, count) = Triple(args[0], args[1].toLong(), args[2].toLong())
        val random = Random(5)
        var lookups = 0L
        var misses = 0L
        SharedMap.ofLongs(MapOptions.of(path).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            println("READING")
            while (true) {
                var done = 0
                for (writer in 0 until writers) {
                    val published = map.getLong(-1 - writer, 0)
                    if (published == count) done++
                    if (published == 0L) continue
                    val key = writer + writers * random.nextLong(published)
                    val value = map.getLong(key, Long.MIN_VALUE)
                    lookups++
                    if (value != key * 7) {
                        misses++
                        println("MISS $key -> $value (published $published)")
                    }
                }
                if (done.toLong() == writers) break
            }
        }
        println("LOOKUPS $lookups MISSES $misses")
    }
}

/** A value that proves itself whole: `writer:seq:payload:crc`. */
internal object ChaosValues {
    fun make(writer: Int, seq: Long, random: Random): String {
        val payload = buildString { repeat(random.nextInt(0, 300)) { append('a' + ((seq + it) % 26).toInt()) } }
        val body = "$writer:$seq:$payload"
        return "$body:${crc(body)}"
    }

    fun isWhole(value: String): Boolean {
        val cut = value.lastIndexOf(':')
        return cut > 0 && value.substring(cut + 1) == crc(value.substring(0, cut)).toString()
    }

    private fun crc(text: String): Long = CRC32().apply { update(text.toByteArray()) }.value
}

/** Writes self-checking values to random keys of `keys` until killed; prints `WRITING` first. */
object ChaosWriter : Scenario {
    override fun run(args: List<String>) {
        val (path, writer, keys) = Triple(args[0], args[1].toInt(), args[2].toInt())
        val random = Random(writer * 7919L + System.nanoTime())
        openStrings(path).use { map ->
            println("WRITING")
            var seq = 0L
            while (true) {
                val key = "k${random.nextInt(keys)}"
                when (random.nextInt(10)) {
                    0 -> map.remove(key)
                    1 -> map.compute(key) { _, _ -> ChaosValues.make(writer, seq, random) }
                    else -> map.put(key, ChaosValues.make(writer, seq, random))
                }
                seq++
            }
        }
    }
}

/** A value that proves itself whole: the step in the high half, the step xor a mask in the low. */
internal object StampedLongs {
    const val KEYS = 16
    private const val MASK = 0x5A5A5A5AL

    fun stamp(step: Long): Long = (step shl 32) or ((step xor MASK) and 0xFFFF_FFFFL)

    /** The step a whole stamp holds, or -1 when its halves disagree (a torn value). */
    fun stepOf(value: Long): Long = (value ushr 32).let { if (((it xor MASK) and 0xFFFF_FFFFL) == (value and 0xFFFF_FFFFL)) it else -1 }
}

/**
 * Overwrites the values of [StampedLongs.KEYS] keys `args[1]` times each, round-robin (so every
 * put but the first of a key overwrites an 8-byte value in place), then prints `DONE`.
 */
object StampedWriter : Scenario {
    override fun run(args: List<String>) {
        SharedMap.ofLongs(MapOptions.of(args[0]).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            for (step in 1..args[1].toLong()) {
                for (key in 0 until StampedLongs.KEYS) map.putLong(key.toLong(), StampedLongs.stamp(step))
            }
            println("DONE ${map.stats()}")
        }
    }
}

/**
 * Reads the stamped keys through `getLong` and through the boxed `get` (the copying path) until
 * every key shows the last step `args[1]`; prints `READS n TORN t BACKWARDS b`.
 */
object StampedReader : Scenario {
    override fun run(args: List<String>) {
        val last = args[1].toLong()
        var reads = 0L
        var torn = 0L
        var backwards = 0L
        val seen = LongArray(StampedLongs.KEYS)
        SharedMap.ofLongs(MapOptions.of(args[0]).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            println("READING")
            while (seen.any { it < last }) {
                for (key in 0 until StampedLongs.KEYS) {
                    val raw = if (reads % 2 == 0L) map.getLong(key.toLong(), 0) else (map[key.toLong()] ?: 0L)
                    reads++
                    if (raw == 0L) continue
                    val step = StampedLongs.stepOf(raw)
                    when {
                        step < 0 -> torn++
                        step < seen[key] -> backwards++
                        else -> seen[key] = step
                    }
                }
            }
        }
        println("READS $reads TORN $torn BACKWARDS $backwards")
    }
}

/**
 * One side of a ping-pong through a Long map of one stripe: for rounds 1..`args[2]`, the side
 * `args[1]` (0 or 1) waits until key `side` holds the round (blocking and asynchronous waits by
 * turns), then puts the next value the other side waits for under key `1 - side` (side 0: the
 * round, side 1: the round + 1). Side 1 starts by putting 1 under key 0. Every put after the first overwrites in place. Prints `ROUNDS n`.
 */
object PingPong : Scenario {
    override fun run(args: List<String>) {
        val side = args[1].toLong()
        val rounds = args[2].toLong()
        SharedMap.ofLongs(MapOptions.of(args[0]).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            val mine = side
            val theirs = 1 - side
            if (side == 1L) map.putLong(theirs, 1)
            for (round in 1..rounds) {
                while (map.getLong(mine, 0) < round) {
                    if (round % 2 == 0L) map.waitForChange(mine, round - 1)
                    else map.waitForChangeAsync(mine, round - 1).get()
                }
                if (map.getLong(mine, 0) != round) throw AssertionError("key $mine: ${map.getLong(mine, 0)} in round $round")
                map.putLong(theirs, if (side == 1L) round + 1 else round)
            }
            println("ROUNDS $rounds")
        }
    }
}

/** Waits without end for key 2 of the map to change from absent, after printing `WAITING`. */
object EndlessWaiter : Scenario {
    override fun run(args: List<String>) {
        SharedMap.ofLongs(MapOptions.of(args[0]).withMode(OpenMode.OPEN_EXISTING)).use { map ->
            println("WAITING")
            map.waitForChange(2L, null)
            println("CHANGED")
        }
    }
}
