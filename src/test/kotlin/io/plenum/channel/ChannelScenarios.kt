package io.plenum.channel

import io.plenum.array.SharedIntArray
import io.plenum.array.SharedLongArray
import io.plenum.segment.Backing
import io.plenum.testing.Scenario
import java.lang.foreign.Arena
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.time.Duration

/** `path producer count`: sends `producer << 32 | seq` for seq in 0 until count, then prints DONE. */
object LongProducer : Scenario {
    override fun run(args: List<String>) {
        openLongChannel(args[0]).use { channel ->
            val producer = args[1].toLong()
            val count = args[2].toLong()
            println("READY")
            for (seq in 0 until count) channel.putLong((producer shl 32) or seq)
            println("DONE")
        }
    }
}

/**
 * `path seenPath perProducer`: takes until the channel is closed and drained, counting each message
 * in the shared `seen` array and checking each producer's order; prints `COUNT n ORDER_ERRORS e`.
 */
object LongConsumer : Scenario {
    override fun run(args: List<String>) {
        val perProducer = args[2].toInt()
        SharedIntArray.open(Backing.file(args[1]), -1).use { seen ->
            openLongChannel(args[0]).use { channel ->
                val last = LongArray(64) { -1 }
                var count = 0L
                var orderErrors = 0
                println("READY")
                while (true) {
                    val value = try { channel.takeLong() } catch (e: ChannelClosedException) { break }
                    val producer = (value ushr 32).toInt()
                    val seq = value and 0xFFFF_FFFFL
                    if (seq <= last[producer]) orderErrors++
                    last[producer] = seq
                    seen.getAndAdd(producer * perProducer + seq.toInt(), 1)
                    count++
                }
                println("COUNT $count ORDER_ERRORS $orderErrors")
            }
        }
    }
}

/** `path`: prints WAITING, blocks in take, prints `GOT value` (or `CLOSED reason`). */
object BlockedTake : Scenario {
    override fun run(args: List<String>) {
        openLongChannel(args[0]).use { channel ->
            println("WAITING")
            try {
                println("GOT ${channel.takeLong()}")
            } catch (e: ChannelClosedException) {
                println("CLOSED ${e.reason()}")
            }
        }
    }
}

/** Chaos messages: 64 bytes, [incarnation u32][seq u32][56 pattern bytes], so a torn one is seen. */
internal object ChaosMessage {
    const val SIZE = 64
    const val MAX_SEQ = 100_000
    const val MAX_INCARNATIONS = 120

    fun write(target: MemorySegment, incarnation: Int, seq: Int) {
        target.set(ValueLayout.JAVA_INT, 0, incarnation)
        target.set(ValueLayout.JAVA_INT, 4, seq)
        for (i in 8 until SIZE) target.set(ValueLayout.JAVA_BYTE, i.toLong(), pattern(incarnation, seq, i))
    }

    fun pattern(incarnation: Int, seq: Int, i: Int): Byte = (incarnation * 31 + seq * 7 + i).toByte()

    /** The index of the message in the seen array, or -1 when it is torn or malformed. */
    fun check(source: MemorySegment, length: Int): Int {
        if (length != SIZE) return -1
        val incarnation = source.get(ValueLayout.JAVA_INT, 0)
        val seq = source.get(ValueLayout.JAVA_INT, 4)
        if (incarnation !in 0 until MAX_INCARNATIONS || seq !in 0 until MAX_SEQ) return -1
        for (i in 8 until SIZE) if (source.get(ValueLayout.JAVA_BYTE, i.toLong()) != pattern(incarnation, seq, i)) return -1
        return incarnation * MAX_SEQ + seq
    }
}

/** `path acksPath incarnation`: sends chaos messages, storing after each put how many it sent. */
object ChaosProducer : Scenario {
    override fun run(args: List<String>) {
        val incarnation = args[2].toInt()
        SharedLongArray.open(Backing.file(args[1]), -1).use { acks ->
            openChannel(args[0]).use { channel ->
                Arena.ofConfined().use { arena ->
                    val message = arena.allocate(ChaosMessage.SIZE.toLong())
                    println("READY")
                    for (seq in 0 until ChaosMessage.MAX_SEQ) {
                        ChaosMessage.write(message, incarnation, seq)
                        channel.putBytes(message)
                        acks.setRelease(incarnation, seq + 1L)
                    }
                }
            }
        }
    }
}

/** `path seenPath tornIndex`: receives chaos messages until killed, counting each in `seen`. */
object ChaosConsumer : Scenario {
    override fun run(args: List<String>) {
        SharedIntArray.open(Backing.file(args[1]), -1).use { seen ->
            openChannel(args[0]).use { channel ->
                Arena.ofConfined().use { arena ->
                    val target = arena.allocate(ChannelLayoutMax)
                    println("READY")
                    while (true) {
                        val length = channel.takeBytes(target)
                        val index = ChaosMessage.check(target, length)
                        if (index < 0) seen.getAndAdd(args[2].toInt(), 1) else seen.getAndAdd(index, 1)
                    }
                }
            }
        }
    }

    private const val ChannelLayoutMax = 128L
}

internal fun openChannel(path: String): SharedChannel<ByteArray> =
    SharedChannel.open(io.plenum.codec.Codecs.BYTES, ChannelOptions.of(path).withMode(io.plenum.segment.OpenMode.OPEN_EXISTING)
        .withRecoveryInterval(Duration.ofMillis(500)))

/** `path`: claims a position as a send does, prints CLAIMED, and waits to be killed in the middle of its send. */
object ClaimAndHang : Scenario {
    override fun run(args: List<String>) {
        val channel = openLongChannel(args[0])
        val position = channel.ring.claim()
        println("CLAIMED $position")
        Thread.sleep(Long.MAX_VALUE)
    }
}

/** `path`: prints READY, then for each `send N` line sends N and answers `SENT N`. */
object SendOnRequest : Scenario {
    override fun run(args: List<String>) {
        openLongChannel(args[0]).use { channel ->
            println("READY")
            while (true) {
                val line = readlnOrNull() ?: return
                val value = line.removePrefix("send ").toLong()
                channel.putLong(value)
                println("SENT $value")
            }
        }
    }
}
