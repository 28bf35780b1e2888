package io.plenum.codec

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.byteArray
import io.kotest.property.arbitrary.constant
import io.kotest.property.arbitrary.double
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.long
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import java.lang.foreign.Arena
import java.lang.foreign.MemorySegment
import java.nio.ByteBuffer

class CodecSpec : FunSpec({
    fun <T : Any> roundTrip(codec: Codec<T>, value: T): T {
        val viaArray = codec.decode(codec.encode(value))
        Arena.ofConfined().use { arena ->
            val memory = arena.allocate(maxOf(codec.encode(value).size.toLong(), 1))
            val length = codec.encodeInto(value, memory)
            length shouldBe codec.encode(value).size
            val viaMemory = codec.decodeFrom(memory.asSlice(0, length.toLong()))
            // Compared by encoding: exact for NaN payloads and arrays alike.
            codec.encode(viaMemory).toList() shouldBe codec.encode(viaArray).toList()
        }
        return viaArray
    }

    test("numbers round-trip exactly, in their fixed size") {
        checkAll(Arb.long()) { roundTrip(Codecs.LONG, it) shouldBe it }
        checkAll(Arb.int()) { roundTrip(Codecs.INT, it) shouldBe it }
        checkAll(Arb.double()) { java.lang.Double.doubleToRawLongBits(roundTrip(Codecs.DOUBLE, it)) shouldBe java.lang.Double.doubleToRawLongBits(it) }
        Codecs.LONG.fixedSize() shouldBe 8
        Codecs.INT.fixedSize() shouldBe 4
        Codecs.DOUBLE.fixedSize() shouldBe 8
        Codecs.STRING.fixedSize() shouldBe Codec.VARIABLE_SIZE
    }

    test("strings, byte arrays and buffers round-trip, the empty ones included") {
        checkAll(Arb.string(0..200)) { roundTrip(Codecs.STRING, it) shouldBe it }
        roundTrip(Codecs.STRING, "") shouldBe ""
        checkAll(Arb.byteArray(Arb.int(0..300), Arb.constant(0.toByte()))) {
            roundTrip(Codecs.BYTES, it).toList() shouldBe it.toList()
        }
        val buffer = ByteBuffer.wrap(byteArrayOf(9, 1, 2, 3, 9)).position(1).limit(4)
        Codecs.BYTE_BUFFER.decode(Codecs.BYTE_BUFFER.encode(buffer)) shouldBe ByteBuffer.wrap(byteArrayOf(1, 2, 3))
        buffer.position() shouldBe 1
    }

    test("a target too small is reported by the returned length") {
        Arena.ofConfined().use { arena ->
            Codecs.LONG.encodeInto(5L, arena.allocate(4)) shouldBe 8
            Codecs.STRING.encodeInto("hello", arena.allocate(2)) shouldBe 5
        }
    }

    test("malformed encodings are refused with a CodecException naming the codec") {
        shouldThrow<CodecException> { Codecs.LONG.decode(ByteArray(7)) }.message shouldContain "long"
        shouldThrow<CodecException> { Codecs.INT.decodeFrom(MemorySegment.ofArray(ByteArray(5))) }.message shouldContain "4 bytes"
        shouldThrow<CodecException> { Codecs.STRING.decode(byteArrayOf(0xC3.toByte())) }.message shouldContain "UTF-8"
    }

    test("a user codec from two functions wraps its failures") {
        val codec = Codec.of("csv", { v: List<Int> -> v.joinToString(",").toByteArray() },
            { b -> String(b).split(",").map(String::toInt) })
        codec.decode(codec.encode(listOf(1, 2, 3))) shouldBe listOf(1, 2, 3)
        val failure = shouldThrow<CodecException> { codec.decode("x".toByteArray()) }
        failure.message shouldContain "csv"
        (failure.cause is NumberFormatException) shouldBe true
    }
})
