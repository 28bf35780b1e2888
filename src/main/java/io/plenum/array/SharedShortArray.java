package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ShortBuffer;

/**
 * A shared array of signed 16-bit integers ({@link ElementType#I16}). Deltas are {@code int} and
 * wrap around modulo 2<sup>16</sup>.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write; read-modify-writes are volatile and go through the aligned 32-bit word that
 * contains the element ({@link Subword}). Bulk operations are inherited from {@link NumericArray};
 * see {@link SharedArray} for locking and lifecycle.
 */
public final class SharedShortArray extends NumericArray<short[]> {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private SharedShortArray(Segment segment) {
        super(segment, ElementType.I16);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedShortArray open(ArrayOptions options) {
        return openArray(options, ElementType.I16, SharedShortArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedShortArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public short get(int index) {
        return (short) SHORT.getAcquire(data, checkIndex(index) * 2L);
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, short value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, short value) {
        SHORT.setRelease(data, checkIndex(index) * 2L, value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public short getVolatile(int index) {
        return (short) SHORT.getVolatile(data, checkIndex(index) * 2L);
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, short value) {
        SHORT.setVolatile(data, checkIndex(index) * 2L, value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public short getPlain(int index) {
        return (short) SHORT.get(data, checkIndex(index) * 2L);
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, short value) {
        SHORT.set(data, checkIndex(index) * 2L, value);
    }

    public short getAndSet(int index, short value) {
        return (short) update(index, Subword.SET, value);
    }

    public boolean compareAndSet(int index, short expected, short value) {
        return compareAndExchange(index, expected, value) == expected;
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public short compareAndExchange(int index, short expected, short value) {
        return (short) Subword.compareAndExchange(data, checkIndex(index) * 2L, 16, expected, value);
    }

    public short getAndAdd(int index, int delta) {
        return (short) update(index, Subword.ADD, delta);
    }

    public short addAndGet(int index, int delta) {
        return (short) (update(index, Subword.ADD, delta) + delta);
    }

    public short incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public short decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public short getAndBitwiseAnd(int index, short mask) {
        return (short) update(index, Subword.AND, mask);
    }

    public short getAndBitwiseOr(int index, short mask) {
        return (short) update(index, Subword.OR, mask);
    }

    public short getAndBitwiseXor(int index, short mask) {
        return (short) update(index, Subword.XOR, mask);
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(short value) {
        fillElements(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, short value) {
        fillElements(from, count, value);
    }

    /** A read-only view of the elements; no copy, valid until {@link #close()}. */
    public ShortBuffer asBuffer() {
        return byteView().asShortBuffer();
    }

    private int update(int index, int op, int operand) {
        return Subword.getAndUpdate(data, checkIndex(index) * 2L, 16, op, operand);
    }
}
