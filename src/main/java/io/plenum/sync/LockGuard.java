package io.plenum.sync;

import org.jspecify.annotations.Nullable;

/**
 * A held lock, released by {@link #close()}: the {@link Guard} of every Plenum lock (a mutex,
 * either side of a read-write lock, a seqlock's write, an array's read or write lock), so that
 * try-with-resources scopes a hold and says whether taking it recovered a dead holder:
 * <pre>{@code
 * try (LockGuard held = orders.guard()) {
 *     if (held.recovered()) repair();   // the last holder died holding it
 *     ...
 * }
 * }</pre>
 * Close it once, on the thread that took it (a lock taken through a thread-bound verb belongs to
 * that thread); closing again does nothing. A guard does not outlive its lock's handle.
 */
public final class LockGuard implements Guard {
    private final LockResult result;
    private final Runnable release;
    private boolean closed;

    private LockGuard(LockResult result, Runnable release) {
        this.result = result;
        this.release = release;
    }

    /**
     * A guard over a hold that {@code result} reports taken; {@code release} ends the hold and runs
     * at most once. For structures built on Plenum's locks.
     *
     * @throws IllegalArgumentException {@code result} is {@link LockResult#NOT_ACQUIRED}
     */
    public static LockGuard of(LockResult result, Runnable release) {
        if (!result.acquired()) {
            throw new IllegalArgumentException("a guard needs a held lock, not " + result);
        }
        return new LockGuard(result, release);
    }

    /** A guard for a timed or never-waiting acquisition: null when it did not take the lock. */
    static @Nullable LockGuard orNull(LockResult result, Runnable release) {
        return result.acquired() ? new LockGuard(result, release) : null;
    }

    /**
     * True when taking the lock removed the hold of a process that died holding it; what that
     * process was changing may be half done (a seqlock's data torn, an array's bulk write partial).
     */
    @Override
    public boolean recovered() {
        return result.recovered();
    }

    /** How the lock was taken: {@link LockResult#ACQUIRED} or {@link LockResult#RECOVERED}. */
    public LockResult result() {
        return result;
    }

    /** Releases the lock; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
