@file:JvmName("ChannelDsl")

package io.plenum.channel

import io.plenum.PlenumDsl
import io.plenum.codec.Codec
import io.plenum.codec.Codecs
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec
import java.nio.ByteBuffer
import kotlin.reflect.KClass
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * The builder block of [SharedChannel]: the same names as [ChannelOptions].
 * ```
 * val jobs = SharedChannel<String>("/dev/shm/jobs") { capacity = 4096; maxMessageSize = 512 }
 * ```
 */
@PlenumDsl
class ChannelBuilder<T : Any> @PublishedApi internal constructor(
    /** Where the channel lives: a file, `/dev/shm/NAME`, `Backing.memfd(…)`, … */
    var backing: Backing,
    /** How elements become bytes; defaults to the built-in codec of Long, Int, Double, String, ByteArray, ByteBuffer. */
    var codec: Codec<T>?,
) {
    var mode: OpenMode = OpenMode.CREATE_OR_OPEN

    /** Messages the channel holds; unset (-1) takes an existing channel's. */
    var capacity: Int = -1

    /** The largest encoded message in bytes; unset (-1) takes an existing channel's (or a fixed-size codec's size). */
    var maxMessageSize: Int = -1
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE

    /** What this handle's sends do when the channel is full (kotlinx's `BufferOverflow`). */
    var overflow: ChannelOverflow = ChannelOverflow.SUSPEND

    /** How long a slot stays WRITING before waiters check whether its writer died. */
    var recoveryInterval: kotlin.time.Duration = ChannelOptions.DEFAULT_RECOVERY_INTERVAL.toKotlinDuration()

    @PublishedApi
    internal fun open(type: String): SharedChannel<T> {
        val codec = codec ?: throw IllegalArgumentException(
            "codec: no built-in codec for $type; set codec = Json.codec<$type>() or Codec.of(…)",
        )
        val options = ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval.toJavaDuration())
        return SharedChannel.open(codec, options)
    }
}

/**
 * Opens or creates the channel at [path] (a file; `/dev/shm/NAME` is POSIX shared memory):
 * ```
 * SharedChannel<Long>("/dev/shm/ticks") { capacity = 1024 }.use { ticks -> ticks.send(1) }
 * ```
 * The codec of Long, Int, Double, String, ByteArray and ByteBuffer is chosen by the type; others set
 * `codec`. `use { }` releases this handle only; [SharedChannel.closeForSend] ends the channel.
 */
inline fun <reified T : Any> SharedChannel(path: String, configure: ChannelBuilder<T>.() -> Unit = {}): SharedChannel<T> =
    SharedChannel(Backing.file(path), configure)

/** Opens or creates the channel on any [backing]: `SharedChannel<String>(Backing.memfd("jobs")) { capacity = 64 }`. */
inline fun <reified T : Any> SharedChannel(backing: Backing, configure: ChannelBuilder<T>.() -> Unit = {}): SharedChannel<T> =
    ChannelBuilder(backing, builtInCodec(T::class)).apply(configure).open(T::class.simpleName ?: T::class.toString())

/** The built-in codec for [type], or null. */
@PublishedApi
@Suppress("UNCHECKED_CAST")
internal fun <T : Any> builtInCodec(type: KClass<T>): Codec<T>? = when (type) {
    Long::class -> Codecs.LONG
    Int::class -> Codecs.INT
    Double::class -> Codecs.DOUBLE
    String::class -> Codecs.STRING
    ByteArray::class -> Codecs.BYTES
    ByteBuffer::class -> Codecs.BYTE_BUFFER
    else -> null
} as Codec<T>?
