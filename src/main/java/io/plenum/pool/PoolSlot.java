package io.plenum.pool;

import io.plenum.sync.Guard;
import java.lang.foreign.MemorySegment;

/**
 * An allocated slot that is freed when closed, for try-with-resources:
 * <pre>{@code
 * try (var slot = pool.allocSlot()) {
 *     pool.set(slot.index(), 42);
 *     ...
 * }   // freed here, whatever happened
 * }</pre>
 * Closing is idempotent, so a slot is never freed twice through its guard (a second free could
 * hit a newer allocation of the same index by another thread of this process; another process's
 * allocation it could not free, see {@link SlotPool#free(int)}). Not for use by several threads at
 * once.
 *
 * <p>{@link #recovered()} says whether the slot came from a process that died holding it (or while
 * allocating it), as a lock reports {@link io.plenum.sync.LockResult#RECOVERED}: the slot then holds
 * what that process last wrote, which may be unfinished work to redo, or half-written.
 */
public final class PoolSlot implements Guard {
    private final SlotPool pool;
    private final int index;
    private final boolean recovered;
    private boolean closed;

    PoolSlot(SlotPool pool, int index, boolean recovered) {
        this.pool = pool;
        this.index = index;
        this.recovered = recovered;
    }

    /** The slot's index in its pool. */
    public int index() {
        return index;
    }

    /**
     * True when this allocation took the slot from a dead process: its last holder died holding it
     * (or while allocating it) and a recovery scan took it back, and no allocation had it since.
     * Only the allocation that takes such a slot next is told. The slot's bytes are then what that
     * process left (complete if it had allocated the slot, possibly half-written if it died
     * writing its first value). Allocations that return a bare index cannot say it; the pool's
     * {@code recoveries} statistic counts every recovered slot.
     */
    @Override
    public boolean recovered() {
        return recovered;
    }

    /** The pool the slot belongs to. */
    public SlotPool pool() {
        return pool;
    }

    /** The slot's memory, zero-copy (see {@link SlotPool#slot(int)}). */
    public MemorySegment segment() {
        return pool.slot(index);
    }

    /** True once {@link #close()} has freed the slot (or found it freed by someone else). */
    public boolean isClosed() {
        return closed;
    }

    /** Frees the slot; idempotent. Does nothing more once the pool itself is closed. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!pool.isClosed()) {
                pool.free(index);
            }
        }
    }

    /**
     * Frees the slot, unused, so that a recovery it reported is reported again to the next
     * allocation (for a guard whose taker was cancelled before it got it); idempotent.
     */
    void giveBack() {
        if (!closed) {
            closed = true;
            if (!pool.isClosed()) {
                pool.claims.giveBackAll(recovered ? SlotAllocator.recoveredClaim(index) : index);
            }
        }
    }

    @Override
    public String toString() {
        return "PoolSlot[" + index + (recovered ? ", recovered" : "") + (closed ? ", closed" : "") + " of "
                + pool.describe() + "]";
    }
}
