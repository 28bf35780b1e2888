package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.LongBuffer;

/**
 * A shared array of 64-bit integers: signed ({@link ElementType#I64}, {@link #open}) or unsigned
 * ({@link ElementType#U64}, {@link #openUnsigned}). Java has no wider type for U64, so both are
 * seen as {@code long}: the arithmetic is the same bit for bit, and unsigned values read with
 * {@link Long#toUnsignedString(long)}, {@link Long#compareUnsigned} and {@link Long#divideUnsigned}.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write, the others are volatile read-modify-writes; adds wrap around. Bulk operations are
 * inherited from {@link NumericArray}; see {@link SharedArray} for locking and lifecycle.
 */
public final class SharedLongArray extends NumericArray<long[]> {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private SharedLongArray(Segment segment, ElementType type) {
        super(segment, type);
    }

    /** Opens or creates the I64 array {@code options} describe. */
    public static SharedLongArray open(ArrayOptions options) {
        return openArray(options, ElementType.I64, segment -> new SharedLongArray(segment, ElementType.I64));
    }

    /** Opens or creates the U64 array {@code options} describe. */
    public static SharedLongArray openUnsigned(ArrayOptions options) {
        return openArray(options, ElementType.U64, segment -> new SharedLongArray(segment, ElementType.U64));
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedLongArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public long get(int index) {
        return (long) LONG.getAcquire(data, checkIndex(index) * 8L);
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
        LONG.setRelease(data, checkIndex(index) * 8L, value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public long getVolatile(int index) {
        return (long) LONG.getVolatile(data, checkIndex(index) * 8L);
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, long value) {
        LONG.setVolatile(data, checkIndex(index) * 8L, value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public long getPlain(int index) {
        return (long) LONG.get(data, checkIndex(index) * 8L);
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, long value) {
        LONG.set(data, checkIndex(index) * 8L, value);
    }

    public long getAndSet(int index, long value) {
        return (long) LONG.getAndSet(data, checkIndex(index) * 8L, value);
    }

    public boolean compareAndSet(int index, long expected, long value) {
        return LONG.compareAndSet(data, checkIndex(index) * 8L, expected, value);
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public long compareAndExchange(int index, long expected, long value) {
        return (long) LONG.compareAndExchange(data, checkIndex(index) * 8L, expected, value);
    }

    public long getAndAdd(int index, long delta) {
        return (long) LONG.getAndAdd(data, checkIndex(index) * 8L, delta);
    }

    public long addAndGet(int index, long delta) {
        return (long) LONG.getAndAdd(data, checkIndex(index) * 8L, delta) + delta;
    }

    public long incrementAndGet(int index) {
        return addAndGet(index, 1L);
    }

    public long decrementAndGet(int index) {
        return addAndGet(index, -1L);
    }

    public long getAndBitwiseAnd(int index, long mask) {
        return (long) LONG.getAndBitwiseAnd(data, checkIndex(index) * 8L, mask);
    }

    public long getAndBitwiseOr(int index, long mask) {
        return (long) LONG.getAndBitwiseOr(data, checkIndex(index) * 8L, mask);
    }

    public long getAndBitwiseXor(int index, long mask) {
        return (long) LONG.getAndBitwiseXor(data, checkIndex(index) * 8L, mask);
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(long value) {
        fillElements(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, long value) {
        fillElements(from, count, value);
    }

    /** A read-only typed view of the elements; no copy, valid until {@link #close()}. */
    public LongBuffer asBuffer() {
        return byteView().asLongBuffer();
    }
}
