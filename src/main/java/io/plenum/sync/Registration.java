package io.plenum.sync;

/** A wait registered with the {@link Reactor}. */
public interface Registration {
    /**
     * Withdraws the wait. Returns true when this call withdrew it: its listener will not be called.
     * Returns false when the listener has been or is being called (or the wait was withdrawn
     * before). The reactor forgets the word promptly (microseconds, not a polling period).
     */
    boolean cancel();
}
