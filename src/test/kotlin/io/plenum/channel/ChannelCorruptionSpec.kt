package io.plenum.channel

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.CodecException
import io.plenum.codec.Codecs
import io.plenum.segment.SegmentException
import io.plenum.segment.SegmentFormatException
import io.plenum.testing.TempPaths
import java.io.RandomAccessFile
import java.time.Duration
import java.util.Random
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** Corrupt channel segments are refused or fail cleanly: never a hang, never a crash. */
class ChannelCorruptionSpec : FunSpec({
    val paths = TempPaths("channel-corrupt")
    afterSpec { paths.close() }

    test("a header field changed on disk is refused at open, naming the field") {
        val path = paths.next()
        SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withCapacity(8).withMaxMessageSize(8)).close()
        RandomAccessFile(path.toFile(), "rw").use { file ->
            file.seek(16) // capacity
            file.write(byteArrayOf(0x7f, 0x7f))
        }
        shouldThrow<SegmentException> { SharedChannel.open(Codecs.LONG, ChannelOptions.of(path)) }.message shouldContain path.toString()
    }

    test("a slot word from another lap, an invalid state, a length over the maximum: a SegmentFormatException naming the slot") {
        SharedChannel.open(Codecs.STRING, ChannelOptions.of(paths.next()).withCapacity(4).withMaxMessageSize(16)).use { channel ->
            channel.put("a")
            channel.writeInt(ChannelLayout.SLOTS_OFFSET + ChannelLayout.SLOT_LENGTH, 1_000)
            shouldThrow<SegmentFormatException> { channel.tryPoll() }.message shouldContain "field len: 1000"
            channel.writeSlotWord(0, SlotWord.of(0, 3, 0))
            shouldThrow<SegmentFormatException> { channel.tryPoll() }.message shouldContain "slot 0"
            channel.writeSlotWord(0, SlotWord.empty(0))
            channel.writeLong(ChannelLayout.HEAD_OFFSET, 8) // lap 2 at slot 0 while the slot is at lap 0
            shouldThrow<SegmentFormatException> { channel.tryPoll() }.message shouldContain "impossible for a consumer"
            channel.writeLong(ChannelLayout.TAIL_OFFSET, -5)
            shouldThrow<SegmentFormatException> { channel.tryOffer("b") }.message shouldContain "tail hint"
        }
    }

    test("fuzz: random slot words and control fields; every call answers or throws cleanly within its bound") {
        val random = Random(12345)
        val executor = Executors.newSingleThreadExecutor()
        try {
            repeat(300) { round ->
                SharedChannel.open(Codecs.STRING, ChannelOptions.of(paths.next()).withCapacity(1 + random.nextInt(6))
                    .withMaxMessageSize(16).withRecoveryInterval(Duration.ofMillis(1))).use { channel ->
                    repeat(random.nextInt(channel.capacity() + 1)) { channel.tryOffer("m$it") }
                    repeat(1 + random.nextInt(4)) {
                        when (random.nextInt(6)) {
                            0, 1 -> channel.writeSlotWord(random.nextInt(channel.capacity()), random.nextLong())
                            2 -> channel.writeLong(ChannelLayout.TAIL_OFFSET, random.nextLong(-2, 40))
                            3 -> channel.writeLong(ChannelLayout.HEAD_OFFSET, random.nextLong(-2, 40))
                            4 -> channel.writeInt(ChannelLayout.CLOSED_OFFSET, random.nextInt(4))
                            else -> channel.writeInt(ChannelLayout.SLOTS_OFFSET + random.nextInt(channel.capacity()) * channel.ring.slotSize
                                + ChannelLayout.SLOT_LENGTH, random.nextInt())
                        }
                    }
                    channel.writeInt(ChannelLayout.REASON_LENGTH_OFFSET, if (random.nextBoolean()) 0 else random.nextInt())
                    val calls = listOf<() -> Any?>(
                        { channel.tryPoll() }, { channel.tryOffer("x") }, { channel.poll(Duration.ofMillis(5)) },
                        { channel.offer("y", Duration.ofMillis(5)) }, { channel.stats() }, { channel.isClosedForReceive },
                        { channel.closeReason() }, { channel.tryPollLongOr(0) }, { channel.size() },
                    )
                    for (call in calls) {
                        val outcome = executor.submit<Throwable?> {
                            try {
                                call()
                                null
                            } catch (e: SegmentFormatException) {
                                null
                            } catch (e: CodecException) {
                                null
                            } catch (e: ChannelClosedException) {
                                null
                            } catch (e: Throwable) {
                                e
                            }
                        }.get(30, TimeUnit.SECONDS)
                        if (outcome != null) throw AssertionError("round $round: unexpected ${outcome}", outcome)
                    }
                }
            }
        } finally {
            executor.shutdownNow()
        }
    }
})
