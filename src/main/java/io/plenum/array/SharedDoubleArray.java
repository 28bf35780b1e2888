package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.DoubleBuffer;

/**
 * A shared array of 64-bit floating-point numbers ({@link ElementType#F64}).
 *
 * <p>Single-element operations are lock-free and never tear a value: {@link #get} is an acquire
 * read, {@link #set} a release write. {@link #compareAndSet} and {@link #compareAndExchange}
 * compare bit patterns (as {@link Double#doubleToRawLongBits} does), so a NaN matches the same NaN
 * and {@code -0.0} does not match {@code 0.0}; {@link #getAndAdd} is a compare-and-set loop on the
 * value. Bulk operations are inherited from {@link NumericArray}; see {@link SharedArray} for
 * locking and lifecycle.
 */
public final class SharedDoubleArray extends NumericArray<double[]> {
    private static final VarHandle DOUBLE = ValueLayout.JAVA_DOUBLE.varHandle();

    private SharedDoubleArray(Segment segment) {
        super(segment, ElementType.F64);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedDoubleArray open(ArrayOptions options) {
        return openArray(options, ElementType.F64, SharedDoubleArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedDoubleArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public double get(int index) {
        return (double) DOUBLE.getAcquire(data, checkIndex(index) * 8L);
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, double value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, double value) {
        DOUBLE.setRelease(data, checkIndex(index) * 8L, value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public double getVolatile(int index) {
        return (double) DOUBLE.getVolatile(data, checkIndex(index) * 8L);
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, double value) {
        DOUBLE.setVolatile(data, checkIndex(index) * 8L, value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public double getPlain(int index) {
        return (double) DOUBLE.get(data, checkIndex(index) * 8L);
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, double value) {
        DOUBLE.set(data, checkIndex(index) * 8L, value);
    }

    public double getAndSet(int index, double value) {
        return (double) DOUBLE.getAndSet(data, checkIndex(index) * 8L, value);
    }

    /** Compares bit patterns. */
    public boolean compareAndSet(int index, double expected, double value) {
        return DOUBLE.compareAndSet(data, checkIndex(index) * 8L, expected, value);
    }

    /** Sets the element to {@code value} if its bits equal {@code expected}'s; returns what it held. */
    public double compareAndExchange(int index, double expected, double value) {
        return (double) DOUBLE.compareAndExchange(data, checkIndex(index) * 8L, expected, value);
    }

    public double getAndAdd(int index, double delta) {
        return Arithmetic.getAndAdd(data, checkIndex(index) * 8L, delta);
    }

    public double addAndGet(int index, double delta) {
        return Arithmetic.getAndAdd(data, checkIndex(index) * 8L, delta) + delta;
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(double value) {
        fill(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, double value) {
        fillElements(from, count, Double.doubleToRawLongBits(value));
    }

    /** A read-only typed view of the elements; no copy, valid until {@link #close()}. */
    public DoubleBuffer asBuffer() {
        return byteView().asDoubleBuffer();
    }
}
