package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.IntBuffer;

/**
 * A shared array of unsigned 32-bit integers ({@link ElementType#U32}), seen from Java as
 * {@code long} values 0..4294967295 (Kotlin sees {@code UInt}). Values outside that range are
 * rejected with {@link IllegalArgumentException}; deltas may be any {@code long} and wrap around
 * modulo 2<sup>32</sup>. Bulk operations copy the bits as {@code int[]}.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write, the others are volatile read-modify-writes. See {@link SharedArray} for locking
 * and lifecycle.
 */
public final class SharedUnsignedIntArray extends NumericArray<int[]> {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private SharedUnsignedIntArray(Segment segment) {
        super(segment, ElementType.U32);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedUnsignedIntArray open(ArrayOptions options) {
        return openArray(options, ElementType.U32, SharedUnsignedIntArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedUnsignedIntArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public long get(int index) {
        return Integer.toUnsignedLong((int) INT.getAcquire(data, checkIndex(index) * 4L));
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, long value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, long value) {
        INT.setRelease(data, checkIndex(index) * 4L, bits(value, "value"));
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public long getVolatile(int index) {
        return Integer.toUnsignedLong((int) INT.getVolatile(data, checkIndex(index) * 4L));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, long value) {
        INT.setVolatile(data, checkIndex(index) * 4L, bits(value, "value"));
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public long getPlain(int index) {
        return Integer.toUnsignedLong((int) INT.get(data, checkIndex(index) * 4L));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, long value) {
        INT.set(data, checkIndex(index) * 4L, bits(value, "value"));
    }

    public long getAndSet(int index, long value) {
        return Integer.toUnsignedLong((int) INT.getAndSet(data, checkIndex(index) * 4L, bits(value, "value")));
    }

    public boolean compareAndSet(int index, long expected, long value) {
        return INT.compareAndSet(data, checkIndex(index) * 4L, bits(expected, "expected"), bits(value, "value"));
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public long compareAndExchange(int index, long expected, long value) {
        return Integer.toUnsignedLong((int) INT.compareAndExchange(data, checkIndex(index) * 4L,
                bits(expected, "expected"), bits(value, "value")));
    }

    public long getAndAdd(int index, long delta) {
        return Integer.toUnsignedLong((int) INT.getAndAdd(data, checkIndex(index) * 4L, (int) delta));
    }

    public long addAndGet(int index, long delta) {
        return Integer.toUnsignedLong((int) INT.getAndAdd(data, checkIndex(index) * 4L, (int) delta) + (int) delta);
    }

    public long incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public long decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public long getAndBitwiseAnd(int index, long mask) {
        return Integer.toUnsignedLong((int) INT.getAndBitwiseAnd(data, checkIndex(index) * 4L, bits(mask, "mask")));
    }

    public long getAndBitwiseOr(int index, long mask) {
        return Integer.toUnsignedLong((int) INT.getAndBitwiseOr(data, checkIndex(index) * 4L, bits(mask, "mask")));
    }

    public long getAndBitwiseXor(int index, long mask) {
        return Integer.toUnsignedLong((int) INT.getAndBitwiseXor(data, checkIndex(index) * 4L, bits(mask, "mask")));
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(long value) {
        fill(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, long value) {
        fillElements(from, count, bits(value, "value"));
    }

    /** A read-only typed view of the elements' bits; no copy, valid until {@link #close()}. */
    public IntBuffer asBuffer() {
        return byteView().asIntBuffer();
    }

    private int bits(long value, String what) {
        return (int) checkUnsigned(value, 32, what);
    }
}
