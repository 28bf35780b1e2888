package io.plenum.bench.heap;

import java.nio.charset.StandardCharsets;

/**
 * The heap peer of a string pool's data: fixed-width byte slots with their lengths, written and
 * read through the same UTF-8 conversions as {@code SharedStringPool}'s String methods.
 */
public final class HeapStringSlots {
    private final byte[] bytes;
    private final int[] lengths;
    private final int maxLength;

    public HeapStringSlots(int capacity, int maxLength) {
        this.bytes = new byte[capacity * maxLength];
        this.lengths = new int[capacity];
        this.maxLength = maxLength;
    }

    public void set(int slot, String value) {
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        if (encoded.length > maxLength) {
            throw new IllegalArgumentException("too long: " + encoded.length);
        }
        System.arraycopy(encoded, 0, bytes, slot * maxLength, encoded.length);
        lengths[slot] = encoded.length;
    }

    public String get(int slot) {
        return new String(bytes, slot * maxLength, lengths[slot], StandardCharsets.UTF_8);
    }
}
