package io.plenum.pool;

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
 */
public final class PoolSlot implements AutoCloseable {
    private final SlotPool pool;
    private final int index;
    private boolean closed;

    PoolSlot(SlotPool pool, int index) {
        this.pool = pool;
        this.index = index;
    }

    /** The slot's index in its pool. */
    public int index() {
        return index;
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

    @Override
    public String toString() {
        return "PoolSlot[" + index + (closed ? ", closed" : "") + " of " + pool.describe() + "]";
    }
}
