package io.plenum.channel;

/**
 * The 64-bit state word at the start of every slot, and the state machine it follows.
 *
 * <pre>
 *  63                              34 33  32 31                              0
 *  +---------------------------------+------+---------------------------------+
 *  | lap, low 30 bits                | state| owner token (WRITING only)      |
 *  +---------------------------------+------+---------------------------------+
 * </pre>
 *
 * States: {@code EMPTY(lap)} (0): free for the producer of position {@code lap * capacity + i};
 * {@code WRITING(lap, owner)} (1): claimed by that producer, payload being written;
 * {@code FULL(lap)} (2): published, waiting for a consumer; 3 never occurs (corrupt).
 *
 * <h2>Transitions, each one atomic instruction on this word</h2>
 * <pre>
 *  EMPTY(L) --producer CAS (claim, carries its owner token)-------------> WRITING(L, owner)
 *  WRITING(L, owner) --that producer, release store (publish)-----------> FULL(L)
 *  FULL(L) --consumer CAS (take: the delivery point)--------------------> EMPTY(L + 1)
 *  WRITING(L, owner) --anyone, CAS, once owner is dead (abandon)--------> EMPTY(L + 1)
 *  WRITING(L, owner) --that producer, release store, channel closed-----> EMPTY(L + 1) (withdraw)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Only the owner of WRITING(L, owner) writes the slot's length and payload, and only while it
 *       holds it; it writes them before the release store of FULL(L), so a consumer that reads the
 *       state (acquire) as FULL(L) reads a whole message: no torn message is ever visible.</li>
 *   <li>A consumer copies the payload out while the slot is FULL(L) and then takes it with one CAS
 *       FULL(L) → EMPTY(L + 1). The lap makes the CAS fail if anyone took the slot meanwhile (the
 *       slot cannot be FULL(L) again), so what it copied is exactly what it took. A consumer killed
 *       before the CAS took nothing; after it, the message is its own. Consumers hold no claim.</li>
 *   <li>Every lap number only grows, so positions are consumed at most once: exactly once, or
 *       abandoned (only positions whose producer died while WRITING them).</li>
 *   <li>A consumer takes positions in order and never passes a WRITING slot (it waits, or recovers
 *       the slot once its owner is dead), so each consumer sees each producer's messages in the
 *       order they were sent.</li>
 * </ul>
 */
final class SlotWord {
    static final int EMPTY = 0;
    static final int WRITING = 1;
    static final int FULL = 2;
    static final int LAP_BITS = 30;
    static final long LAP_MASK = (1L << LAP_BITS) - 1;
    private static final int LAP_SHIFT = 34;

    private SlotWord() {
    }

    static long of(long lap, int state, int owner) {
        return ((lap & LAP_MASK) << LAP_SHIFT) | ((long) state << 32) | (owner & 0xFFFF_FFFFL);
    }

    static long empty(long lap) {
        return (lap & LAP_MASK) << LAP_SHIFT;
    }

    static long full(long lap) {
        return ((lap & LAP_MASK) << LAP_SHIFT) | ((long) FULL << 32);
    }

    static long lap(long word) {
        return word >>> LAP_SHIFT;
    }

    static int state(long word) {
        return (int) (word >>> 32) & 3;
    }

    static int owner(long word) {
        return (int) word;
    }

    /** {@code lap(word) - lap} as a signed 30-bit difference (laps wrap after 2^30). */
    static int lapDistance(long word, long lap) {
        return (int) ((lap(word) - lap) << (64 - LAP_BITS) >> (64 - LAP_BITS));
    }

    static String describe(long word) {
        String state = switch (state(word)) {
            case EMPTY -> "EMPTY";
            case WRITING -> "WRITING";
            case FULL -> "FULL";
            default -> "invalid state 3";
        };
        return state + "(lap " + lap(word) + (state(word) == WRITING ? ", owner 0x" + Integer.toHexString(owner(word)) : "")
                + ")";
    }
}
