package io.plenum.array

/**
 * A shared array of [UByte] elements (U8) for Kotlin: a zero-cost wrapper of the Java
 * [SharedUnsignedByteArray], which sees the same elements as wider signed numbers. Open one with
 * `SharedUByteArray("/dev/shm/flags") { capacity = 64 }`. Deltas are signed and wrap around.
 * Everything not typed by the element (locks, raw bytes, views, lifecycle) is on [raw].
 */
@JvmInline
value class SharedUByteArray(val raw: SharedUnsignedByteArray) : AutoCloseable {
    init {
        require(raw.elementType() == ElementType.U8) { "${raw.describe()} holds ${raw.elementType()}, not U8" }
    }

    val size: Int get() = raw.capacity()

    operator fun get(index: Int): UByte = raw.get(index).toUByte()

    /** Refused, with the reason as its message: `a[i] += d` would be a read and a separate write. */
    @Deprecated(IndexedWrites.REFUSED, level = DeprecationLevel.ERROR)
    operator fun set(index: Int, value: UByte): Unit = setRelease(index, value)

    /** A release write: what a process wrote before it is visible to one that [get]s the value. */
    fun setRelease(index: Int, value: UByte) = raw.setRelease(index, value.toInt())

    /** A volatile read (sequentially consistent with every other volatile access); [get] is an acquire read. */
    fun getVolatile(index: Int): UByte = raw.getVolatile(index).toUByte()

    /** A volatile write; [setRelease] is a release write. */
    fun setVolatile(index: Int, value: UByte) = raw.setVolatile(index, value.toInt())

    /** A plain read: no ordering with other accesses, for data another ordered access publishes. */
    fun getPlain(index: Int): UByte = raw.getPlain(index).toUByte()

    /** A plain write: no ordering with other accesses. */
    fun setPlain(index: Int, value: UByte) = raw.setPlain(index, value.toInt())

    fun getAndSet(index: Int, value: UByte): UByte = raw.getAndSet(index, value.toInt()).toUByte()

    fun compareAndSet(index: Int, expected: UByte, value: UByte): Boolean =
        raw.compareAndSet(index, expected.toInt(), value.toInt())

    fun compareAndExchange(index: Int, expected: UByte, value: UByte): UByte =
        raw.compareAndExchange(index, expected.toInt(), value.toInt()).toUByte()

    fun getAndAdd(index: Int, delta: Int): UByte = raw.getAndAdd(index, delta).toUByte()

    fun addAndGet(index: Int, delta: Int): UByte = raw.addAndGet(index, delta).toUByte()

    fun incrementAndGet(index: Int): UByte = raw.incrementAndGet(index).toUByte()

    fun decrementAndGet(index: Int): UByte = raw.decrementAndGet(index).toUByte()

    fun getAndBitwiseAnd(index: Int, mask: UByte): UByte = raw.getAndBitwiseAnd(index, mask.toInt()).toUByte()

    fun getAndBitwiseOr(index: Int, mask: UByte): UByte = raw.getAndBitwiseOr(index, mask.toInt()).toUByte()

    fun getAndBitwiseXor(index: Int, mask: UByte): UByte = raw.getAndBitwiseXor(index, mask.toInt()).toUByte()

    fun fill(value: UByte, from: Int = 0, count: Int = size - from) = raw.fill(from, count, value.toInt())

    @ExperimentalUnsignedTypes
    fun slice(from: Int, count: Int): UByteArray = raw.slice(from, count).asUByteArray()

    @ExperimentalUnsignedTypes
    fun copyFrom(from: Int, values: UByteArray) = raw.copyFrom(from, values.asByteArray())

    @ExperimentalUnsignedTypes
    fun addRange(from: Int, deltas: ByteArray) = raw.addRange(from, deltas)

    /** Walks a consistent snapshot (one bulk read). */
    operator fun iterator(): Iterator<UByte> = raw.slice(0, size).map { it.toUByte() }.iterator()

    override fun close() = raw.close()
}
