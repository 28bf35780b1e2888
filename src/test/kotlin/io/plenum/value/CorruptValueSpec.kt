package io.plenum.value

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.CodecException
import io.plenum.codec.Codecs
import io.plenum.segment.SegmentException
import io.plenum.segment.SegmentFormatException
import io.plenum.segment.SegmentHeader
import io.plenum.testing.TempPaths
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.random.Random

/**
 * Segment contents no writer of this code leaves: every one is refused with a SegmentException or
 * a CodecException naming the value, or read as some value, and never crashes or hangs (each probe
 * runs under a deadlock guard).
 */
class CorruptValueSpec : FunSpec({
    val paths = TempPaths("value-corrupt")
    afterSpec {
        paths.close()
    }

    fun pristine(): ByteArray {
        val path = paths.next("pristine")
        SharedValue.open(Codecs.STRING, ValueOptions.of(path).withInitialSize(64).withMaxSize(1 shl 16)).use { value ->
            value.set("first")
            value.set("a value that grows its buffer: " + "x".repeat(200))
        }
        return Files.readAllBytes(path).also { Files.delete(path) }
    }

    fun withBytes(bytes: ByteArray, block: (Path) -> Unit) {
        val path = paths.next("corrupt")
        Files.write(path, bytes)
        try {
            block(path)
        } finally {
            Files.deleteIfExists(path)
        }
    }

    /**
     * Opens, reads, writes and waits; returns what went wrong, failing on anything but a clean
     * refusal. Writes use a bounded lock wait: a fuzzed writer word can name a live process (this
     * one), and a lock held by a live process is a legitimate wait, not a hang.
     */
    fun probe(path: Path, case: String): Throwable? {
        val future = java.util.concurrent.CompletableFuture<Throwable?>()
        Thread.ofPlatform().daemon().name("corrupt-probe $case").start {
            future.complete(runCatching {
                SharedValue.open(Codecs.STRING, ValueOptions.of(path)).use { value ->
                    value.get()
                    value.stats()
                    value.waitForChange(value.version(), Duration.ofMillis(1))
                    value.tryLock(Duration.ofSeconds(1))?.use { batch ->
                        batch.set("after")
                        batch.get() shouldBe "after"
                    }
                    value.get()
                }
            }.exceptionOrNull())
        }
        val failure = try {
            future.get(60, TimeUnit.SECONDS)
        } catch (e: java.util.concurrent.TimeoutException) {
            throw AssertionError("a probe of $case did not end within 60 s", e)
        }
        if (failure != null && failure !is SegmentException && failure !is CodecException) {
            throw AssertionError("$case: a corrupt segment failed with $failure", failure)
        }
        return failure
    }

    val words = listOf(
        "writer" to 128L, "writer waiters" to 132L, "writer thread" to 136L, "recoveries" to 140L,
        "change" to 144L, "change waiters" to 148L,
        "descriptor" to ValueLayout.DESCRIPTOR_OFFSET, "descriptor high" to ValueLayout.DESCRIPTOR_OFFSET + 4,
        "version" to ValueLayout.VERSION_OFFSET, "grows" to ValueLayout.GROWS_OFFSET,
        "buffer 0 offset" to ValueLayout.bufferOffsetField(0), "buffer 0 capacity" to ValueLayout.bufferCapacityField(0),
        "buffer 1 offset" to ValueLayout.bufferOffsetField(1), "buffer 1 capacity" to ValueLayout.bufferCapacityField(1),
        "mappedSize" to SegmentHeader.MAPPED_SIZE_OFFSET.toLong(),
    )

    test("fuzzed control words: refused cleanly or read, never a crash or a hang") {
        val original = pristine()
        val random = Random(2026)
        val interesting = longArrayOf(0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L shl 31, 1L shl 32, 0xFFFFFFFFL,
            original.size.toLong(), original.size.toLong() - 8, 4096, 7)
        for ((name, offset) in words) {
            repeat(12) { round ->
                val bytes = original.copyOf()
                val word = if (round < interesting.size) interesting[round] else random.nextLong()
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset.toInt(), word)
                withBytes(bytes) { path ->
                    val failure = probe(path, "$name = 0x${word.toString(16)}")
                    failure?.message?.let { if (failure is SegmentFormatException) it shouldContain path.toString() }
                }
            }
        }
    }

    test("fuzzed buffer stamps and bytes: refused cleanly or read") {
        val original = pristine()
        val random = Random(7)
        val buffers = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN)
        val stamps = (0..1).map { buffers.getLong(ValueLayout.bufferOffsetField(it).toInt()).toInt() }
        for (stamp in stamps) {
            repeat(20) {
                val bytes = original.copyOf()
                val at = stamp + random.nextInt(0, 40)
                bytes[at] = random.nextInt().toByte()
                withBytes(bytes) { probe(it, "byte ${at - stamp} of the buffer at $stamp") }
            }
        }
    }

    test("a stamp that disagrees with a still descriptor is corruption, and says so") {
        val original = pristine()
        val buffer = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN)
        val descriptor = buffer.getLong(ValueLayout.DESCRIPTOR_OFFSET.toInt())
        val current = buffer.getLong(ValueLayout.bufferOffsetField(ValueLayout.sequenceOf(descriptor) and 1).toInt())
        buffer.putLong(current.toInt(), 99)
        withBytes(original) { path ->
            SharedValue.open(Codecs.STRING, ValueOptions.of(path)).use { value ->
                shouldThrow<SegmentFormatException> { value.get() }.message shouldContain "field stamp"
            }
        }
    }

    test("an encoding the codec refuses is a CodecException naming the value") {
        val path = paths.next("bad-utf8")
        SharedValue.open(Codecs.BYTES, ValueOptions.of(path)).use { it.set(byteArrayOf(0xC3.toByte())) }
        SharedValue.open(Codecs.STRING, ValueOptions.of(path)).use { value ->
            val failure = shouldThrow<CodecException> { value.get() }
            failure.message shouldContain "shared value"
            failure.message shouldContain "UTF-8"
        }
    }
})
