package io.plenum.array

/**
 * A shared array of [UShort] elements (U16) for Kotlin: a zero-cost wrapper of the Java
 * [SharedUnsignedShortArray], which sees the same elements as wider signed numbers. Open one with
 * `SharedUShortArray("/dev/shm/ports") { capacity = 64 }`. Deltas are signed and wrap around.
 * Everything not typed by the element (locks, raw bytes, views, lifecycle) is on [raw].
 */
@JvmInline
value class SharedUShortArray(val raw: SharedUnsignedShortArray) : AutoCloseable {
    init {
        require(raw.elementType() == ElementType.U16) { "${raw.describe()} holds ${raw.elementType()}, not U16" }
    }

    val size: Int get() = raw.capacity()

    operator fun get(index: Int): UShort = raw.get(index).toUShort()

    /** Refused, with the reason as its message: `a[i] += d` would be a read and a separate write. */
    @Deprecated(IndexedWrites.REFUSED, level = DeprecationLevel.ERROR)
    operator fun set(index: Int, value: UShort): Unit = setRelease(index, value)

    /** A release write: what a process wrote before it is visible to one that [get]s the value. */
    fun setRelease(index: Int, value: UShort) = raw.setRelease(index, value.toInt())

    /** A volatile read (sequentially consistent with every other volatile access); [get] is an acquire read. */
    fun getVolatile(index: Int): UShort = raw.getVolatile(index).toUShort()

    /** A volatile write; [setRelease] is a release write. */
    fun setVolatile(index: Int, value: UShort) = raw.setVolatile(index, value.toInt())

    /** A plain read: no ordering with other accesses, for data another ordered access publishes. */
    fun getPlain(index: Int): UShort = raw.getPlain(index).toUShort()

    /** A plain write: no ordering with other accesses. */
    fun setPlain(index: Int, value: UShort) = raw.setPlain(index, value.toInt())

    fun getAndSet(index: Int, value: UShort): UShort = raw.getAndSet(index, value.toInt()).toUShort()

    fun compareAndSet(index: Int, expected: UShort, value: UShort): Boolean =
        raw.compareAndSet(index, expected.toInt(), value.toInt())

    fun compareAndExchange(index: Int, expected: UShort, value: UShort): UShort =
        raw.compareAndExchange(index, expected.toInt(), value.toInt()).toUShort()

    fun getAndAdd(index: Int, delta: Int): UShort = raw.getAndAdd(index, delta).toUShort()

    fun addAndGet(index: Int, delta: Int): UShort = raw.addAndGet(index, delta).toUShort()

    fun incrementAndGet(index: Int): UShort = raw.incrementAndGet(index).toUShort()

    fun decrementAndGet(index: Int): UShort = raw.decrementAndGet(index).toUShort()

    fun getAndBitwiseAnd(index: Int, mask: UShort): UShort = raw.getAndBitwiseAnd(index, mask.toInt()).toUShort()

    fun getAndBitwiseOr(index: Int, mask: UShort): UShort = raw.getAndBitwiseOr(index, mask.toInt()).toUShort()

    fun getAndBitwiseXor(index: Int, mask: UShort): UShort = raw.getAndBitwiseXor(index, mask.toInt()).toUShort()

    fun fill(value: UShort, from: Int = 0, count: Int = size - from) = raw.fill(from, count, value.toInt())

    @ExperimentalUnsignedTypes
    fun slice(from: Int, count: Int): UShortArray = raw.slice(from, count).asUShortArray()

    @ExperimentalUnsignedTypes
    fun copyFrom(from: Int, values: UShortArray) = raw.copyFrom(from, values.asShortArray())

    @ExperimentalUnsignedTypes
    fun addRange(from: Int, deltas: ShortArray) = raw.addRange(from, deltas)

    /** Walks a consistent snapshot (one bulk read). */
    operator fun iterator(): Iterator<UShort> = raw.slice(0, size).map { it.toUShort() }.iterator()

    override fun close() = raw.close()
}
