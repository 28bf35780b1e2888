package io.plenum.array

import io.plenum.PlenumDsl
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec

/**
 * What to open or create, set in the block of a factory such as
 * `SharedLongArray("/dev/shm/metrics") { capacity = 1024 }`.
 */
@PlenumDsl
class SharedArrayBuilder @PublishedApi internal constructor(path: String?) {
    /** Where the memory comes from; the factory's path argument sets a file (or /dev/shm) backing. */
    var backing: Backing? = path?.let(Backing::file)

    /** The number of elements; needed to create, checked against an existing array (-1: take its). */
    var capacity: Int = -1

    /** Largest number of bytes of a value, for string arrays only (-1: take the existing array's). */
    var maxLength: Int = -1

    var mode: OpenMode = OpenMode.CREATE_OR_OPEN

    /** Permission bits of a new file. */
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE

    @PublishedApi
    internal fun options(): ArrayOptions {
        val where = requireNotNull(backing) { "give a path or set backing = Backing.…" }
        return ArrayOptions(where, mode, capacity, maxLength, fileMode)
    }
}

@PublishedApi
internal inline fun options(path: String?, configure: SharedArrayBuilder.() -> Unit): ArrayOptions =
    SharedArrayBuilder(path).apply(configure).options()

/** Opens or creates an I8 array: `SharedByteArray("/dev/shm/flags") { capacity = 64 }`. */
inline fun SharedByteArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedByteArray =
    SharedByteArray.open(options(path, configure))

/** Opens or creates an I16 array. */
inline fun SharedShortArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedShortArray =
    SharedShortArray.open(options(path, configure))

/** Opens or creates an I32 array. */
inline fun SharedIntArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedIntArray =
    SharedIntArray.open(options(path, configure))

/** Opens or creates an I64 array: `SharedLongArray("/dev/shm/metrics") { capacity = 1024 }`. */
inline fun SharedLongArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedLongArray =
    SharedLongArray.open(options(path, configure))

/** Opens or creates an F32 array. */
inline fun SharedFloatArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedFloatArray =
    SharedFloatArray.open(options(path, configure))

/** Opens or creates an F64 array. */
inline fun SharedDoubleArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedDoubleArray =
    SharedDoubleArray.open(options(path, configure))

/** Opens or creates a string array: `SharedStringArray("/dev/shm/names") { capacity = 16; maxLength = 64 }`. */
inline fun SharedStringArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedStringArray =
    SharedStringArray.open(options(path, configure))

/** Opens or creates a U8 array. */
inline fun SharedUByteArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedUByteArray =
    SharedUByteArray(SharedUnsignedByteArray.open(options(path, configure)))

/** Opens or creates a U16 array. */
inline fun SharedUShortArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedUShortArray =
    SharedUShortArray(SharedUnsignedShortArray.open(options(path, configure)))

/** Opens or creates a U32 array. */
inline fun SharedUIntArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedUIntArray =
    SharedUIntArray(SharedUnsignedIntArray.open(options(path, configure)))

/** Opens or creates a U64 array. */
inline fun SharedULongArray(path: String? = null, configure: SharedArrayBuilder.() -> Unit = {}): SharedULongArray =
    SharedULongArray(SharedLongArray.openUnsigned(options(path, configure)))
