package io.plenum.sync;

/**
 * How a lock acquisition ended. {@link #RECOVERED} is the {@code EOWNERDEAD} of a pthread robust
 * mutex: the caller holds the lock, but a previous holder died holding it (or, for a write lock, a
 * reader died holding a read lock), so the data it guards may be half-updated.
 */
public enum LockResult {
    /** The lock is held. */
    ACQUIRED,
    /** The lock is held, after recovering it from a dead holder. */
    RECOVERED,
    /** The lock is not held: it was busy ({@code tryLock}) or the timeout passed. */
    NOT_ACQUIRED;

    /** True when the caller now holds the lock. */
    public boolean acquired() {
        return this != NOT_ACQUIRED;
    }

    /** True when the caller holds the lock and a dead holder's hold was removed on the way. */
    public boolean recovered() {
        return this == RECOVERED;
    }
}
