package io.plenum.array

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentException
import io.plenum.segment.SegmentExistsException
import io.plenum.segment.SegmentFormatException
import io.plenum.segment.SegmentNotFoundException
import io.plenum.testing.TempPaths
import java.nio.file.Files

/** File-backed arrays: data survives close and reopen; the header decides, and bad opens change nothing. */
class ArrayPersistenceSpec : FunSpec({
    val paths = TempPaths("array-persistence")
    afterSpec { paths.close() }

    test("data of every element type persists across close and reopen of a file-backed array") {
        val longs = paths.next("i64")
        val strings = paths.next("str")
        val bytes = paths.next("u8")
        SharedLongArray(longs.toString()) { capacity = 3 }.use { it.copyFrom(0, longArrayOf(-1, 0, Long.MAX_VALUE)); it.sync() }
        SharedStringArray(strings.toString()) { capacity = 2; maxLength = 16 }.use { it.set(1, "tail\u0000"); it.sync() }
        SharedUByteArray(bytes.toString()) { capacity = 2 }.use { it.setRelease(0, 255u) }

        SharedLongArray(longs.toString()).use { // no capacity: the header's
            it.created() shouldBe false
            it.capacity() shouldBe 3
            it.slice(0, 3).toList() shouldBe listOf(-1L, 0L, Long.MAX_VALUE)
        }
        SharedStringArray(strings.toString()).use {
            it.maxLength() shouldBe 16
            it.get(1) shouldBe "tail\u0000"
        }
        SharedUByteArray(bytes.toString()) { mode = OpenMode.OPEN_EXISTING }.use { it[0] shouldBe 255.toUByte() }
    }

    test("wrong element type, capacity or maxLength on reopen is refused with the field named, nothing written") {
        val path = paths.next("i32")
        SharedIntArray(path.toString()) { capacity = 4 }.use { it.fill(5) }
        val before = Files.readAllBytes(path)
        shouldThrow<SegmentFormatException> { SharedLongArray(path.toString()) }.message shouldContain
            "field variant: the segment holds variant I32, not the requested I64"
        shouldThrow<SegmentFormatException> { SharedUnsignedIntArray.open(ArrayOptions.of(Backing.file(path))) }.message shouldContain
            "not the requested U32"
        shouldThrow<SegmentFormatException> { SharedIntArray(path.toString()) { capacity = 8 } }.message shouldContain
            "field capacity: 8 requested but the segment holds 4"
        shouldThrow<SegmentExistsException> { SharedIntArray(path.toString()) { capacity = 4; mode = OpenMode.CREATE_NEW } }
        Files.readAllBytes(path) shouldBe before

        val strings = paths.next("str")
        SharedStringArray(strings.toString()) { capacity = 2; maxLength = 8 }.close()
        shouldThrow<SegmentFormatException> { SharedStringArray(strings.toString()) { maxLength = 9 } }.message shouldContain
            "field elementSize: 9 bytes requested but the segment holds 8"
    }

    test("bad options are refused before anything is created") {
        val path = paths.next("never")
        shouldThrow<IllegalArgumentException> { SharedLongArray(path.toString()) { capacity = 0 } }.message shouldContain "capacity"
        shouldThrow<IllegalArgumentException> { SharedLongArray(path.toString()) { capacity = 2; maxLength = 4 } }.message shouldContain
            "maxLength is for string arrays only"
        shouldThrow<SegmentException> { SharedStringArray(path.toString()) { capacity = 2 } }.message shouldContain
            "needs a variant, a capacity and an element size" // a string array's element size is its maxLength
        shouldThrow<SegmentNotFoundException> { SharedLongArray(path.toString()) { mode = OpenMode.OPEN_EXISTING } }
        Files.exists(path) shouldBe false
    }

    test("a corrupt array descriptor is refused, naming the field") {
        val path = paths.next("corrupt")
        SharedLongArray(path.toString()) { capacity = 4 }.close()
        java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE).use { channel ->
            channel.write(java.nio.ByteBuffer.wrap(byteArrayOf(9)), ArrayLayout.DATA_OFFSET_OFFSET)
        }
        shouldThrow<SegmentFormatException> { SharedLongArray(path.toString()) }.message shouldContain "array descriptor field dataOffset"
    }

    test("a memfd array is shared with another open through its fd, and unlink removes a file's name only") {
        SharedLongArray { backing = Backing.memfd("plenum-array-fd"); capacity = 2 }.use { first ->
            first.path().isPresent shouldBe false
            first.setRelease(1, 42)
            SharedLongArray { backing = Backing.fd(first.fd()) }.use { second ->
                second.get(1) shouldBe 42
                second.incrementAndGet(1)
            }
            first.get(1) shouldBe 43
            first.unlink() shouldBe false
        }
        val path = paths.next("unlink")
        SharedLongArray(path.toString()) { capacity = 2 }.use {
            it.unlink() shouldBe true
            Files.exists(path) shouldBe false
            it.setRelease(0, 1) // the mapping lives on
            it.get(0) shouldBe 1
        }
    }
})
