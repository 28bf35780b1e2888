package io.plenum.array;

import io.plenum.segment.Segment;

/**
 * The read-modify-write operations of the unsigned 8- and 16-bit arrays, written once: both are
 * seen from Java as {@code int} values 0..2<sup>bits</sup>-1 and both update through the aligned
 * 32-bit word that contains the element ({@link Subword}). Values outside the range are rejected
 * with {@link IllegalArgumentException}; deltas may be any {@code int} and wrap around.
 *
 * @param <A> the Java array type of the elements' bits
 */
public abstract sealed class NarrowUnsignedArray<A> extends NumericArray<A>
        permits SharedUnsignedByteArray, SharedUnsignedShortArray {
    private final int bits;
    private final int mask;

    NarrowUnsignedArray(Segment segment, ElementType type) {
        super(segment, type);
        this.bits = type.size() * 8;
        this.mask = (1 << bits) - 1;
    }

    public final int getAndSet(int index, int value) {
        return update(index, Subword.SET, bits(value, "value"));
    }

    public final boolean compareAndSet(int index, int expected, int value) {
        return compareAndExchange(index, expected, value) == expected;
    }

    /** Sets the element to {@code value} if it holds {@code expected}; returns what it held. */
    public final int compareAndExchange(int index, int expected, int value) {
        return Subword.compareAndExchange(data, offset(index), bits, bits(expected, "expected"), bits(value, "value"));
    }

    public final int getAndAdd(int index, int delta) {
        return update(index, Subword.ADD, delta);
    }

    public final int addAndGet(int index, int delta) {
        return (update(index, Subword.ADD, delta) + delta) & mask;
    }

    public final int incrementAndGet(int index) {
        return addAndGet(index, 1);
    }

    public final int decrementAndGet(int index) {
        return addAndGet(index, -1);
    }

    public final int getAndBitwiseAnd(int index, int mask) {
        return update(index, Subword.AND, bits(mask, "mask"));
    }

    public final int getAndBitwiseOr(int index, int mask) {
        return update(index, Subword.OR, bits(mask, "mask"));
    }

    public final int getAndBitwiseXor(int index, int mask) {
        return update(index, Subword.XOR, bits(mask, "mask"));
    }

    /** Sets every element to {@code value}, under the write lock. */
    public final void fill(int value) {
        fill(0, capacity, value);
    }

    /** Sets {@code count} elements from {@code from} to {@code value}, under the write lock. */
    public final void fill(int from, int count, int value) {
        fillElements(from, count, bits(value, "value"));
    }

    final long offset(int index) {
        return (long) checkIndex(index) * stride;
    }

    final int bits(int value, String what) {
        return (int) checkUnsigned(value, bits, what);
    }

    private int update(int index, int op, int operand) {
        return Subword.getAndUpdate(data, offset(index), bits, op, operand);
    }
}
