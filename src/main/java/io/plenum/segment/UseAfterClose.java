package io.plenum.segment;

import java.lang.foreign.MemorySegment;

/**
 * The one way Plenum's structures report a use after {@code close()}: an
 * {@link IllegalStateException} naming the structure and its segment ({@code "SharedLongArray
 * /dev/shm/prices is closed"}), never the JDK's bare "Already closed".
 *
 * <p>Structures find out at no cost on their hot paths: either the memory access itself fails (the
 * JDK checks the mapping's liveness on every access anyway) and the structure turns that exception
 * into this one with {@link #translate}, or a bound the access checks anyway (an index against a
 * capacity) is set to zero on close, and the out-of-bounds path asks {@link #check}. A use racing
 * with {@code close()} on another thread gets one of the two, whichever it meets first.
 */
public final class UseAfterClose {
    private UseAfterClose() {
    }

    /** The exception for a use of {@code what} (a structure and its segment) after close. */
    public static IllegalStateException of(String what) {
        return new IllegalStateException(what + " is closed");
    }

    /**
     * {@code e}, thrown by an access to {@code memory}, as the named exception when the mapping was
     * closed; {@code e} itself when it has another cause (a Plenum exception about the state).
     */
    public static IllegalStateException translate(IllegalStateException e, MemorySegment memory, String what) {
        if (memory.scope().isAlive()) {
            return e;
        }
        IllegalStateException named = of(what);
        named.initCause(e);
        return named;
    }

    /** Throws the named exception when {@code memory} is no longer mapped. */
    public static void check(MemorySegment memory, String what) {
        if (!memory.scope().isAlive()) {
            throw of(what);
        }
    }
}
