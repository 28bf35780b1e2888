package io.plenum.value

import io.plenum.PlenumDsl
import io.plenum.codec.Codec
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec

/**
 * The options of a shared value, as properties: `SharedValue<Config>("/dev/shm/config") { codec = Json.codec() }`.
 * [codec] is required; sizes left at -1 are taken from an existing value (see [ValueOptions]).
 */
@PlenumDsl
class ValueBuilder<T : Any> @PublishedApi internal constructor(var backing: Backing?) {
    /** How values are stored; required. */
    var codec: Codec<T>? = null
    var mode: OpenMode = OpenMode.CREATE_OR_OPEN
    /** Each buffer's first capacity in bytes; -1: the segment's, or the default for a new one. */
    var initialSize: Int = -1
    /** The largest encoded value in bytes; -1: the segment's, or the default for a new one. */
    var maxSize: Int = -1
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE

    @PublishedApi
    internal fun open(): SharedValue<T> {
        val where = requireNotNull(backing) { "a shared value needs a backing (path, shm name, memfd, fd or anonymous)" }
        val codec = requireNotNull(codec) { "codec: a shared value needs one, such as Codecs.STRING or Json.codec()" }
        return SharedValue.open(codec, ValueOptions(where, mode, initialSize, maxSize, fileMode))
    }
}

/** Opens or creates the shared value at [path] (a file; under `/dev/shm`, POSIX shm). */
fun <T : Any> SharedValue(path: String, block: ValueBuilder<T>.() -> Unit): SharedValue<T> =
    ValueBuilder<T>(Backing.file(path)).apply(block).open()

/** Opens or creates a shared value on [backing] (memfd, fd, another process's fd, anonymous memory). */
fun <T : Any> SharedValue(backing: Backing, block: ValueBuilder<T>.() -> Unit): SharedValue<T> =
    ValueBuilder<T>(backing).apply(block).open()
