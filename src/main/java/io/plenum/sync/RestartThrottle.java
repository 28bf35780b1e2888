package io.plenum.sync;

import java.lang.foreign.MemorySegment;

/**
 * How often one handle may restart one wait word's stale waiter count (see {@link Waiting}'s
 * "The count" and {@link Waiting#restartSignal}): at most once per {@link #INTERVAL_NANOS}.
 *
 * <p>A wake that finds nobody asleep although the count says someone waits is usually a waiter
 * between counting itself and sleeping (a few instructions), and rarely one killed asleep. The
 * restart is right in both cases, but costs a CAS, a move of the value and a wake-all syscall, so
 * the common first case is throttled. One instance per handle and word; not thread-safe on
 * purpose: a race between two threads of one handle only costs an extra restart.
 */
public final class RestartThrottle {

    /** The shortest time between two restarts of one word's count by one handle. */
    public static final long INTERVAL_NANOS = 100_000_000L;

    /** Volatile only so that a read is never torn; the check-then-set is racy on purpose. */
    private volatile long last = System.nanoTime() - INTERVAL_NANOS;

    /** Whether a restart may run now; when it may, the time is taken as the last restart's. */
    public boolean tryStart() {
        long now = System.nanoTime();
        if (now - last < INTERVAL_NANOS) {
            return false;
        }
        last = now;
        return true;
    }

    /**
     * Bumps the pure-signal wait word at {@code offset} and wakes its waiters ({@link Waiting#bump});
     * a wake that finds nobody asleep although someone is counted (a waiter killed asleep; otherwise
     * every later bump of every process would make a syscall) restarts the count when this throttle
     * allows ({@link Waiting#restartSignal}).
     */
    public void bump(MemorySegment memory, long offset) {
        if (Waiting.bump(memory, offset) == 0 && tryStart()) {
            Waiting.restartSignal(memory, offset);
        }
    }
}
