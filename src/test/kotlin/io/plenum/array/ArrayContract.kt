package io.plenum.array

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.funSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.segment.Backing
import java.lang.foreign.Arena
import java.lang.foreign.ValueLayout
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * What every shared array must do on every backing: [backing] gives a fresh backing per array
 * (named backings must not exist yet).
 */
fun arrayContract(name: String, backing: () -> Backing) = funSpec {
    fun options(capacity: Int) = ArrayOptions.of(backing()).withCapacity(capacity)

    for (case in IntegerCase.all) {
        test("$name: $case single-element atomics follow the type's arithmetic") {
            case.open(options(5)).use { array ->
                val a = case.of(array)
                array.elementType() shouldBe case.type
                array.capacity() shouldBe 5
                array.elementSize() shouldBe case.bits / 8
                for (i in 0 until 5) a[i] shouldBe 0L
                a[4] = case.max
                a[4] shouldBe case.max
                a[0] = case.min
                a[0] shouldBe case.min
                a.incrementAndGet(4) shouldBe case.wrap(case.max + 1) // wraps to min
                a.decrementAndGet(4) shouldBe case.max
                a.getAndAdd(0, -1) shouldBe case.min
                a[0] shouldBe case.max // wrapped backwards
                // Neighbours in the same 32-bit word are untouched by 8/16-bit read-modify-writes.
                a[1] = 7; a[2] = 9
                a.addAndGet(1, 100) shouldBe 107L
                a.getAndSet(1, 42) shouldBe 107L
                a.compareAndSet(1, 41, 5) shouldBe false
                a.compareAndSet(1, 42, 5) shouldBe true
                a.compareAndExchange(1, 5, 6) shouldBe 5L
                a.compareAndExchange(1, 5, 8) shouldBe 6L
                a.getAndBitwiseOr(1, 0x70) shouldBe 6L
                a.getAndBitwiseAnd(1, 0x33) shouldBe 0x76L
                a.getAndBitwiseXor(1, 0x11) shouldBe 0x32L
                a[1] shouldBe 0x23L
                a[2] shouldBe 9L
                a[0] shouldBe case.max
                a[4] shouldBe case.max
                a[3] shouldBe 0L
            }
        }

        test("$name: $case bulk copies, fill, clear, add of ranges and raw bytes") {
            case.open(options(10)).use { array ->
                val a = case.of(array)
                a.fill(0, 10, 3)
                (0 until 10).map { a[it] } shouldBe List(10) { 3L }
                a.fill(2, 3, case.max)
                array.clear(0, 2)
                (0 until 10).map { a[it] } shouldBe listOf(0L, 0L, case.max, case.max, case.max, 3L, 3L, 3L, 3L, 3L)
                val raw = array.getRaw(0, 10)
                raw.size shouldBe 10 * array.stride()
                array.clear()
                (0 until 10).map { a[it] } shouldBe List(10) { 0L }
                array.setRaw(0, raw)
                a[2] shouldBe case.max
                a[9] shouldBe 3L

                // Typed copies through the storage array type, via the generic NumericArray API.
                @Suppress("UNCHECKED_CAST")
                val numeric = array as NumericArray<Any>
                val slice = numeric.slice(2, 4)
                java.lang.reflect.Array.getLength(slice) shouldBe 4
                numeric.copyFrom(6, slice)
                (6 until 10).map { a[it] } shouldBe listOf(case.max, case.max, case.max, 3L)
                val deltas = numeric.slice(0, 10)
                numeric.addRange(0, deltas) // doubles every element
                (0 until 10).map { a[it] } shouldBe listOf(0L, 0L, case.max, case.max, case.max, 3L, case.max, case.max, case.max, 3L)
                    .map { case.wrap(it * 2) }

                val buffer = ByteBuffer.allocate(4 * array.stride())
                array.getRaw(5, 4, buffer)
                buffer.position() shouldBe buffer.capacity()
                buffer.flip()
                array.setRaw(0, buffer)
                a[0] shouldBe case.wrap(6)
                Arena.ofConfined().use { arena ->
                    val segment = arena.allocate(3L * array.stride())
                    array.getRaw(0, 3, segment, 0)
                    array.setRaw(7, segment, 0, 3)
                    a[7] shouldBe case.wrap(6)
                }
            }
        }

        test("$name: $case rejects bad indices, ranges and values, changing nothing") {
            case.open(options(4)).use { array ->
                val a = case.of(array)
                a.fill(0, 4, 1)
                val before = array.getRaw(0, 4)
                shouldThrow<IndexOutOfBoundsException> { a[4] }.message shouldContain "index 4 out of bounds for capacity 4"
                shouldThrow<IndexOutOfBoundsException> { a[-1] = 1 }.message shouldContain "index -1"
                shouldThrow<IndexOutOfBoundsException> { a.incrementAndGet(4) }
                shouldThrow<IndexOutOfBoundsException> { a.fill(2, 3, 9) }.message shouldContain "range of 3 elements from 2"
                shouldThrow<IndexOutOfBoundsException> { array.clear(-1, 2) }
                shouldThrow<IndexOutOfBoundsException> { array.getRaw(1, 4) }
                shouldThrow<IndexOutOfBoundsException> { array.setRaw(3, ByteArray(2 * array.stride())) }
                if (array.stride() > 1) {
                    shouldThrow<IllegalArgumentException> { array.setRaw(0, ByteArray(array.stride() + 1)) }
                        .message shouldContain "not a multiple of the element stride"
                }
                if (!case.signed && case.bits < 64) {
                    shouldThrow<IllegalArgumentException> { a[0] = case.max + 1 }.message shouldContain "out of range 0..${case.max}"
                    shouldThrow<IllegalArgumentException> { a.compareAndSet(0, -1, 0) }.message shouldContain "expected -1"
                    shouldThrow<IllegalArgumentException> { a.fill(0, 4, -1) }
                }
                array.getRaw(0, 4) shouldBe before
            }
        }
    }

    test("$name: F64 values, bit-pattern compare-and-set, atomic add") {
        SharedDoubleArray.open(options(4)).use { array ->
            array.setRelease(0, 1.5)
            array.get(0) shouldBe 1.5
            array.addAndGet(0, 2.25) shouldBe 3.75
            array.getAndAdd(0, -0.75) shouldBe 3.75
            array.compareAndSet(0, 3.0, 7.0) shouldBe true
            array.compareAndExchange(0, 1.0, 2.0) shouldBe 7.0
            array.setRelease(1, Double.NaN)
            array.compareAndSet(1, Double.NaN, 1.0) shouldBe true
            array.setRelease(2, -0.0)
            array.compareAndSet(2, 0.0, 1.0) shouldBe false
            array.getAndSet(2, Double.MAX_VALUE) shouldBe -0.0
            array.fill(0, 4, Math.PI)
            array.slice(0, 4).toList() shouldBe List(4) { Math.PI }
            array.addRange(1, doubleArrayOf(1.0, 2.0))
            array.slice(0, 4).toList() shouldBe listOf(Math.PI, Math.PI + 1, Math.PI + 2, Math.PI)
            val dst = DoubleArray(6)
            array.copyTo(1, dst, 2, 3)
            dst.toList() shouldBe listOf(0.0, 0.0, Math.PI + 1, Math.PI + 2, Math.PI, 0.0)
            shouldThrow<IndexOutOfBoundsException> { array.copyTo(0, dst, 4, 3) }.message shouldContain "of dst"
            array.asBuffer().get(3) shouldBe Math.PI
        }
    }

    test("$name: F32 values, bit-pattern compare-and-set, atomic add") {
        SharedFloatArray.open(options(3)).use { array ->
            array.setRelease(2, 0.5f)
            array.addAndGet(2, 0.25f) shouldBe 0.75f
            array.compareAndSet(2, 0.75f, Float.NaN) shouldBe true
            array.compareAndExchange(2, Float.NaN, 1f).isNaN() shouldBe true
            array.get(2) shouldBe 1f
            array.copyFrom(0, floatArrayOf(1f, 2f))
            array.slice(0, 3).toList() shouldBe listOf(1f, 2f, 1f)
            array.asBuffer().get(1) shouldBe 2f
        }
    }

    test("$name: strings keep their real length, trailing NULs included") {
        SharedStringArray.open(options(4).withMaxLength(8)).use { array ->
            array.elementType() shouldBe ElementType.STR
            array.maxLength() shouldBe 8
            array.elementSize() shouldBe 8
            array.stride() shouldBe 12
            array.get(0) shouldBe ""
            array.setBytes(0, byteArrayOf(1, 0, 0))
            array.getBytes(0).toList() shouldBe listOf<Byte>(1, 0, 0)
            array.length(0) shouldBe 3
            array.set(1, "ab\u0000\u0000")
            array.get(1) shouldBe "ab\u0000\u0000"
            array.set(2, "12345678")
            array.get(2) shouldBe "12345678"
            array.set(2, "x")
            array.get(2) shouldBe "x"
            array.view(2).get(ValueLayout.JAVA_BYTE, 5) shouldBe 0.toByte() // the rest of the old value is gone
            array.copyFrom(2, "é", "∑")
            array.slice(0, 4).toList() shouldBe listOf("\u0001\u0000\u0000", "ab\u0000\u0000", "é", "∑")
        }
    }

    test("$name: over-long strings are rejected unless truncation is asked for") {
        SharedStringArray.open(options(3).withMaxLength(4)).use { array ->
            array.set(0, "keep")
            val before = array.getRaw(0, 3)
            shouldThrow<IllegalArgumentException> { array.set(0, "toolong") }.message shouldContain
                "value for index 0 is 7 bytes, longer than the element's maxLength 4"
            shouldThrow<IllegalArgumentException> { array.setBytes(1, ByteArray(5)) }
            shouldThrow<IllegalArgumentException> { array.copyFrom(0, "ok", "12345") }.message shouldContain "index 1"
            shouldThrow<IndexOutOfBoundsException> { array.set(3, "x") }
            val corrupt = before.copyOf()
            ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 5)
            shouldThrow<IllegalArgumentException> { array.setRaw(0, corrupt) }.message shouldContain "length 5"
            array.getRaw(0, 3) shouldBe before
            array.setTruncating(1, "abcdef") shouldBe 4
            array.get(1) shouldBe "abcd"
            array.setTruncating(1, "abcé") shouldBe 3 // é is two bytes: cut before it, not through it
            array.get(1) shouldBe "abc"
            array.setBytesTruncating(2, byteArrayOf(1, 2, 3, 4, 5, 6)) shouldBe 4
            array.getBytes(2).toList() shouldBe listOf<Byte>(1, 2, 3, 4)
            array.fill("zz")
            array.slice(0, 3).toList() shouldBe listOf("zz", "zz", "zz")
            array.clear(1, 1)
            array.get(1) shouldBe ""
        }
    }

    test("$name: views are read-only, zero-copy and typed") {
        SharedLongArray.open(options(4)).use { array ->
            array.setRelease(3, 77)
            val view = array.view()
            view.byteSize() shouldBe 32
            view.isReadOnly shouldBe true
            view.get(ValueLayout.JAVA_LONG, 24) shouldBe 77
            array.setRelease(3, 78)
            view.get(ValueLayout.JAVA_LONG, 24) shouldBe 78 // no copy
            array.view(3).byteSize() shouldBe 8
            shouldThrow<IllegalArgumentException> { view.set(ValueLayout.JAVA_LONG, 0, 1) } // read-only
            array.asBuffer().isReadOnly shouldBe true
            array.asBuffer().get(3) shouldBe 78
            shouldThrow<IndexOutOfBoundsException> { array.view(4) }
        }
    }

    test("$name: lifecycle, stats, and use after close") {
        val array = SharedLongArray.open(options(16))
        array.created() shouldBe true
        val stats = array.stats()
        stats.elementType() shouldBe ElementType.I64
        stats.capacity() shouldBe 16
        stats.stride() shouldBe 8
        stats.lockRecoveries() shouldBe 0
        withClue("mapped size covers header, locks and data") {
            (array.mappedSize() >= 128 + 16 * 8) shouldBe true
        }
        stats.mappedSize() shouldBe array.mappedSize()
        array.sync()
        val view = array.view()
        array.close()
        array.isClosed shouldBe true
        array.close() // idempotent
        shouldThrow<IllegalStateException> { array.get(0) }
        shouldThrow<IllegalStateException> { array.incrementAndGet(0) }
        shouldThrow<IllegalStateException> { array.slice(0, 2) }
        shouldThrow<IllegalStateException> { view.get(ValueLayout.JAVA_LONG, 0) }
        shouldThrow<IllegalStateException> { array.fd() }
    }
}
