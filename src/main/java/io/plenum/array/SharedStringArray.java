package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A shared array of fixed-width strings ({@link ElementType#STR}): each element holds up to
 * {@link #maxLength()} bytes, chosen at creation and recorded in the header, together with the
 * value's real length, so every byte survives, trailing NULs included. Values are UTF-8
 * {@code String}s ({@link #get}, {@link #set}) or raw bytes ({@link #getBytes}, {@link #setBytes}).
 *
 * <p>A value longer than {@code maxLength} bytes is rejected with {@link IllegalArgumentException}
 * and nothing changes; {@link #setTruncating} and {@link #setBytesTruncating} cut it instead (a
 * {@code String} at a character boundary).
 *
 * <p>A string is more than one word, so writes take the array's write lock and reads copy under
 * its seqlock: a reader never sees half of one value and half of another. See {@link SharedArray}.
 * The layout of an element is drawn in {@link ArrayLayout}.
 */
public final class SharedStringArray extends SharedArray {
    private static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT;
    private static final byte[] EMPTY = {};

    private final int maxLength;

    private SharedStringArray(Segment segment) {
        super(segment, ElementType.STR);
        this.maxLength = layout.elementSize();
    }

    /** Opens or creates the array {@code options} describe; creating needs a capacity and a maxLength. */
    public static SharedStringArray open(ArrayOptions options) {
        return openArray(options, ElementType.STR, SharedStringArray::new);
    }

    /** Opens the array at {@code backing}, creating it with {@code capacity} empty strings of up to {@code maxLength} bytes. */
    public static SharedStringArray open(Backing backing, int capacity, int maxLength) {
        return open(ArrayOptions.of(backing).withCapacity(capacity).withMaxLength(maxLength));
    }

    /** The largest number of bytes an element holds. */
    public int maxLength() {
        return maxLength;
    }

    /** The value of element {@code index}, decoded from UTF-8 (malformed bytes become U+FFFD). */
    public String get(int index) {
        return new String(getBytes(index), StandardCharsets.UTF_8);
    }

    /** The bytes of element {@code index}, exactly as stored. */
    public byte[] getBytes(int index) {
        long offset = (long) checkIndex(index) * stride;
        while (true) {
            long sequence = locks.readBegin();
            int length = data.get(LENGTH, offset);
            byte[] value = length >= 0 && length <= maxLength ? new byte[length] : null;
            if (value != null) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + ArrayLayout.STRING_LENGTH_SIZE, value, 0, length);
            }
            if (locks.readValidate(sequence)) {
                if (value == null) {
                    throw new SegmentFormatException(describe() + ": element " + index + " field length: " + length
                            + ", outside 0.." + maxLength + "; the segment is corrupt");
                }
                return value;
            }
        }
    }

    /** The number of bytes of element {@code index}'s value. */
    public int length(int index) {
        return getBytes(index).length;
    }

    /**
     * Stores {@code value} in UTF-8.
     *
     * @throws IllegalArgumentException its encoding is longer than {@link #maxLength()}; nothing changed
     */
    public void set(int index, String value) {
        setBytes(index, encode(value));
    }

    /** Stores as much of {@code value} as fits, cut at a character boundary; returns the bytes stored. */
    public int setTruncating(int index, String value) {
        byte[] bytes = encode(value);
        int length = bytes.length;
        if (length > maxLength) {
            length = maxLength;
            while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
                length--; // bytes[length] continues the character that starts before it
            }
        }
        store(index, bytes, length);
        return length;
    }

    /**
     * Stores {@code value} as it is.
     *
     * @throws IllegalArgumentException it is longer than {@link #maxLength()}; nothing changed
     */
    public void setBytes(int index, byte[] value) {
        if (value.length > maxLength) {
            throw new IllegalArgumentException(describe() + ": value for index " + index + " is " + value.length
                    + " bytes, longer than the element's maxLength " + maxLength);
        }
        store(index, value, value.length);
    }

    /** Stores the first {@link #maxLength()} bytes of {@code value}; returns the bytes stored. */
    public int setBytesTruncating(int index, byte[] value) {
        int length = Math.min(value.length, maxLength);
        store(index, value, length);
        return length;
    }

    /** A consistent copy of {@code count} values from {@code from}. */
    public String[] slice(int from, int count) {
        checkRange(from, count);
        byte[] raw = getRaw(from, count);
        MemorySegment elements = MemorySegment.ofArray(raw);
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            long offset = (long) i * stride;
            values[i] = new String(raw, (int) offset + ArrayLayout.STRING_LENGTH_SIZE,
                    checkedLength(elements, offset, from + i), StandardCharsets.UTF_8);
        }
        return values;
    }

    /**
     * Sets the elements from {@code from} on to {@code values}, all under the write lock.
     *
     * @throws IllegalArgumentException a value is too long; nothing changed
     */
    public void copyFrom(int from, String... values) {
        checkRange(from, values.length);
        byte[] raw = new byte[Math.multiplyExact(values.length, stride)];
        MemorySegment elements = MemorySegment.ofArray(raw);
        for (int i = 0; i < values.length; i++) {
            byte[] bytes = encode(values[i]);
            if (bytes.length > maxLength) {
                throw new IllegalArgumentException(describe() + ": value for index " + (from + i) + " is "
                        + bytes.length + " bytes, longer than the element's maxLength " + maxLength);
            }
            long offset = (long) i * stride;
            elements.set(ValueLayout.JAVA_INT_UNALIGNED, offset, bytes.length);
            MemorySegment.copy(bytes, 0, elements, ValueLayout.JAVA_BYTE, offset + ArrayLayout.STRING_LENGTH_SIZE, bytes.length);
        }
        writeElements(from, values.length, elements, 0);
    }

    /** Sets every element to {@code value}, under the write lock. */
    public void fill(String value) {
        String[] values = new String[capacity];
        java.util.Arrays.fill(values, value);
        copyFrom(0, values);
    }

    /** Rejects raw bytes whose length fields do not fit, before {@code setRaw} writes anything. */
    @Override
    void checkSource(int from, int count, MemorySegment src, long srcOffset) {
        for (int i = 0; i < count; i++) {
            int length = src.get(ValueLayout.JAVA_INT_UNALIGNED, srcOffset + (long) i * stride);
            if (length < 0 || length > maxLength) {
                throw new IllegalArgumentException(describe() + ": raw element for index " + (from + i)
                        + " has length " + length + ", outside 0.." + maxLength);
            }
        }
    }

    private int checkedLength(MemorySegment elements, long offset, int index) {
        int length = elements.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
        if (length < 0 || length > maxLength) {
            throw new SegmentFormatException(describe() + ": element " + index + " field length: " + length
                    + ", outside 0.." + maxLength + "; the segment is corrupt");
        }
        return length;
    }

    private static byte[] encode(String value) {
        return value.isEmpty() ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes length and bytes, and zeroes the rest of the element, under the write lock. */
    private void store(int index, byte[] value, int length) {
        long offset = (long) checkIndex(index) * stride;
        boolean locked = locks.acquireForBulkWrite();
        try {
            data.set(LENGTH, offset, length);
            long bytes = offset + ArrayLayout.STRING_LENGTH_SIZE;
            MemorySegment.copy(value, 0, data, ValueLayout.JAVA_BYTE, bytes, length);
            data.asSlice(bytes + length, maxLength - length).fill((byte) 0);
        } finally {
            if (locked) {
                locks.releaseBulkWrite();
            }
        }
    }
}
