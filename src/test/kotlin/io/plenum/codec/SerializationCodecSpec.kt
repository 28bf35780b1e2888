package io.plenum.codec

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.byteArray
import io.kotest.property.arbitrary.byte
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import kotlinx.serialization.Serializable
import kotlinx.serialization.cbor.Cbor
import kotlinx.serialization.json.Json
import kotlinx.serialization.protobuf.ProtoBuf
import java.lang.foreign.Arena

@Serializable
data class Settings(val name: String, val limit: Int, val ratio: Double, val tags: List<String>, val owner: Long? = null)

class SerializationCodecSpec : FunSpec({
    val formats: List<Codec<Settings>> = listOf(ProtoBuf.codec(), Json.codec(), Cbor.codec())
    val arbitrary = Arb.string(0..40).let { strings ->
        io.kotest.property.arbitrary.arbitrary {
            Settings(strings.bind(), Arb.int().bind(), it.random.nextDouble(), Arb.list(strings, 0..5).bind(),
                if (it.random.nextBoolean()) Arb.long().bind() else null)
        }
    }

    test("ProtoBuf, JSON and CBOR round-trip @Serializable values through arrays and memory") {
        for (codec in formats) {
            checkAll(200, arbitrary) { value ->
                codec.decode(codec.encode(value)) shouldBe value
                Arena.ofConfined().use { arena ->
                    val memory = arena.allocate(4096)
                    val length = codec.encodeInto(value, memory)
                    codec.decodeFrom(memory.asSlice(0, length.toLong())) shouldBe value
                }
            }
        }
    }

    test("empty and default values round-trip exactly") {
        for (codec in formats) {
            val empty = Settings("", 0, 0.0, emptyList())
            codec.decode(codec.encode(empty)) shouldBe empty
        }
        Json.codec<String>().decode(Json.codec<String>().encode("")) shouldBe ""
    }

    test("names say the format and the type") {
        ProtoBuf.codec<Settings>().name() shouldBe "protobuf(io.plenum.codec.Settings)"
        Json.codec<Settings>().name() shouldBe "json(io.plenum.codec.Settings)"
        Cbor.codec<Settings>().name() shouldBe "cbor(io.plenum.codec.Settings)"
        Json { prettyPrint = true }.codec<Settings>().name() shouldBe "json(io.plenum.codec.Settings)"
    }

    test("truncated encodings are refused with a CodecException naming the codec") {
        val value = Settings("a longer name", 42, 0.5, listOf("x", "y"), 7L)
        for (codec in formats) {
            val bytes = codec.encode(value)
            for (cut in 1 until bytes.size) {
                val truncated = bytes.copyOf(cut)
                val outcome = runCatching { codec.decode(truncated) }
                // A prefix may happen to be a valid, different value (ProtoBuf fields are optional
                // with defaults); what it must never be is any exception but a CodecException.
                outcome.exceptionOrNull()?.let { failure ->
                    (failure is CodecException) shouldBe true
                    failure.message shouldContain codec.name()
                }
            }
        }
        shouldThrow<CodecException> { Json.codec<Settings>().decode("{\"name\":".toByteArray()) }
            .message shouldContain "json(io.plenum.codec.Settings)"
    }

    test("random bytes never escape as anything but a CodecException") {
        for (codec in formats) {
            checkAll(2000, Arb.byteArray(Arb.int(0..64), Arb.byte())) { bytes ->
                runCatching { codec.decode(bytes) }.exceptionOrNull()?.let { failure ->
                    if (failure !is CodecException) throw AssertionError("${codec.name()} threw $failure", failure)
                }
            }
        }
    }

    test("malformed UTF-8 is refused by a string format, never replaced") {
        val failure = shouldThrow<CodecException> { Json.codec<String>().decode(byteArrayOf('"'.code.toByte(), 0xC3.toByte(), '"'.code.toByte())) }
        failure.message shouldContain "UTF-8"
    }

    test("a forged length does not take the JVM down") {
        // ProtoBuf: field 4 (tags), wire type 2, with a varint length of 2^31 - 1 and nothing after it.
        val forged = byteArrayOf(0x22, 0xFF.toByte(), 0xFF.toByte(), 0xFF.toByte(), 0xFF.toByte(), 0x07)
        shouldThrow<CodecException> { ProtoBuf.codec<Settings>().decode(forged) }
        // CBOR: a byte string claiming 2^32 - 1 bytes.
        val cbor = byteArrayOf(0xA1.toByte(), 0x64, 'n'.code.toByte(), 'a'.code.toByte(), 'm'.code.toByte(), 'e'.code.toByte(),
            0x7A, 0xFF.toByte(), 0xFF.toByte(), 0xFF.toByte(), 0xFF.toByte())
        shouldThrow<CodecException> { Cbor.codec<Settings>().decode(cbor) }
    }
})
