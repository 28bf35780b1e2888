package io.plenum.segment;

import java.lang.foreign.MemorySegment;

/**
 * What one structure kind tells the segment layer: its magic, its format version, how many bytes
 * it needs after the common header for a given geometry, and how to initialise them. Each
 * structure's {@code …Layout} class implements it.
 */
public interface SegmentKind {
    /** A short lower-case name for messages, such as {@code "array"}. */
    String name();

    /** Four ASCII characters as a little-endian int, such as {@code SegmentHeader.magic("PLAR")}. */
    int magic();

    /** The format version this code reads and writes. */
    int version();

    /**
     * The bytes this structure needs after the common header.
     *
     * @throws IllegalArgumentException naming the field when the geometry is not valid for this kind
     */
    long bodySize(int variant, long capacity, int elementSize);

    /** Fills the body of a new, zeroed segment. Called before the segment is visible to anyone. */
    default void initialize(MemorySegment memory, SegmentHeader header) {
    }

    /** The name of a variant (element type) for messages, such as {@code "I64"}. */
    default String variantName(int variant) {
        return Integer.toString(variant);
    }

    /** True when the segment may grow after creation (then a memfd is sealed against shrinking only). */
    default boolean growable() {
        return false;
    }
}
