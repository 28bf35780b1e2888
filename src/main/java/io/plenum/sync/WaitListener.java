package io.plenum.sync;

import org.jspecify.annotations.Nullable;

/**
 * Told once, on a {@link Reactor} thread, how a registered wait ended. Keep it short: it runs on
 * one of the few threads that serve every asynchronous wait of the JVM.
 */
@FunctionalInterface
public interface WaitListener {
    /**
     * @param changed true when the word left its expected value (or the fd became readable); false
     *                when the deadline passed or the wait failed. A word's listener told true may
     *                have taken the one wake of a waker of one (a mutex release, a pool free): if
     *                it does not act on the change (its request ended meanwhile), it passes the
     *                wake on with {@link Waiting#wakeOne}. A wait withdrawn in time needs nothing:
     *                the reactor passes on what it took for it.
     * @param failure null, or why the wait could not go on (for example, the segment was closed)
     */
    void completed(boolean changed, @Nullable RuntimeException failure);
}
