package io.plenum.array

/**
 * A shared array of [ULong] elements (U64): Kotlin's unsigned view of a [SharedLongArray] opened
 * with [SharedLongArray.openUnsigned], bit for bit, as [ULongArray] is of [LongArray]. Open one with
 * `SharedULongArray("/dev/shm/ids") { capacity = 64 }`. Deltas are signed and wrap around.
 * Everything not typed by the element (locks, raw bytes, views, lifecycle) is on [raw].
 */
@JvmInline
value class SharedULongArray(val raw: SharedLongArray) : AutoCloseable {
    init {
        require(raw.elementType() == ElementType.U64) { "${raw.describe()} holds ${raw.elementType()}, not U64" }
    }

    val size: Int get() = raw.capacity()

    operator fun get(index: Int): ULong = raw.get(index).toULong()

    /** Refused, with the reason as its message: `a[i] += d` would be a read and a separate write. */
    @Deprecated(IndexedWrites.REFUSED, level = DeprecationLevel.ERROR)
    operator fun set(index: Int, value: ULong): Unit = setRelease(index, value)

    /** A release write: what a process wrote before it is visible to one that [get]s the value. */
    fun setRelease(index: Int, value: ULong) = raw.setRelease(index, value.toLong())

    /** A volatile read (sequentially consistent with every other volatile access); [get] is an acquire read. */
    fun getVolatile(index: Int): ULong = raw.getVolatile(index).toULong()

    /** A volatile write; [setRelease] is a release write. */
    fun setVolatile(index: Int, value: ULong) = raw.setVolatile(index, value.toLong())

    /** A plain read: no ordering with other accesses, for data another ordered access publishes. */
    fun getPlain(index: Int): ULong = raw.getPlain(index).toULong()

    /** A plain write: no ordering with other accesses. */
    fun setPlain(index: Int, value: ULong) = raw.setPlain(index, value.toLong())

    fun getAndSet(index: Int, value: ULong): ULong = raw.getAndSet(index, value.toLong()).toULong()

    fun compareAndSet(index: Int, expected: ULong, value: ULong): Boolean =
        raw.compareAndSet(index, expected.toLong(), value.toLong())

    fun compareAndExchange(index: Int, expected: ULong, value: ULong): ULong =
        raw.compareAndExchange(index, expected.toLong(), value.toLong()).toULong()

    fun getAndAdd(index: Int, delta: Long): ULong = raw.getAndAdd(index, delta).toULong()

    fun addAndGet(index: Int, delta: Long): ULong = raw.addAndGet(index, delta).toULong()

    fun incrementAndGet(index: Int): ULong = raw.incrementAndGet(index).toULong()

    fun decrementAndGet(index: Int): ULong = raw.decrementAndGet(index).toULong()

    fun getAndBitwiseAnd(index: Int, mask: ULong): ULong = raw.getAndBitwiseAnd(index, mask.toLong()).toULong()

    fun getAndBitwiseOr(index: Int, mask: ULong): ULong = raw.getAndBitwiseOr(index, mask.toLong()).toULong()

    fun getAndBitwiseXor(index: Int, mask: ULong): ULong = raw.getAndBitwiseXor(index, mask.toLong()).toULong()

    fun fill(value: ULong, from: Int = 0, count: Int = size - from) = raw.fill(from, count, value.toLong())

    @ExperimentalUnsignedTypes
    fun slice(from: Int, count: Int): ULongArray = raw.slice(from, count).asULongArray()

    @ExperimentalUnsignedTypes
    fun copyFrom(from: Int, values: ULongArray) = raw.copyFrom(from, values.asLongArray())

    @ExperimentalUnsignedTypes
    fun addRange(from: Int, deltas: LongArray) = raw.addRange(from, deltas)

    /** Walks a consistent snapshot (one bulk read). */
    operator fun iterator(): Iterator<ULong> = raw.slice(0, size).map { it.toULong() }.iterator()

    override fun close() = raw.close()
}
