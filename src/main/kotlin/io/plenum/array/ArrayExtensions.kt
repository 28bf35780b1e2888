package io.plenum.array

import io.plenum.sync.signals
import kotlinx.coroutines.flow.Flow
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

// Operators: `a[i]` is the Java classes' get (an acquire read). `a[i] = v` and `a[i] += d` do not
// compile: Kotlin would make `a[i] += d` a read and a separate write that loses concurrent updates,
// so every numeric array's `set` is refused in Kotlin (see IndexedWrites). Write with
// `a.setRelease(i, v)`; add with `a.addAndGet(i, d)` / `a.incrementAndGet(i)`, one atomic instruction.

/** The number of elements, as on Kotlin arrays. */
val SharedArray.size: Int get() = capacity()

/** The valid indices, as on Kotlin arrays. */
val SharedArray.indices: IntRange get() = 0 until capacity()

/**
 * Runs [block] holding the array's write lock: bulk writers, write batches and read-lock holders of
 * every process wait, bulk readers retry until it ends, and bulk operations inside [block] use the
 * held lock. Single-element operations elsewhere stay lock-free. Not reentrant.
 */
@OptIn(ExperimentalContracts::class)
inline fun <R> SharedArray.write(block: () -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return writeLock().use { block() }
}

/** Runs [block] holding a read lock of the array: no bulk writer or write batch runs meanwhile. */
@OptIn(ExperimentalContracts::class)
inline fun <R> SharedArray.read(block: () -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return readLock().use { block() }
}

/**
 * The signals of this array handle's eventfd ([SharedArray.eventfd], created if needed) as a cold
 * [Flow], as a pool's `notifications()`: each element is the counter one consume took. The flow
 * completes normally when the array is closed (closing it closes its eventfd).
 */
fun SharedArray.notifications(): Flow<Long> = eventfd().signals()

// Iteration walks a consistent snapshot (one bulk read), like iterating the result of `slice`.

operator fun SharedByteArray.iterator(): ByteIterator = slice(0, capacity()).iterator()

operator fun SharedShortArray.iterator(): ShortIterator = slice(0, capacity()).iterator()

operator fun SharedIntArray.iterator(): IntIterator = slice(0, capacity()).iterator()

operator fun SharedLongArray.iterator(): LongIterator = slice(0, capacity()).iterator()

operator fun SharedFloatArray.iterator(): FloatIterator = slice(0, capacity()).iterator()

operator fun SharedDoubleArray.iterator(): DoubleIterator = slice(0, capacity()).iterator()

operator fun SharedStringArray.iterator(): Iterator<String> = slice(0, capacity()).iterator()
