package io.plenum.array

import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

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

// Iteration reads one element at a time (acquire reads, no lock): a consistent snapshot is `slice`.

operator fun SharedByteArray.iterator(): ByteIterator = object : ByteIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextByte() = get(index++)
}

operator fun SharedShortArray.iterator(): ShortIterator = object : ShortIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextShort() = get(index++)
}

operator fun SharedIntArray.iterator(): IntIterator = object : IntIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextInt() = get(index++)
}

operator fun SharedLongArray.iterator(): LongIterator = object : LongIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextLong() = get(index++)
}

operator fun SharedFloatArray.iterator(): FloatIterator = object : FloatIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextFloat() = get(index++)
}

operator fun SharedDoubleArray.iterator(): DoubleIterator = object : DoubleIterator() {
    private var index = 0
    override fun hasNext() = index < capacity()
    override fun nextDouble() = get(index++)
}

operator fun SharedStringArray.iterator(): Iterator<String> = iterator(capacity(), ::get)

/** An iterator over `get(0) … get(size - 1)`, for the boxed element types. */
internal inline fun <T> iterator(size: Int, crossinline get: (Int) -> T): Iterator<T> = object : Iterator<T> {
    private var index = 0
    override fun hasNext() = index < size
    override fun next(): T = if (index < size) get(index++) else throw NoSuchElementException("index $index of $size")
}
