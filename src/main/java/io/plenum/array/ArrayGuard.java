package io.plenum.array;

import io.plenum.sync.LockResult;

/**
 * A held read or write lock of a shared array, released by {@link #close()} (idempotent), so that
 * try-with-resources scopes a batch:
 * <pre>{@code
 * try (ArrayGuard guard = metrics.writeLock()) {
 *     long total = metrics.get(0) + metrics.get(1);
 *     metrics.fill(0L);          // bulk operations inside the batch use the held lock
 *     metrics.set(2, total);
 * }
 * }</pre>
 * Close it on the thread that took it. Single-element operations of other threads and processes
 * are lock-free and are not held off by it: the lock orders bulk writers and readers.
 */
public final class ArrayGuard implements AutoCloseable {
    private final ArrayLocks locks;
    private final boolean write;
    private final LockResult result;
    private boolean closed;

    ArrayGuard(ArrayLocks locks, boolean write, LockResult result) {
        this.locks = locks;
        this.write = write;
        this.result = result;
    }

    /** True for a write lock, false for a read lock. */
    public boolean isWrite() {
        return write;
    }

    /**
     * True when taking the lock removed the hold of a process that died holding it; after a dead
     * writer, a bulk write it was doing may be incomplete (each element is whole).
     */
    public boolean recovered() {
        return result.recovered();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (write) {
            locks.unlockWrite();
        } else {
            locks.unlockRead();
        }
    }
}
