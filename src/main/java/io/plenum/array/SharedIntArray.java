package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.IntBuffer;

/**
 * A shared array of signed 32-bit integers ({@link ElementType#I32}).
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write, the others are volatile read-modify-writes; adds wrap around. Bulk operations are
 * inherited from {@link NumericArray}; see {@link SharedArray} for locking and lifecycle.
 */
public final class SharedIntArray extends NumericArray<int[]> {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private SharedIntArray(Segment segment) {
        super(segment, ElementType.I32);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedIntArray open(ArrayOptions options) {
        return openArray(options, ElementType.I32, SharedIntArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedIntArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public int get(int index) {
        return (int) INT.getAcquire(data, checkIndex(index) * 4L);
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, int value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, int value) {
        INT.setRelease(data, checkIndex(index) * 4L, value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public int getVolatile(int index) {
        return (int) INT.getVolatile(data, checkIndex(index) * 4L);
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, int value) {
        INT.setVolatile(data, checkIndex(index) * 4L, value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public int getPlain(int index) {
        return (int) INT.get(data, checkIndex(index) * 4L);
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, int value) {
        INT.set(data, checkIndex(index) * 4L, value);
    }

    public int getAndSet(int index, int value) {
        return (int) INT.getAndSet(data, checkIndex(index) * 4L, value);
    }

    public boolean compareAndSet(int index, int expected, int value) {
        return INT.compareAndSet(data, checkIndex(index) * 4L, expected, value);
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public int compareAndExchange(int index, int expected, int value) {
        return (int) INT.compareAndExchange(data, checkIndex(index) * 4L, expected, value);
    }

    public int getAndAdd(int index, int delta) {
        return (int) INT.getAndAdd(data, checkIndex(index) * 4L, delta);
    }

    public int addAndGet(int index, int delta) {
        return (int) INT.getAndAdd(data, checkIndex(index) * 4L, delta) + delta;
    }

    public int incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public int decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public int getAndBitwiseAnd(int index, int mask) {
        return (int) INT.getAndBitwiseAnd(data, checkIndex(index) * 4L, mask);
    }

    public int getAndBitwiseOr(int index, int mask) {
        return (int) INT.getAndBitwiseOr(data, checkIndex(index) * 4L, mask);
    }

    public int getAndBitwiseXor(int index, int mask) {
        return (int) INT.getAndBitwiseXor(data, checkIndex(index) * 4L, mask);
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(int value) {
        fillElements(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, int value) {
        fillElements(from, count, value);
    }

    /** A read-only typed view of the elements; no copy, valid until {@link #close()}. */
    public IntBuffer asBuffer() {
        return byteView().asIntBuffer();
    }
}
