package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.FloatBuffer;

/**
 * A shared array of 32-bit floating-point numbers ({@link ElementType#F32}).
 *
 * <p>Single-element operations are lock-free and never tear a value: {@link #get} is an acquire
 * read, {@link #set} a release write. {@link #compareAndSet} and {@link #compareAndExchange}
 * compare bit patterns (as {@link Float#floatToRawIntBits} does), so a NaN matches the same NaN
 * and {@code -0.0f} does not match {@code 0.0f}; {@link #getAndAdd} is a compare-and-set loop on the
 * value. Bulk operations are inherited from {@link NumericArray}; see {@link SharedArray} for
 * locking and lifecycle.
 */
public final class SharedFloatArray extends NumericArray<float[]> {
    private static final VarHandle FLOAT = ValueLayout.JAVA_FLOAT.varHandle();

    private SharedFloatArray(Segment segment) {
        super(segment, ElementType.F32);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedFloatArray open(ArrayOptions options) {
        return openArray(options, ElementType.F32, SharedFloatArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedFloatArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public float get(int index) {
        return (float) FLOAT.getAcquire(data, checkIndex(index) * 4L);
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, float value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, float value) {
        FLOAT.setRelease(data, checkIndex(index) * 4L, value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public float getVolatile(int index) {
        return (float) FLOAT.getVolatile(data, checkIndex(index) * 4L);
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, float value) {
        FLOAT.setVolatile(data, checkIndex(index) * 4L, value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public float getPlain(int index) {
        return (float) FLOAT.get(data, checkIndex(index) * 4L);
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, float value) {
        FLOAT.set(data, checkIndex(index) * 4L, value);
    }

    public float getAndSet(int index, float value) {
        return (float) FLOAT.getAndSet(data, checkIndex(index) * 4L, value);
    }

    /** Compares bit patterns. */
    public boolean compareAndSet(int index, float expected, float value) {
        return FLOAT.compareAndSet(data, checkIndex(index) * 4L, expected, value);
    }

    /** Sets the element to {@code value} if its bits equal {@code expected}'s; returns what it held. */
    public float compareAndExchange(int index, float expected, float value) {
        return (float) FLOAT.compareAndExchange(data, checkIndex(index) * 4L, expected, value);
    }

    public float getAndAdd(int index, float delta) {
        return Arithmetic.getAndAdd(data, checkIndex(index) * 4L, delta);
    }

    public float addAndGet(int index, float delta) {
        return Arithmetic.getAndAdd(data, checkIndex(index) * 4L, delta) + delta;
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(float value) {
        fill(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, float value) {
        fillElements(from, count, Float.floatToRawIntBits(value));
    }

    /** A read-only typed view of the elements; no copy, valid until {@link #close()}. */
    public FloatBuffer asBuffer() {
        return byteView().asFloatBuffer();
    }
}
