package io.plenum.channel

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.Codec
import io.plenum.codec.Codecs
import io.plenum.linux.Fs
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentFormatException
import io.plenum.testing.callWithNull
import io.plenum.testing.TempPaths
import java.lang.foreign.Arena
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.CancellationException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** Every backing passes the same channel contract. */
class ChannelContractSpec : FunSpec({
    val paths = TempPaths("channel-contract")
    afterSpec {
        Files.list(paths.root.parent).use { entries ->
            entries.filter { it.fileName.toString().startsWith("${paths.root.fileName}-") }.forEach(Files::deleteIfExists)
        }
        paths.close()
    }

    val backings: List<Pair<String, () -> Backing>> = listOf(
        "file" to { Backing.file(paths.next()) },
        "shm name" to { Backing.shm("${paths.root.fileName}-${System.nanoTime()}") },
        "memfd" to { Backing.memfd("plenum-channel-contract") },
        "anonymous" to { Backing.anonymous() },
        "fd of an empty memfd" to { Backing.fd(Fs.memfdCreate("plenum-channel-empty")) },
    )

    fun <T : Any> open(backing: Backing, codec: Codec<T>, capacity: Int, max: Int = 64): SharedChannel<T> =
        SharedChannel.open(codec, ChannelOptions.of(backing).withCapacity(capacity).withMaxMessageSize(max))

    for ((name, backing) in backings) {
        context("backing: $name") {
            for (capacity in listOf(1, 3, 64)) {
                test("capacity $capacity: FIFO over several laps, full and empty answered without waiting") {
                    open(backing(), Codecs.STRING, capacity).use { channel ->
                        channel.capacity() shouldBe capacity
                        channel.tryPoll().shouldBeNull()
                        var next = 0
                        var expected = 0
                        repeat(5) {
                            while (channel.tryOffer("m$next")) next++
                            channel.size() shouldBe capacity
                            channel.offer("late", Duration.ofMillis(5)) shouldBe false
                            repeat(capacity) { channel.take() shouldBe "m${expected++}" }
                            channel.poll(Duration.ofMillis(5)).shouldBeNull()
                        }
                        val stats = channel.stats()
                        stats.sent shouldBe 5L * capacity
                        stats.received shouldBe 5L * capacity
                        stats.queued shouldBe 0
                        (stats.full >= 5) shouldBe true
                        channel.writingSlots().shouldBeEmpty()
                    }
                }
            }

            test("allocation-free forms: long, int, double and raw bytes, wire-compatible with the codecs") {
                open(backing(), Codecs.LONG, 8, 16).use { channel ->
                    channel.putLong(42)
                    channel.tryOfferLong(-1) shouldBe true
                    channel.put(7L)
                    channel.tryPollLongOr(0) shouldBe 42
                    channel.take() shouldBe -1L
                    channel.takeLong() shouldBe 7
                    channel.tryPollLongOr(99) shouldBe 99
                    channel.pollLongOr(Duration.ofMillis(5), -7) shouldBe -7
                    channel.offerLong(8, Duration.ofMillis(5)) shouldBe true
                    channel.pollLongOr(Duration.ofMillis(5), -7) shouldBe 8
                    channel.putInt(5)
                    shouldThrow<io.plenum.codec.CodecException> { channel.takeLong() }.message shouldContain "4 bytes"
                    channel.putDouble(-0.0)
                    channel.takeDouble().toRawBits() shouldBe (-0.0).toRawBits()
                    channel.putInt(11)
                    channel.takeInt() shouldBe 11
                    Arena.ofConfined().use { arena ->
                        val message = arena.allocate(16)
                        message.fill(3)
                        channel.putBytes(message)
                        val small = arena.allocate(8)
                        shouldThrow<IllegalArgumentException> { channel.takeBytes(small) }.message shouldContain "nothing was taken"
                        val target = arena.allocate(32)
                        channel.takeBytes(target) shouldBe 16
                        target.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 15) shouldBe 3.toByte()
                        channel.tryPollBytes(target) shouldBe -1
                        shouldThrow<IllegalArgumentException> { channel.tryOfferBytes(arena.allocate(17)) }.message shouldContain "maxMessageSize 16"
                    }
                }
            }

            test("bad input leaves nothing: null, oversize, a throwing codec") {
                val throwing = Codec.of<String>("throwing", { throw IllegalStateException("cannot encode $it") }, { String(it) })
                open(backing(), throwing, 4, 8).use { channel ->
                    shouldThrow<IllegalStateException> { channel.put("x") }.message shouldContain "cannot encode"
                    shouldThrow<IllegalStateException> { channel.tryOffer("x") }
                    shouldThrow<IllegalStateException> { channel.sendAsync("x") }
                    channel.size() shouldBe 0
                    channel.stats().sent shouldBe 0
                }
                open(backing(), Codecs.STRING, 4, 8).use { channel ->
                    shouldThrow<IllegalArgumentException> { callWithNull(channel, "put") }.message shouldContain "null"
                    shouldThrow<IllegalArgumentException> { channel.put("123456789") }.message shouldContain "exceeds maxMessageSize 8"
                    channel.tryOffer("12345678") shouldBe true
                    channel.stats().sent shouldBe 1
                    channel.tryPoll() shouldBe "12345678"
                    channel.tryPoll().shouldBeNull()
                }
            }

            test("raw bytes from memory that cannot be read (closed, or confined to another thread) are refused and leave no claimed slot") {
                open(backing(), Codecs.BYTES, 4, 16).use { channel ->
                    val closed = Arena.ofConfined().let { arena -> arena.allocate(8).also { arena.close() } }
                    shouldThrow<IllegalStateException> { channel.tryOfferBytes(closed) }.message shouldContain "nothing was sent"
                    shouldThrow<IllegalStateException> { channel.putBytes(closed) }
                    val foreign = java.util.concurrent.CompletableFuture.supplyAsync { Arena.ofConfined().allocate(8) }.get()
                    shouldThrow<WrongThreadException> { channel.tryOfferBytes(foreign) }
                    channel.size() shouldBe 0
                    channel.stats().sent shouldBe 0
                    // The channel still works, in order: no slot was left claimed in front of the next message.
                    channel.tryOffer(byteArrayOf(1, 2)) shouldBe true
                    channel.tryPoll()!!.toList() shouldBe listOf<Byte>(1, 2)
                    // What a copy that fails after the claim (memory closed by another thread meanwhile) does.
                    channel.ring.giveBack(channel.ring.claim())
                    channel.tryOffer(byteArrayOf(3)) shouldBe true
                    channel.tryPoll()!!.toList() shouldBe listOf<Byte>(3)
                    channel.stats().sent shouldBe 2
                    channel.stats().queued shouldBe 0
                }
            }

            test("closeForSend: sends fail with the reason, receivers drain and then see the end") {
                open(backing(), Codecs.STRING, 4).use { channel ->
                    channel.put("a")
                    channel.put("b")
                    channel.closeForSend("shutting down") shouldBe true
                    channel.closeForSend("again") shouldBe false
                    channel.isClosedForSend shouldBe true
                    channel.isClosedForReceive shouldBe false
                    shouldThrow<ChannelClosedException> { channel.put("c") }.reason() shouldBe "shutting down"
                    shouldThrow<ChannelClosedException> { channel.tryOffer("c") }
                    channel.take() shouldBe "a"
                    channel.poll(Duration.ofSeconds(1)) shouldBe "b"
                    channel.isClosedForReceive shouldBe true
                    channel.poll(Duration.ofSeconds(5)).shouldBeNull()
                    channel.tryPoll().shouldBeNull()
                    shouldThrow<ChannelClosedException> { channel.take() }.message shouldContain "shutting down"
                    shouldThrow<java.util.concurrent.ExecutionException> { channel.receiveAsync().get(5, TimeUnit.SECONDS) }
                        .cause!!::class shouldBe ChannelClosedException::class
                }
            }

            test("a blocked take is woken by a put and by a close; a blocked put by a take") {
                open(backing(), Codecs.LONG, 1, 8).use { channel ->
                    var got = 0L
                    val taker = thread { got = channel.takeLong() }
                    Thread.sleep(100)
                    channel.putLong(5)
                    taker.join(10_000)
                    got shouldBe 5
                    channel.putLong(1)
                    val putter = thread { channel.putLong(2) }
                    Thread.sleep(100)
                    channel.takeLong() shouldBe 1
                    putter.join(10_000)
                    channel.takeLong() shouldBe 2
                    var ended: Throwable? = null
                    val waiter = thread { ended = runCatching { channel.takeLong() }.exceptionOrNull() }
                    Thread.sleep(100)
                    channel.closeForSend()
                    waiter.join(10_000)
                    ended!!::class shouldBe ChannelClosedException::class
                }
            }

            test("overflow DROP_OLDEST keeps the newest, DROP_LATEST keeps the oldest, both counted dropped") {
                val oldest = backing()
                SharedChannel.open(Codecs.LONG, ChannelOptions.of(oldest).withCapacity(3).withMaxMessageSize(8)
                    .withOverflow(ChannelOverflow.DROP_OLDEST)).use { channel ->
                    (1L..10L).forEach { channel.put(it) }
                    listOf(channel.takeLong(), channel.takeLong(), channel.takeLong()) shouldBe listOf(8L, 9L, 10L)
                    channel.stats().dropped shouldBe 7
                    channel.stats().received shouldBe 3
                }
                SharedChannel.open(Codecs.LONG, ChannelOptions.of(backing()).withCapacity(3).withMaxMessageSize(8)
                    .withOverflow(ChannelOverflow.DROP_LATEST)).use { channel ->
                    (1L..10L).forEach { channel.tryOffer(it) shouldBe true }
                    listOf(channel.takeLong(), channel.takeLong(), channel.takeLong()) shouldBe listOf(1L, 2L, 3L)
                    channel.stats().dropped shouldBe 7
                    channel.stats().sent shouldBe 3
                }
            }

            test("futures: receiveAsync served in order by sends, cancelling one loses nothing, sendAsync waits for room") {
                open(backing(), Codecs.LONG, 2, 8).use { channel ->
                    val first = channel.receiveAsync()
                    val cancelled = channel.receiveAsync()
                    val third = channel.receiveAsync()
                    cancelled.cancel(false) shouldBe true
                    channel.put(1L)
                    channel.put(2L)
                    first.get(10, TimeUnit.SECONDS) shouldBe 1L
                    third.get(10, TimeUnit.SECONDS) shouldBe 2L
                    channel.put(3L)
                    channel.put(4L)
                    val pending = channel.sendAsync(5L)
                    Thread.sleep(50)
                    pending.isDone shouldBe false
                    channel.take() shouldBe 3L
                    pending.get(10, TimeUnit.SECONDS)
                    channel.take() shouldBe 4L
                    channel.take() shouldBe 5L
                    val late = channel.receiveAsync()
                    late.cancel(true) shouldBe true
                    shouldThrow<CancellationException> { late.get() }
                    channel.put(6L)
                    channel.tryPoll() shouldBe 6L
                }
            }

            test("releasing the handle fails its pending waits and every later call; other handles go on") {
                val shared = backing()
                open(shared, Codecs.LONG, 2, 8).use { channel ->
                    val pending = channel.receiveAsync()
                    channel.close()
                    shouldThrow<java.util.concurrent.ExecutionException> { pending.get(5, TimeUnit.SECONDS) }
                        .cause!!.message shouldContain "handle is closed"
                    shouldThrow<IllegalStateException> { channel.tryOffer(1L) }.message shouldContain "closed"
                    shouldThrow<IllegalStateException> { channel.stats() }
                    channel.close()
                }
            }

            test("a slot left WRITING by a dead producer is skipped after the recovery interval and counted abandoned") {
                SharedChannel.open(Codecs.LONG, ChannelOptions.of(backing()).withCapacity(4).withMaxMessageSize(8)
                    .withRecoveryInterval(Duration.ofMillis(100))).use { channel ->
                    channel.writeSlotWord(0, writingWord(0, DEAD_TOKEN))
                    channel.writeLong(ChannelLayout.TAIL_OFFSET, 1)
                    channel.putLong(9)
                    channel.tryPollLongOr(-1) shouldBe -1
                    channel.poll(Duration.ofSeconds(20)) shouldBe 9L
                    val stats = channel.stats()
                    stats.abandoned shouldBe 1
                    stats.recoveries shouldBe 1
                    stats.sent shouldBe stats.received + stats.abandoned
                    channel.writingSlots().shouldBeEmpty()
                }
            }
        }
    }

    test("reopening: the header is the truth, a different geometry is refused naming the field") {
        val path = paths.next().toString()
        SharedChannel.open(Codecs.STRING, ChannelOptions.of(path).withCapacity(16).withMaxMessageSize(100)).use { channel ->
            channel.put("kept")
            SharedChannel.open(Codecs.STRING, ChannelOptions.of(path)).use { again ->
                again.capacity() shouldBe 16
                again.maxMessageSize() shouldBe 100
                again.take() shouldBe "kept"
            }
            shouldThrow<SegmentFormatException> {
                SharedChannel.open(Codecs.STRING, ChannelOptions.of(path).withCapacity(8))
            }.message shouldContain "capacity"
            shouldThrow<IllegalArgumentException> { ChannelOptions.of(path).withCapacity(0) }.message shouldContain "capacity: 0"
            shouldThrow<IllegalArgumentException> { ChannelOptions.of(path).withMaxMessageSize(-5) }.message shouldContain "maxMessageSize"
            shouldThrow<io.plenum.segment.SegmentException> {
                SharedChannel.open(Codecs.STRING, ChannelOptions.of(paths.next()).withMode(OpenMode.OPEN_EXISTING))
            }
        }
    }

    test("threads of one JVM: 4 producers x 4 consumers x 50,000, each exactly once and in per-producer order") {
        SharedChannel.open(Codecs.LONG, ChannelOptions.of(paths.next()).withCapacity(256).withMaxMessageSize(8)).use { channel ->
            val perProducer = 50_000L
            val seen = ConcurrentHashMap.newKeySet<Long>()
            val errors = ConcurrentHashMap.newKeySet<String>()
            val consumers = (0 until 4).map { c ->
                thread(name = "consumer-$c") {
                    val last = LongArray(4) { -1 }
                    while (true) {
                        val value = try { channel.takeLong() } catch (e: ChannelClosedException) { break }
                        val producer = (value ushr 32).toInt()
                        val sequence = value and 0xFFFF_FFFFL
                        if (sequence <= last[producer]) errors += "consumer $c: producer $producer sent $sequence after ${last[producer]}"
                        last[producer] = sequence
                        if (!seen.add(value)) errors += "duplicate $value"
                    }
                }
            }
            val producers = (0 until 4).map { p ->
                thread(name = "producer-$p") { for (i in 0 until perProducer) channel.putLong((p.toLong() shl 32) or i) }
            }
            producers.forEach { it.join() }
            channel.closeForSend()
            consumers.forEach { it.join(60_000) }
            errors.shouldBeEmpty()
            seen.size shouldBe 4 * perProducer.toInt()
            channel.stats().received shouldBe 4 * perProducer
        }
    }
})
