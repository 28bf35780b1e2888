package io.plenum.array

/**
 * A shared array of [UInt] elements (U32) for Kotlin: a zero-cost wrapper of the Java
 * [SharedUnsignedIntArray], which sees the same elements as wider signed numbers. Open one with
 * `SharedUIntArray("/dev/shm/ids") { capacity = 64 }`. Deltas are signed and wrap around.
 * Everything not typed by the element (locks, raw bytes, views, lifecycle) is on [raw].
 */
@JvmInline
value class SharedUIntArray(val raw: SharedUnsignedIntArray) : AutoCloseable {
    init {
        require(raw.elementType() == ElementType.U32) { "${raw.describe()} holds ${raw.elementType()}, not U32" }
    }

    val size: Int get() = raw.capacity()

    operator fun get(index: Int): UInt = raw.get(index).toUInt()

    /** Refused, with the reason as its message: `a[i] += d` would be a read and a separate write. */
    @Deprecated(IndexedWrites.REFUSED, level = DeprecationLevel.ERROR)
    operator fun set(index: Int, value: UInt): Unit = setRelease(index, value)

    /** A release write: what a process wrote before it is visible to one that [get]s the value. */
    fun setRelease(index: Int, value: UInt) = raw.setRelease(index, value.toLong())

    /** A volatile read (sequentially consistent with every other volatile access); [get] is an acquire read. */
    fun getVolatile(index: Int): UInt = raw.getVolatile(index).toUInt()

    /** A volatile write; [setRelease] is a release write. */
    fun setVolatile(index: Int, value: UInt) = raw.setVolatile(index, value.toLong())

    /** A plain read: no ordering with other accesses, for data another ordered access publishes. */
    fun getPlain(index: Int): UInt = raw.getPlain(index).toUInt()

    /** A plain write: no ordering with other accesses. */
    fun setPlain(index: Int, value: UInt) = raw.setPlain(index, value.toLong())

    fun getAndSet(index: Int, value: UInt): UInt = raw.getAndSet(index, value.toLong()).toUInt()

    fun compareAndSet(index: Int, expected: UInt, value: UInt): Boolean =
        raw.compareAndSet(index, expected.toLong(), value.toLong())

    fun compareAndExchange(index: Int, expected: UInt, value: UInt): UInt =
        raw.compareAndExchange(index, expected.toLong(), value.toLong()).toUInt()

    fun getAndAdd(index: Int, delta: Long): UInt = raw.getAndAdd(index, delta).toUInt()

    fun addAndGet(index: Int, delta: Long): UInt = raw.addAndGet(index, delta).toUInt()

    fun incrementAndGet(index: Int): UInt = raw.incrementAndGet(index).toUInt()

    fun decrementAndGet(index: Int): UInt = raw.decrementAndGet(index).toUInt()

    fun getAndBitwiseAnd(index: Int, mask: UInt): UInt = raw.getAndBitwiseAnd(index, mask.toLong()).toUInt()

    fun getAndBitwiseOr(index: Int, mask: UInt): UInt = raw.getAndBitwiseOr(index, mask.toLong()).toUInt()

    fun getAndBitwiseXor(index: Int, mask: UInt): UInt = raw.getAndBitwiseXor(index, mask.toLong()).toUInt()

    fun fill(value: UInt, from: Int = 0, count: Int = size - from) = raw.fill(from, count, value.toLong())

    @ExperimentalUnsignedTypes
    fun slice(from: Int, count: Int): UIntArray = raw.slice(from, count).asUIntArray()

    @ExperimentalUnsignedTypes
    fun copyFrom(from: Int, values: UIntArray) = raw.copyFrom(from, values.asIntArray())

    @ExperimentalUnsignedTypes
    fun addRange(from: Int, deltas: IntArray) = raw.addRange(from, deltas)

    /** Walks a consistent snapshot (one bulk read). */
    operator fun iterator(): Iterator<UInt> = raw.slice(0, size).map { it.toUInt() }.iterator()

    override fun close() = raw.close()
}
