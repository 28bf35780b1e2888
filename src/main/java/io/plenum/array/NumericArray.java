package io.plenum.array;

import io.plenum.segment.Segment;
import java.lang.foreign.MemorySegment;

/**
 * The bulk operations of every numeric array, written once. {@code A} is the Java array type that
 * holds the elements' bits: {@code byte[]} for I8 and U8, {@code short[]} for I16 and U16,
 * {@code int[]} for I32 and U32, {@code long[]} for I64 and U64, {@code float[]}, {@code double[]}.
 * Unsigned elements travel in the signed array of their width, bit for bit (as Kotlin's
 * {@code UIntArray} wraps an {@code IntArray}).
 *
 * <p>Reads ({@link #slice}, {@link #copyTo}) are consistent snapshots with respect to bulk writers;
 * writes ({@link #copyFrom}, {@link #addRange}, and the typed classes' {@code fill}) hold the write
 * lock. See {@link SharedArray} for the rules.
 *
 * @param <A> the Java array type of the elements
 */
public abstract sealed class NumericArray<A> extends SharedArray
        permits SharedByteArray, SharedShortArray, NarrowUnsignedArray, SharedIntArray, SharedUnsignedIntArray,
        SharedLongArray, SharedFloatArray, SharedDoubleArray {

    private final Class<?> arrayType;

    NumericArray(Segment segment, ElementType type) {
        super(segment, type);
        this.arrayType = newArray(0).getClass();
    }

    /** A consistent copy of {@code count} elements from {@code from}. */
    public final A slice(int from, int count) {
        checkRange(from, count);
        A values = newArray(count);
        readElements(from, count, wrap(values, "values"), 0);
        return values;
    }

    /** Copies {@code count} elements from {@code from} into {@code dst} at {@code dstIndex}, consistently. */
    public final void copyTo(int from, A dst, int dstIndex, int count) {
        checkRange(from, count);
        readElements(from, count, part(dst, dstIndex, count, "dst"), 0);
    }

    /** Sets the elements from {@code from} on to {@code values}, under the write lock. */
    public final void copyFrom(int from, A values) {
        MemorySegment source = wrap(values, "values");
        writeElements(from, (int) (source.byteSize() / stride), source, 0);
    }

    /** Sets {@code count} elements from {@code from} to {@code src[srcIndex…]}, under the write lock. */
    public final void copyFrom(int from, A src, int srcIndex, int count) {
        writeElements(from, count, part(src, srcIndex, count, "src"), 0);
    }

    /**
     * Adds {@code deltas[i]} to element {@code from + i} for every {@code i}: each add atomic (so no
     * concurrent single-element update is lost), all of them under the write lock (so bulk readers
     * see all or none). Integer adds wrap around.
     */
    public final void addRange(int from, A deltas) {
        MemorySegment source = wrap(deltas, "deltas");
        addElements(from, (int) (source.byteSize() / stride), source);
    }

    /** Returns {@code value} if it fits {@code bits} unsigned bits, else throws naming {@code what}. */
    final long checkUnsigned(long value, int bits, String what) {
        if (value >>> bits != 0) {
            throw new IllegalArgumentException(describe() + ": " + what + " " + value + " is out of range 0.."
                    + ((1L << bits) - 1) + " of a " + elementType() + " element");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private A newArray(int length) {
        Object array = switch (elementType()) {
            case I8, U8 -> new byte[length];
            case I16, U16 -> new short[length];
            case I32, U32 -> new int[length];
            case I64, U64 -> new long[length];
            case F32 -> new float[length];
            case F64 -> new double[length];
            case STR -> throw new AssertionError("a string array is not numeric");
        };
        return (A) array;
    }

    private MemorySegment wrap(Object array, String name) {
        if (array == null) {
            throw new NullPointerException(name);
        }
        if (array.getClass() != arrayType) {
            throw new IllegalArgumentException(describe() + ": " + name + " is a " + array.getClass().getSimpleName()
                    + ", a " + elementType() + " array copies " + arrayType.getSimpleName());
        }
        return switch (array) {
            case byte[] values -> MemorySegment.ofArray(values);
            case short[] values -> MemorySegment.ofArray(values);
            case int[] values -> MemorySegment.ofArray(values);
            case long[] values -> MemorySegment.ofArray(values);
            case float[] values -> MemorySegment.ofArray(values);
            case double[] values -> MemorySegment.ofArray(values);
            default -> throw new AssertionError(arrayType);
        };
    }

    /** Elements {@code [index, index + count)} of a Java array, checked. */
    private MemorySegment part(Object array, int index, int count, String name) {
        MemorySegment whole = wrap(array, name);
        long length = whole.byteSize() / stride;
        if (index < 0 || count < 0 || index > length - count) {
            throw new IndexOutOfBoundsException(describe() + ": " + count + " elements from index " + index
                    + " of " + name + " out of bounds for its length " + length);
        }
        return whole.asSlice((long) index * stride, (long) count * stride);
    }
}
