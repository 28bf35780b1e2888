package io.plenum.value

import io.plenum.codec.Codec
import io.plenum.codec.Codecs
import io.plenum.sync.Reactor
import io.plenum.testing.Scenario
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout as Memory
import java.nio.ByteBuffer
import java.util.concurrent.atomic.AtomicInteger
import java.util.zip.CRC32C
import kotlin.random.Random
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * Test values that prove themselves: [version u64][size u32][filler][crc32c u64 of everything before it].
 * A torn value (bytes of two writes) fails the checksum.
 */
object Checked {
    fun make(version: Long, size: Int, random: Random): ByteArray {
        require(size >= 20)
        val bytes = ByteArray(size)
        random.nextBytes(bytes, 12, size - 8)
        val buffer = ByteBuffer.wrap(bytes)
        buffer.putLong(0, version).putInt(8, size)
        val crc = CRC32C().apply { update(bytes, 0, size - 8) }.value
        buffer.putLong(size - 8, crc)
        return bytes
    }

    /** The version inside a value, after checking its size and checksum. */
    fun verify(bytes: ByteArray): Long {
        val buffer = ByteBuffer.wrap(bytes)
        check(bytes.size >= 20 && buffer.getInt(8) == bytes.size) { "torn value: size field ${buffer.getInt(8)} in ${bytes.size} bytes" }
        val crc = CRC32C().apply { update(bytes, 0, bytes.size - 8) }.value
        check(buffer.getLong(bytes.size - 8) == crc) { "torn value: checksum mismatch at version ${buffer.getLong(0)}" }
        return buffer.getLong(0)
    }
}

/** Sizes for the writer: `random` between min and max, or `grow` geometrically from min to max. */
fun sizeOf(pattern: String, index: Int, count: Int, min: Int, max: Int, random: Random): Int = when (pattern) {
    "grow" -> (min * Math.pow(max.toDouble() / min, index.toDouble() / (count - 1).coerceAtLeast(1))).toInt().coerceIn(min, max)
    else -> random.nextInt(min, max + 1)
}

/** args: path count minSize maxSize pattern. Publishes versions 1..count of checked values. */
object PublishValues : Scenario {
    override fun run(args: List<String>) {
        val (path, count, min, max, pattern) = args
        val random = Random(42)
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path)).use { value ->
            for (i in 1..count.toInt()) {
                val version = value.version() + 1
                value.set(Checked.make(version, sizeOf(pattern, i - 1, count.toInt(), min.toInt(), max.toInt(), random), random))
            }
            println("PUBLISHED ${value.version()} grows ${value.stats().grows}")
        }
    }
}

/** args: path finalVersion. Reads until it sees finalVersion: every value checked, versions never going back. */
object ReadValues : Scenario {
    override fun run(args: List<String>) {
        val (path, last) = args
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path)).use { value ->
            println("READING")
            var reads = 0L
            var distinct = 0
            var previous = 0L
            while (previous < last.toLong()) {
                val bytes = value.get() ?: continue
                val inside = Checked.verify(bytes)
                check(inside >= previous) { "version went back from $previous to $inside" }
                if (inside != previous) distinct++
                previous = inside
                reads++
            }
            println("READ $reads distinct $distinct")
        }
    }
}

/** A BYTES codec that stops forever in the middle of copying its encoding into shared memory. */
class StallingCodec : Codec<ByteArray> by Codecs.BYTES {
    override fun name(): String = "stalling"

    override fun encodeInto(value: ByteArray, target: MemorySegment): Int {
        if (value.size <= target.byteSize()) {
            MemorySegment.copy(value, 0, target, Memory.JAVA_BYTE, 0, value.size / 2)
            println("MIDWRITE")
            System.out.flush()
            Thread.sleep(Long.MAX_VALUE)
        }
        return value.size
    }
}

/** args: path size. Publishes one complete value, then stalls half-way through the second (to be killed). */
object StallMidWrite : Scenario {
    override fun run(args: List<String>) {
        val (path, size) = args
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path)).use { value ->
            value.set(Checked.make(value.version() + 1, size.toInt(), Random(1)))
        }
        SharedValue.open(StallingCodec(), ValueOptions.of(path)).use { value ->
            value.set(Checked.make(value.version() + 1, size.toInt(), Random(2)))
        }
    }
}

/** args: path waiters. Suspends [waiters] coroutines in awaitChange(0); reports when all are woken. */
object SuspendedWaiters : Scenario {
    override fun run(args: List<String>) {
        val (path, count) = args
        SharedValue.open(Codecs.LONG, ValueOptions.of(path)).use { value ->
            val suspended = AtomicInteger()
            runBlocking(Dispatchers.Default) {
                val waits = (1..count.toInt()).map {
                    async {
                        suspended.incrementAndGet()
                        value.awaitChange(0)
                    }
                }
                while (suspended.get() < count.toInt() || Reactor.shared().pendingWordWaits() < count.toInt()) {
                    Thread.sleep(5)
                }
                println("WAITING ${Reactor.shared().pendingWordWaits()}")
                val versions = waits.awaitAll()
                check(versions.all { it >= 1 }) { "a waiter woke with ${versions.min()}" }
                println("WOKEN ${versions.size} threads ${Reactor.shared().threads()}")
            }
        }
    }
}

/** args: path. Prints `WAITING`, then waits without end (blocking) for the version to move. */
object EndlessValueWaiter : Scenario {
    override fun run(args: List<String>) {
        SharedValue.open(Codecs.LONG, ValueOptions.of(args[0])).use { value ->
            val version = value.version()
            println("WAITING")
            value.waitForChange(version)
            println("CHANGED")
        }
    }
}

/**
 * args: path side rounds. Two JVMs take turns on one long value: side 0 sets 2r + 1 once it saw 2r,
 * side 1 sets 2r + 2 once it saw 2r + 1, each waiting for the other's write, blocking and async in
 * turn. A lost wake leaves both waiting (the test's timeout then fails it).
 */
object ValuePingPong : Scenario {
    override fun run(args: List<String>) {
        val side = args[1].toLong()
        val rounds = args[2].toLong()
        SharedValue.open(Codecs.LONG, ValueOptions.of(args[0])).use { value ->
            for (round in 0 until rounds) {
                val awaited = 2 * round + side
                while (true) {
                    val version = value.version()
                    val now = value.get() ?: 0L
                    if (now == awaited) break
                    check(now < awaited) { "side $side in round $round awaited $awaited and saw $now" }
                    if (round % 2 == 0L) value.waitForChange(version) else value.awaitChangeAsync(version).get()
                }
                value.set(awaited + 1)
            }
            println("ROUNDS $rounds")
        }
    }
}
