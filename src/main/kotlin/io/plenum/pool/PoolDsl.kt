@file:JvmName("PoolDsl")

package io.plenum.pool

import io.plenum.segment.Backing
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

/**
 * Opens or creates a pool at [path] (a file; `/dev/shm/NAME` for POSIX shared memory):
 * ```
 * SharedLongPool.open("/dev/shm/jobs") { capacity = 1024 }.use { pool -> … }
 * ```
 */
operator fun <P : SlotPool> PoolOpener<P>.invoke(path: String, configure: PoolOptions.() -> Unit = {}): P =
    open(PoolOptions(Backing.file(path)).apply(configure))

/** Opens or creates a pool on any [backing]: `SharedIntPool.open(Backing.memfd("ids")) { capacity = 64 }`. */
operator fun <P : SlotPool> PoolOpener<P>.invoke(backing: Backing, configure: PoolOptions.() -> Unit = {}): P =
    open(PoolOptions(backing).apply(configure))

/**
 * Allocates a slot, blocking the thread until one is free, runs [block] with its index and frees
 * it on every exit path (return, exception, cancellation of an enclosing coroutine).
 */
@OptIn(ExperimentalContracts::class)
inline fun <R> SlotPool.withSlotBlocking(block: (slot: Int) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val slot = alloc()
    try {
        return block(slot)
    } finally {
        free(slot)
    }
}
