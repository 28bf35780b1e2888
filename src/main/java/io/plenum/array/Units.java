package io.plenum.array;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies and fills in whole elements. The shared side is always naturally aligned, so each element
 * is read or written with one access of its own width, which the hardware makes single-copy atomic:
 * a bulk copy that races with a lock-free single-element writer sees each element either before or
 * after, never torn. ({@link MemorySegment#copy} promises no unit size.) The private side (a Java
 * array, a buffer, a caller's segment) may be unaligned, hence the unaligned layouts; on an aligned
 * address they compile to the same single access.
 *
 * <p>Plain accesses suffice: callers order them with the array's seqlock or write lock.
 */
final class Units {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private Units() {
    }

    /** Copies {@code bytes} bytes (a multiple of {@code unit}) in accesses of {@code unit} bytes. */
    static void copy(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long bytes, int unit) {
        switch (unit) {
            case 8 -> {
                for (long i = 0; i < bytes; i += 8) {
                    dst.set(LONG, dstOffset + i, src.get(LONG, srcOffset + i));
                }
            }
            case 4 -> {
                for (long i = 0; i < bytes; i += 4) {
                    dst.set(INT, dstOffset + i, src.get(INT, srcOffset + i));
                }
            }
            case 2 -> {
                for (long i = 0; i < bytes; i += 2) {
                    dst.set(SHORT, dstOffset + i, src.get(SHORT, srcOffset + i));
                }
            }
            default -> MemorySegment.copy(src, srcOffset, dst, dstOffset, bytes);
        }
    }

    /** Writes the low {@code unit} bytes of {@code bits} to {@code count} elements from {@code offset}. */
    static void fill(MemorySegment dst, long offset, int count, int unit, long bits) {
        long end = offset + (long) count * unit;
        switch (unit) {
            case 8 -> {
                for (long at = offset; at < end; at += 8) {
                    dst.set(LONG, at, bits);
                }
            }
            case 4 -> {
                for (long at = offset; at < end; at += 4) {
                    dst.set(INT, at, (int) bits);
                }
            }
            case 2 -> {
                for (long at = offset; at < end; at += 2) {
                    dst.set(SHORT, at, (short) bits);
                }
            }
            default -> dst.asSlice(offset, count).fill((byte) bits);
        }
    }
}
