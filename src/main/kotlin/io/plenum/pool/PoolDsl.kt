@file:JvmName("PoolDsl")

package io.plenum.pool

import io.plenum.PlenumDsl
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec

/**
 * What to open or create, set in the block of a pool factory:
 * ```
 * SharedLongPool("/dev/shm/jobs") { capacity = 1024 }.use { pool -> … }
 * SharedStringPool("/dev/shm/names") { capacity = 100; maxLength = 256 }
 * SharedIntPool(Backing.memfd("ids")) { capacity = 64 }
 * ```
 * Leave `capacity` (and `maxLength`, `elementSize`) unset to open an existing pool as it is; the
 * names are [PoolOptions]' own.
 */
@PlenumDsl
class PoolBuilder @PublishedApi internal constructor(
    /** Where the pool lives; the factory's path argument sets a file (or /dev/shm) backing. */
    var backing: Backing,
) {
    var mode: OpenMode = OpenMode.CREATE_OR_OPEN

    /** Slots; needed to create, checked against an existing pool (-1: take its). */
    var capacity: Int = -1

    /** Bytes per slot, for a [SharedBytePool] only (-1: take the existing pool's). */
    var elementSize: Int = -1

    /** The longest value in bytes, for a [SharedStringPool] only (-1: take the existing pool's). */
    var maxLength: Int = -1

    /** Permission bits of a new file. */
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE

    @PublishedApi
    internal fun options(): PoolOptions = PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode)
}

@PublishedApi
internal inline fun poolOptions(backing: Backing, configure: PoolBuilder.() -> Unit): PoolOptions =
    PoolBuilder(backing).apply(configure).options()

/** Opens or creates a pool of longs at [path]: `SharedLongPool("/dev/shm/jobs") { capacity = 1024 }`. */
inline fun SharedLongPool(path: String, configure: PoolBuilder.() -> Unit = {}): SharedLongPool =
    SharedLongPool.open(poolOptions(Backing.file(path), configure))

/** Opens or creates a pool of longs on any [backing]. */
inline fun SharedLongPool(backing: Backing, configure: PoolBuilder.() -> Unit = {}): SharedLongPool =
    SharedLongPool.open(poolOptions(backing, configure))

/** Opens or creates a pool of ints at [path]. */
inline fun SharedIntPool(path: String, configure: PoolBuilder.() -> Unit = {}): SharedIntPool =
    SharedIntPool.open(poolOptions(Backing.file(path), configure))

/** Opens or creates a pool of ints on any [backing]. */
inline fun SharedIntPool(backing: Backing, configure: PoolBuilder.() -> Unit = {}): SharedIntPool =
    SharedIntPool.open(poolOptions(backing, configure))

/** Opens or creates a pool of doubles at [path]. */
inline fun SharedDoublePool(path: String, configure: PoolBuilder.() -> Unit = {}): SharedDoublePool =
    SharedDoublePool.open(poolOptions(Backing.file(path), configure))

/** Opens or creates a pool of doubles on any [backing]. */
inline fun SharedDoublePool(backing: Backing, configure: PoolBuilder.() -> Unit = {}): SharedDoublePool =
    SharedDoublePool.open(poolOptions(backing, configure))

/** Opens or creates a pool of byte slots at [path]: `SharedBytePool(path) { capacity = 100; elementSize = 64 }`. */
inline fun SharedBytePool(path: String, configure: PoolBuilder.() -> Unit = {}): SharedBytePool =
    SharedBytePool.open(poolOptions(Backing.file(path), configure))

/** Opens or creates a pool of byte slots on any [backing]. */
inline fun SharedBytePool(backing: Backing, configure: PoolBuilder.() -> Unit = {}): SharedBytePool =
    SharedBytePool.open(poolOptions(backing, configure))

/** Opens or creates a pool of strings at [path]: `SharedStringPool(path) { capacity = 100; maxLength = 256 }`. */
inline fun SharedStringPool(path: String, configure: PoolBuilder.() -> Unit = {}): SharedStringPool =
    SharedStringPool.open(poolOptions(Backing.file(path), configure))

/** Opens or creates a pool of strings on any [backing]. */
inline fun SharedStringPool(backing: Backing, configure: PoolBuilder.() -> Unit = {}): SharedStringPool =
    SharedStringPool.open(poolOptions(backing, configure))
