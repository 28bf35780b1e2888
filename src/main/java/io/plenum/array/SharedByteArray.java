package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A shared array of signed 8-bit integers ({@link ElementType#I8}). Deltas are {@code int} and
 * wrap around modulo 2<sup>8</sup>.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write; read-modify-writes are volatile and go through the aligned 32-bit word that
 * contains the element ({@link Subword}). Bulk operations are inherited from {@link NumericArray};
 * see {@link SharedArray} for locking and lifecycle.
 */
public final class SharedByteArray extends NumericArray<byte[]> {
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private SharedByteArray(Segment segment) {
        super(segment, ElementType.I8);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedByteArray open(ArrayOptions options) {
        return openArray(options, ElementType.I8, SharedByteArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedByteArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public byte get(int index) {
        return (byte) BYTE.getAcquire(data, (long) checkIndex(index));
    }

    /**
     * Release write. Kotlin refuses this method, so that {@code a[i] += d} (a read and a separate
     * write that loses concurrent updates) does not compile: Kotlin writes with {@link #setRelease}.
     */
    @kotlin.Deprecated(message = IndexedWrites.REFUSED)
    @kotlin.DeprecatedSinceKotlin(errorSince = "1.0")
    public void set(int index, byte value) {
        setRelease(index, value);
    }

    /** Release write, the same as {@link #set}, under the name Kotlin accepts. */
    public void setRelease(int index, byte value) {
        BYTE.setRelease(data, (long) checkIndex(index), value);
    }

    /** Volatile read: also ordered against this thread's other volatile accesses (sequential consistency). */
    public byte getVolatile(int index) {
        return (byte) BYTE.getVolatile(data, (long) checkIndex(index));
    }

    /** Volatile write: as {@link #set}, and ordered before this thread's later volatile reads. */
    public void setVolatile(int index, byte value) {
        BYTE.setVolatile(data, (long) checkIndex(index), value);
    }

    /** Plain read: no ordering against other accesses; for data another lock or fence already orders. */
    public byte getPlain(int index) {
        return (byte) BYTE.get(data, (long) checkIndex(index));
    }

    /** Plain write: no ordering against other accesses; for data another lock or fence already orders. */
    public void setPlain(int index, byte value) {
        BYTE.set(data, (long) checkIndex(index), value);
    }

    public byte getAndSet(int index, byte value) {
        return (byte) update(index, Subword.SET, value);
    }

    public boolean compareAndSet(int index, byte expected, byte value) {
        return compareAndExchange(index, expected, value) == expected;
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public byte compareAndExchange(int index, byte expected, byte value) {
        return (byte) Subword.compareAndExchange(data, checkIndex(index), 8, expected, value);
    }

    public byte getAndAdd(int index, int delta) {
        return (byte) update(index, Subword.ADD, delta);
    }

    public byte addAndGet(int index, int delta) {
        return (byte) (update(index, Subword.ADD, delta) + delta);
    }

    public byte incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public byte decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public byte getAndBitwiseAnd(int index, byte mask) {
        return (byte) update(index, Subword.AND, mask);
    }

    public byte getAndBitwiseOr(int index, byte mask) {
        return (byte) update(index, Subword.OR, mask);
    }

    public byte getAndBitwiseXor(int index, byte mask) {
        return (byte) update(index, Subword.XOR, mask);
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(byte value) {
        fillElements(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, byte value) {
        fillElements(from, count, value);
    }

    /** A read-only view of the elements; no copy, valid until {@link #close()}. */
    public ByteBuffer asBuffer() {
        return byteView();
    }

    private int update(int index, int op, int operand) {
        return Subword.getAndUpdate(data, checkIndex(index), 8, op, operand);
    }
}
