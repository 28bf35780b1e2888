package io.plenum.sync;

/**
 * Told once, on a {@link Reactor} thread, how a registered wait ended. Keep it short: it runs on
 * one of the few threads that serve every asynchronous wait of the JVM.
 */
@FunctionalInterface
public interface WaitListener {
    /**
     * @param changed true when the word left its expected value (or the fd became readable); false
     *                when the deadline passed or the wait failed
     * @param failure null, or why the wait could not go on (for example, the segment was closed)
     */
    void completed(boolean changed, RuntimeException failure);
}
