@file:JvmName("SerializationCodecs")

package io.plenum.codec

import kotlinx.serialization.BinaryFormat
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.StringFormat
import kotlinx.serialization.serializer
import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction
import java.nio.charset.StandardCharsets

/*
 * kotlinx.serialization codecs. kotlinx-serialization-* are optional dependencies of Plenum: this
 * file is the only one that refers to them, so a user who never calls these functions needs none of
 * them on the class path.
 *
 * Decoding reads bytes that any process with write access to the segment can change. The formats
 * refuse malformed input with a SerializationException (or, for some truncated inputs, an
 * IllegalArgumentException / IndexOutOfBoundsException from inside the format); every one of them
 * becomes a CodecException naming the codec, never anything else.
 */

/** A codec that encodes `T` with this binary format (ProtoBuf, CBOR, …) and [serializer]. */
fun <T : Any> BinaryFormat.codec(serializer: KSerializer<T>): Codec<T> = BinaryFormatCodec(this, serializer)

/** A codec for `@Serializable` [T] in this binary format: `ProtoBuf.codec<Config>()`. */
inline fun <reified T : Any> BinaryFormat.codec(): Codec<T> = codec(serializersModule.serializer<T>())

/** A codec that encodes `T` as UTF-8 text in this string format (JSON, …) with [serializer]. */
fun <T : Any> StringFormat.codec(serializer: KSerializer<T>): Codec<T> = StringFormatCodec(this, serializer)

/** A codec for `@Serializable` [T] as UTF-8 text in this string format: `Json.codec<Config>()`. */
inline fun <reified T : Any> StringFormat.codec(): Codec<T> = codec(serializersModule.serializer<T>())

/** "json", "protobuf", "cbor" for the kotlinx formats (their package), else the format's class name. */
private fun formatName(format: Any): String {
    val className = format.javaClass.name
    val prefix = "kotlinx.serialization."
    return if (className.startsWith(prefix)) className.removePrefix(prefix).substringBefore('.') else format.javaClass.simpleName
}

private inline fun <T> decoding(name: String, size: Int, block: () -> T): T {
    val value = try {
        block()
    } catch (e: SerializationException) {
        throw CodecException("codec $name cannot decode $size bytes: ${e.message}", e)
    } catch (e: IllegalArgumentException) {
        throw CodecException("codec $name cannot decode $size bytes: ${e.message}", e)
    } catch (e: IndexOutOfBoundsException) {
        throw CodecException("codec $name: $size bytes end inside an encoding: ${e.message}", e)
    } catch (e: IllegalStateException) {
        throw CodecException("codec $name cannot decode $size bytes: ${e.message}", e)
    } catch (e: ArithmeticException) {
        throw CodecException("codec $name cannot decode $size bytes: ${e.message}", e)
    } catch (e: NegativeArraySizeException) {
        throw CodecException("codec $name: $size bytes hold a negative length: ${e.message}", e)
    } catch (e: OutOfMemoryError) {
        // A forged length in the bytes must not take the JVM down with it: the format allocated what
        // the bytes claimed. The error is recoverable here, since the allocation failed and nothing
        // was held.
        throw CodecException("codec $name: $size bytes claim a length larger than memory allows", e)
    }
    if (value == null) {
        throw CodecException("codec $name decoded $size bytes to null")
    }
    return value
}

private class BinaryFormatCodec<T : Any>(
    private val format: BinaryFormat,
    private val serializer: KSerializer<T>,
) : Codec<T> {
    private val name = "${formatName(format)}(${serializer.descriptor.serialName})"

    override fun name(): String = name

    override fun encode(value: T): ByteArray = format.encodeToByteArray(serializer, value)

    override fun decode(bytes: ByteArray): T = decoding(name, bytes.size) { format.decodeFromByteArray(serializer, bytes) }

    override fun toString(): String = "Codec[$name]"
}

private class StringFormatCodec<T : Any>(
    private val format: StringFormat,
    private val serializer: KSerializer<T>,
) : Codec<T> {
    private val name = "${formatName(format)}(${serializer.descriptor.serialName})"

    override fun name(): String = name

    override fun encode(value: T): ByteArray = format.encodeToString(serializer, value).toByteArray(StandardCharsets.UTF_8)

    override fun decode(bytes: ByteArray): T {
        // Malformed UTF-8 is refused, never replaced by U+FFFD that the format might then accept.
        val text = try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString()
        } catch (e: CharacterCodingException) {
            throw CodecException("codec $name: ${bytes.size} bytes are not valid UTF-8", e)
        }
        return decoding(name, bytes.size) { format.decodeFromString(serializer, text) }
    }

    override fun toString(): String = "Codec[$name]"
}
