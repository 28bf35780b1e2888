@file:JvmName("PoolDsl")

package io.plenum.pool

import io.plenum.segment.Backing

/**
 * Opens or creates a pool at [path] (a file; `/dev/shm/NAME` for POSIX shared memory):
 * ```
 * SharedLongPool.open("/dev/shm/jobs") { capacity = 1024 }.use { pool -> … }
 * SharedStringPool.open("/dev/shm/names") { capacity = 100; maxLength = 256 }
 * ```
 * Leave `capacity` (and `maxLength`, `elementSize`) unset to open an existing pool as it is.
 */
operator fun <P : SlotPool> PoolOpener<P>.invoke(path: String, configure: PoolOptions.() -> Unit = {}): P =
    open(PoolOptions(Backing.file(path)).apply(configure))

/** Opens or creates a pool on any [backing]: `SharedIntPool.open(Backing.memfd("ids")) { capacity = 64 }`. */
operator fun <P : SlotPool> PoolOpener<P>.invoke(backing: Backing, configure: PoolOptions.() -> Unit = {}): P =
    open(PoolOptions(backing).apply(configure))
