package io.plenum.sync;

/**
 * Something held that closing gives back, and that says whether taking it recovered it from a
 * process that died holding it: the one guard shape of Plenum. A held lock ({@link LockGuard}), an
 * allocated slot ({@code PoolSlot}) and a shared value's writer lock ({@code ValueLock}) are each
 * one, so try-with-resources (and Kotlin's {@code use { }}) scopes every hold the same way:
 * <pre>{@code
 * try (Guard held = ...) {
 *     if (held.recovered()) repair();   // its last holder died holding it
 *     ...
 * }
 * }</pre>
 * Closing is idempotent. A guard does not outlive the handle it came from.
 */
public interface Guard extends AutoCloseable {
    /**
     * True when taking this hold took it from a process that died holding it; what that process
     * was doing there may be half done.
     */
    boolean recovered();

    /** Gives the hold back; idempotent. Throws no checked exception. */
    @Override
    void close();
}
