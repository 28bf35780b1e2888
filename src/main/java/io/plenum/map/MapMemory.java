package io.plenum.map;

import io.plenum.segment.Segment;
import io.plenum.segment.SegmentFormatException;
import io.plenum.segment.SegmentHeader;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * This process's view of a map's segment: the newest mapping it knows, remapped when an offset read
 * from shared memory lies past it and the header publishes a larger size. Older mappings stay valid
 * until the segment closes, so a thread that still reads through one never faults.
 */
final class MapMemory {
    private static final VarHandle MAPPED_SIZE = MapLayout.LONG.varHandle();

    private final Segment segment;
    private final String name;
    private volatile MemorySegment current;

    MapMemory(Segment segment, String name) {
        this.segment = segment;
        this.name = name;
        this.current = segment.memory();
    }

    /** The newest mapping; throws {@link IllegalStateException} naming the map once it is closed. */
    MemorySegment current() {
        MemorySegment mem = current;
        if (segment.isClosed()) {
            throw new IllegalStateException(name + " is closed");
        }
        return mem;
    }

    /** Remaps if another process grew the segment; returns the newest mapping. */
    MemorySegment refresh() {
        MemorySegment mem = current();
        long published = (long) MAPPED_SIZE.getAcquire(mem, (long) SegmentHeader.MAPPED_SIZE_OFFSET);
        if (published > mem.byteSize()) {
            segment.refresh();
            mem = segment.memory();
            current = mem;
        }
        return mem;
    }

    /** Grows the segment to {@code size} bytes (allocator lock held) and returns the new mapping. */
    MemorySegment grow(long size) {
        segment.grow(size);
        MemorySegment mem = segment.memory();
        current = mem;
        return mem;
    }

    /**
     * A mapping that covers {@code offset .. offset + length}, remapping if needed.
     *
     * @throws SegmentFormatException naming {@code field} when even the published size does not
     */
    MemorySegment covering(long offset, long length, String field) {
        MemorySegment mem = current();
        if (offset >= 0 && length >= 0 && offset <= mem.byteSize() - length) {
            return mem;
        }
        if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
            throw corrupt(field + ": offset " + offset + " length " + length);
        }
        mem = refresh();
        if (offset + length > mem.byteSize()) {
            throw corrupt(field + ": bytes " + offset + ".." + (offset + length) + " lie past the map's "
                    + mem.byteSize() + " bytes");
        }
        return mem;
    }

    SegmentFormatException corrupt(String what) {
        return new SegmentFormatException(name + ": corrupt: " + what);
    }

    Segment segment() {
        return segment;
    }

    String name() {
        return name;
    }
}
