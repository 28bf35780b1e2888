package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ShortBuffer;

/**
 * A shared array of unsigned 16-bit integers ({@link ElementType#U16}), seen from Java as {@code int}
 * values 0..65535 (Kotlin sees {@code UShort}). Values outside that range are rejected with
 * {@link IllegalArgumentException}; deltas may be any {@code int} and wrap around modulo
 * 2<sup>16</sup>. Bulk operations copy the bits as {@code short[]}.
 *
 * <p>Single-element operations are lock-free: {@link #get} is an acquire read, {@link #set} a
 * release write; read-modify-writes are volatile and go through the aligned 32-bit word that
 * contains the element ({@link Subword}). See {@link SharedArray} for locking and lifecycle.
 */
public final class SharedUnsignedShortArray extends NumericArray<short[]> {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private SharedUnsignedShortArray(Segment segment) {
        super(segment, ElementType.U16);
    }

    /** Opens or creates the array {@code options} describe. */
    public static SharedUnsignedShortArray open(ArrayOptions options) {
        return openArray(options, ElementType.U16, SharedUnsignedShortArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} zeros if there is none. */
    public static SharedUnsignedShortArray open(Backing backing, int capacity) {
        return open(ArrayOptions.of(backing).withCapacity(capacity));
    }

    /** Acquire read. */
    public int get(int index) {
        return Short.toUnsignedInt((short) SHORT.getAcquire(data, checkIndex(index) * 2L));
    }

    /** Release write. */
    public void set(int index, int value) {
        SHORT.setRelease(data, checkIndex(index) * 2L, (short) bits(value, "value"));
    }

    public int getAndSet(int index, int value) {
        return update(index, Subword.SET, bits(value, "value"));
    }

    public boolean compareAndSet(int index, int expected, int value) {
        return compareAndExchange(index, expected, value) == expected;
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public int compareAndExchange(int index, int expected, int value) {
        return Subword.compareAndExchange(data, checkIndex(index) * 2L, 16, bits(expected, "expected"), bits(value, "value"));
    }

    public int getAndAdd(int index, int delta) {
        return update(index, Subword.ADD, delta);
    }

    public int addAndGet(int index, int delta) {
        return (update(index, Subword.ADD, delta) + delta) & 0xFFFF;
    }

    public int incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public int decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public int getAndBitwiseAnd(int index, int mask) {
        return update(index, Subword.AND, bits(mask, "mask"));
    }

    public int getAndBitwiseOr(int index, int mask) {
        return update(index, Subword.OR, bits(mask, "mask"));
    }

    public int getAndBitwiseXor(int index, int mask) {
        return update(index, Subword.XOR, bits(mask, "mask"));
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(int value) {
        fill(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public void fill(int from, int count, int value) {
        fillElements(from, count, bits(value, "value"));
    }

    /** A read-only view of the elements; no copy, valid until {@link #close()}. */
    public ShortBuffer asBuffer() {
        return byteView().asShortBuffer();
    }

    private int update(int index, int op, int operand) {
        return Subword.getAndUpdate(data, checkIndex(index) * 2L, 16, op, operand);
    }

    private int bits(int value, String what) {
        return (int) checkUnsigned(value, 16, what);
    }
}
