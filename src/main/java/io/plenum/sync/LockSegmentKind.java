package io.plenum.sync;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.segment.SegmentSpec;
import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;

/**
 * The segment kind of a standalone lock: the lock itself at the start of the body, then its
 * {@link OwnerTable}.
 *
 * <pre>
 *  0 (SegmentHeader)   128 = body                       128 + lockArea
 *  +-------------------+--------------------------------+------------------------------+
 *  | common header     | the lock (its own layout),     | owner table, capacity entries |
 *  |                   | padded to a 64-byte multiple   |                              |
 *  +-------------------+--------------------------------+------------------------------+
 * </pre>
 * The header's {@code capacity} is the number of owner-table entries; variant and element size
 * are 0.
 */
final class LockSegmentKind implements SegmentKind {
    interface Initializer {
        void initialize(MemorySegment memory, long offset, int ownerEntries);
    }

    private final String name;
    private final int magic;
    private final int version;
    private final IntToLongFunction lockBytes;
    private final Initializer initializer;

    /** {@code version}: the lock's own layout version (the rw-lock is 2 since its reader summary). */
    LockSegmentKind(String name, String magic, int version, IntToLongFunction lockBytes, Initializer initializer) {
        this.name = name;
        this.magic = SegmentHeader.magic(magic);
        this.version = version;
        this.lockBytes = lockBytes;
        this.initializer = initializer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int magic() {
        return magic;
    }

    @Override
    public int version() {
        return version;
    }

    /** The lock's bytes, padded to a cache line so that the owner table does not share it. */
    long lockArea(int ownerEntries) {
        return (lockBytes.applyAsLong(ownerEntries) + 63) & ~63L;
    }

    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        if (variant != 0) {
            throw new IllegalArgumentException("variant must be 0 for a " + name + ": " + variant);
        }
        if (elementSize != 0) {
            throw new IllegalArgumentException("elementSize must be 0 for a " + name + ": " + elementSize);
        }
        if (capacity < 1 || capacity > OwnerTable.MAX_ENTRIES) {
            throw new IllegalArgumentException("capacity (owner entries) of a " + name + " must be 1.."
                    + OwnerTable.MAX_ENTRIES + ": " + capacity);
        }
        return lockArea((int) capacity) + OwnerTable.bytesFor((int) capacity);
    }

    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        int entries = (int) header.capacity();
        long body = header.bodyOffset();
        initializer.initialize(memory, body, entries);
        OwnerTable.initialize(memory, body + lockArea(entries), entries);
    }

    /** Opens a standalone lock segment; {@code ownerEntries} -1 takes the existing segment's. */
    Segment open(Backing backing, OpenMode mode, int ownerEntries) {
        checkOwnerEntries(ownerEntries);
        return Segment.open(backing, mode, new SegmentSpec(this, 0, ownerEntries, 0));
    }

    private static void checkOwnerEntries(int ownerEntries) {
        if (ownerEntries != -1 && (ownerEntries < 1 || ownerEntries > OwnerTable.MAX_ENTRIES)) {
            throw new IllegalArgumentException("ownerEntries must be 1.." + OwnerTable.MAX_ENTRIES
                    + " (or -1 to take the segment's): " + ownerEntries);
        }
    }

    /** The owner table of an open standalone lock segment. */
    OwnerTable owners(Segment segment) {
        int entries = (int) segment.header().capacity();
        return new OwnerTable(segment.memory(), segment.header().bodyOffset() + lockArea(entries), entries,
                segment.describe());
    }

    /** Builds a lock over an open standalone segment: (memory, lock offset, owners, segment). */
    @FunctionalInterface
    interface StandaloneFactory<T> {
        T create(java.lang.foreign.MemorySegment memory, long offset, OwnerTable owners, long checkNanos, Segment segment);
    }

    /** Opens the segment and builds the lock over it; the segment is closed if building fails. */
    <T> T openLock(LockOptions options, StandaloneFactory<T> factory) {
        if (options == null) {
            throw new IllegalArgumentException("options are required: LockOptions.of(path)");
        }
        int ownerEntries = options.entriesToOpen();
        checkOwnerEntries(ownerEntries);
        long check = SharedMutex.checkNanos(options.recoveryCheck());
        return Segment.openAs(options.backing(), options.mode(), new SegmentSpec(this, 0, ownerEntries, 0, options.fileMode()),
                segment -> factory.create(segment.memory(), segment.header().bodyOffset(), owners(segment), check, segment));
    }
}
