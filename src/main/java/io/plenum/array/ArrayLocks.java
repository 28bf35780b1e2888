package io.plenum.array;

import io.plenum.segment.Segment;
import java.lang.foreign.MemorySegment;

/**
 * The locks of one array: a write lock for bulk writers and batches, and a seqlock that lets bulk
 * readers copy without blocking and retry when a bulk write overlapped them.
 *
 * <p>NOT WIRED YET: waits for {@code io.plenum.sync} (SharedRwLock, Seqlock, OwnerTable). Until
 * then every method is a no-op, and bulk operations are not consistent against concurrent bulk
 * writers. Single-element operations never use these locks.
 */
final class ArrayLocks {
    ArrayLocks(Segment segment, ArrayLayout layout) {
    }

    static void initialize(MemorySegment memory, ArrayLayout layout) {
    }

    /** Takes the write lock (and opens a seqlock write section) unless this thread holds it already. */
    boolean acquireForBulkWrite() {
        return false;
    }

    void releaseBulkWrite() {
    }

    long readBegin() {
        return 0;
    }

    boolean readValidate(long sequence) {
        return true;
    }

    long recoveries() {
        return 0;
    }
}
