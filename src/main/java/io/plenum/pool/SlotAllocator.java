package io.plenum.pool;

import io.plenum.linux.Processes;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Allocation, free and recovery of slots: the owner words and the bitmap of {@link PoolLayout}.
 * Never blocks; {@link SlotPool} waits around it.
 *
 * <h2>The slot state machine</h2>
 * A slot is the pair (owner word {@code o}, bitmap bit {@code b}). {@code T}, {@code X}, {@code D}
 * are {@link OwnerTable} tokens; {@code X|BUSY} is a token with {@link #BUSY} set.
 * <pre>
 *   FREE      = (0, 0)
 *   HELD(T)   = (T, 1)            allocated to process T
 *   CHANGING0 = (X|BUSY, 0)       process X is changing the slot, bit clear
 *   CHANGING1 = (X|BUSY, 1)       process X is changing the slot, bit set
 *
 *   alloc by X:        FREE    --CAS o 0 -> X|BUSY-->  CHANGING0 --OR b-->  CHANGING1 --o = X-->  HELD(X)
 *   free by X:         HELD(T) --CAS o T -> X|BUSY-->  CHANGING1 --AND b--> CHANGING0 --o = 0-->  FREE
 *   recovery by X:     HELD(D) or (D|BUSY, any b), D dead
 *                              --CAS o -> X|BUSY-->    CHANGING  --AND b--> CHANGING0 --o = 0-->  FREE
 *   rollback by X:     CHANGING1 (its own, allocN)     --AND b--> CHANGING0 --o = 0-->  FREE
 * </pre>
 * Every arrow is one atomic instruction on one word. The invariants, kept by exactly those arrows:
 * <ol>
 *   <li><b>I1</b>: {@code o == 0} implies {@code b == 0}. The only step that stores 0 into
 *       {@code o} comes after the same actor cleared {@code b}.</li>
 *   <li><b>I2</b>: {@code o} without BUSY and non-zero implies {@code b == 1}: the settling store
 *       follows the OR.</li>
 *   <li><b>I3</b>: only the process whose token sits in {@code o} with BUSY changes {@code b}, and
 *       entering BUSY is a CAS from an exact observed value. So the bit changes of one slot are
 *       totally ordered by its owner word: a free can never clear the bit of a newer allocation.</li>
 *   <li><b>I4</b>: every state but FREE names a token in {@code o}, written before the bit is set.
 *       Tokens are never handed out twice (the owner table bumps the generation of a reused
 *       entry), so a dead token stays dead.</li>
 * </ol>
 *
 * <h2>Why kill -9 at any instruction leaves nothing unrecoverable</h2>
 * A process killed at any point leaves each slot it touched in FREE, HELD(D) or (D|BUSY, 0 or 1)
 * with D its own token, now dead (I4: there is no instant where the slot is taken but o is 0).
 * Recovery takes exactly those: it CASes the observed dead value to its own BUSY token, clears the
 * bit whatever it was, and stores 0. The CAS expects the dead value it inspected; since a dead
 * token never becomes live again, a successful CAS can only take a slot of the dead. A recoverer
 * killed half-way leaves (R|BUSY, b) with R dead: the next recovery finishes it.
 *
 * <p>The Perl module's defect (free clears the bit, then the owner, so an alloc in between ends
 * with owner 0) cannot happen: while a free clears the bit, {@code o} holds the freer's BUSY
 * token, so no CAS from 0 can succeed until the bit is already clear (I1, I3).
 *
 * <h2>Allocation never hands a slot to two holders</h2>
 * An alloc owns the slot from its CAS 0 -> X|BUSY until a free's CAS takes it away; the only way
 * back to 0 is through a BUSY holder, and a CAS from 0 succeeds once per visit to FREE.
 *
 * <h2>Counting and wake-ups</h2>
 * {@link #used()} is the number of set bits (HELD and CHANGING1 slots): exact whenever no change is
 * in flight, also after crashes once recovered. Every free, after clearing its bit, adds 1 to the
 * {@code freeSignal} wait word and wakes a recorded waiter ({@link Waiting}); an allocator reads
 * {@code freeSignal} before it scans and sleeps only while it is unchanged. All three accesses are
 * volatile, so a scan that missed a cleared bit implies a bump after the read, and the sleep
 * returns at once. A free wakes one waiter, or all of them while one waits for several slots (it
 * could not use a single slot, and must not swallow the wake meant for someone who can).
 */
final class SlotAllocator {
    /** Bit 11 of the owner word: the token's process is changing this slot's bit. */
    static final int BUSY = 1 << (OwnerTable.INDEX_BITS - 1);
    /** "No slot" from the non-throwing calls. */
    static final int NONE = -1;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static {
        if (PoolLayout.OWNER_ENTRIES > BUSY) {
            throw new ExceptionInInitializerError("owner entries must leave bit 11 of tokens free");
        }
    }

    private final MemorySegment memory;
    private final OwnerTable owners;
    private final int capacity;
    private final int words;
    private final long ownersOffset;
    private final long padding;
    private final String where;
    /** The bitmap word where this handle's next scan starts: a racy hint, any value is correct. */
    private int hint;

    SlotAllocator(MemorySegment memory, OwnerTable owners, int capacity, String where) {
        this.memory = memory;
        this.owners = owners;
        this.capacity = capacity;
        this.words = PoolLayout.bitmapWords(capacity);
        this.ownersOffset = PoolLayout.ownersOffset(capacity);
        this.padding = PoolLayout.paddingMask(capacity);
        this.where = where;
        // Processes start scanning at different words, so that on pools of more than 64 slots they
        // do not all compete for the first bitmap word.
        this.hint = (int) (((Processes.currentPid() * 0x9E3779B97F4A7C15L) >>> 32) % words);
    }

    /** This process's token (registers it in the owner table on first use). */
    int self() {
        return owners.currentOwner();
    }

    OwnerTable owners() {
        return owners;
    }

    int capacity() {
        return capacity;
    }

    private long ownerOffset(int slot) {
        return ownersOffset + ((long) slot << 2);
    }

    private static long wordOffset(int word) {
        return PoolLayout.BITMAP_OFFSET + ((long) word << 3);
    }

    // ---- allocation ---------------------------------------------------------------------------

    /**
     * Takes a free slot into CHANGING1 for {@code self}, or returns {@link #NONE} when every bit is
     * set. The caller then {@link #settle settles} it (or {@link #abandon abandons} it).
     */
    int claim(int self) {
        int busy = self | BUSY;
        int start = hint;
        if (start >= words) {
            start = 0;
        }
        int word = start;
        for (int n = 0; n < words; n++) {
            long offset = wordOffset(word);
            long bits = (long) LONG.getVolatile(memory, offset);
            while (bits != -1L) {
                int bit = Long.numberOfTrailingZeros(~bits);
                int slot = (word << 6) | bit;
                // FREE -> CHANGING0. A failed CAS means the slot is changing (bit still 0): skip it.
                if (INT.compareAndSet(memory, ownerOffset(slot), 0, busy)) {
                    // CHANGING0 -> CHANGING1.
                    long before = (long) LONG.getAndBitwiseOr(memory, offset, 1L << bit);
                    if ((before & (1L << bit)) != 0) {
                        INT.setVolatile(memory, ownerOffset(slot), 0);
                        throw corrupt(slot, "its owner word was 0 but its bitmap bit was set (I1)");
                    }
                    hint = word;
                    return slot;
                }
                bits |= 1L << bit;
            }
            if (++word == words) {
                word = 0;
            }
        }
        return NONE;
    }

    /** CHANGING1 -> HELD(self): the slot becomes visible as allocated. */
    void settle(int slot, int self) {
        INT.setRelease(memory, ownerOffset(slot), self);
    }

    /** CHANGING1 (claimed by this process, never settled) -> FREE, without a wake. */
    void abandon(int slot) {
        clearBit(slot, true);
        INT.setRelease(memory, ownerOffset(slot), 0);
    }

    /**
     * HELD(any) -> FREE, without a wake ({@link #signalFrees} does that). Returns false when the
     * slot is not HELD: free, or being changed by someone (an alloc not yet returned, another free).
     */
    boolean release(int slot, int self) {
        long offset = ownerOffset(slot);
        int busy = self | BUSY;
        while (true) {
            int owner = (int) INT.getVolatile(memory, offset);
            if (owner == 0 || (owner & BUSY) != 0) {
                return false;
            }
            // HELD(T) -> CHANGING1. A failure means it changed under us: look again.
            if (INT.compareAndSet(memory, offset, owner, busy)) {
                break;
            }
        }
        clearBit(slot, true);
        // CHANGING0 -> FREE.
        INT.setRelease(memory, offset, 0);
        return true;
    }

    private void clearBit(int slot, boolean mustBeSet) {
        long mask = 1L << (slot & 63);
        long before = (long) LONG.getAndBitwiseAnd(memory, wordOffset(slot >>> 6), ~mask);
        if (mustBeSet && (before & mask) == 0) {
            throw corrupt(slot, "it was held but its bitmap bit was clear (I2)");
        }
    }

    /**
     * After {@code count} frees: bumps the wait word and wakes one waiter; every waiter for a batch,
     * or while someone waits for several slots (see {@code multiWaiters} in {@link PoolLayout}).
     */
    void signalFrees(int count) {
        INT.getAndAdd(memory, PoolLayout.FREE_SIGNAL_OFFSET, count);
        if (count == 1 && (int) INT.getVolatile(memory, PoolLayout.MULTI_WAITERS_OFFSET) == 0) {
            Waiting.wakeOne(memory, PoolLayout.FREE_SIGNAL_OFFSET);
        } else {
            Waiting.wakeAll(memory, PoolLayout.FREE_SIGNAL_OFFSET);
        }
    }

    /** Counts (+1) or uncounts (-1) a waiter for several slots. */
    void multiWaiter(int delta) {
        INT.getAndAdd(memory, PoolLayout.MULTI_WAITERS_OFFSET, delta);
    }

    /**
     * Passes a wake on to one more waiter: for a per-JVM waiter that was woken but had nobody left
     * to serve (its requests were cancelled meanwhile).
     */
    void wakeAnother() {
        Waiting.wakeOne(memory, PoolLayout.FREE_SIGNAL_OFFSET);
    }

    /** The wait word's value: read it before scanning, sleep on it after. */
    int freeSignal() {
        return Waiting.value(memory, PoolLayout.FREE_SIGNAL_OFFSET);
    }

    int waiters() {
        return Waiting.waiters(memory, PoolLayout.FREE_SIGNAL_OFFSET);
    }

    // ---- queries ------------------------------------------------------------------------------

    /** The raw owner word (token, possibly with BUSY). */
    int ownerWord(int slot) {
        return (int) INT.getVolatile(memory, ownerOffset(slot));
    }

    /** True when the slot is HELD. */
    boolean isHeld(int slot) {
        int owner = ownerWord(slot);
        return owner != 0 && (owner & BUSY) == 0;
    }

    /** Set bits, padding excluded. */
    int used() {
        long total = 0;
        for (int word = 0; word < words; word++) {
            total += Long.bitCount((long) LONG.getVolatile(memory, wordOffset(word)));
        }
        return (int) (total - Long.bitCount(padding));
    }

    /** Calls {@code action} with every HELD slot, in index order (skipping all-zero bitmap words). */
    void forEachHeld(IntConsumer action) {
        for (int word = 0; word < words; word++) {
            long bits = (long) LONG.getVolatile(memory, wordOffset(word));
            if (word == words - 1) {
                bits &= ~padding;
            }
            while (bits != 0) {
                int slot = (word << 6) | Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (isHeld(slot)) {
                    action.accept(slot);
                }
            }
        }
    }

    // ---- recovery -----------------------------------------------------------------------------

    /** The outcome of a recovery scan. */
    record Recovery(int recovered, int foreign) {
    }

    /**
     * Frees every slot whose owner word names a dead process (any state but FREE). Owners in
     * another pid namespace are counted in {@code foreign} and left alone. Does not signal.
     */
    Recovery recoverDead(int self) {
        Map<Integer, OwnerTable.Status> seen = new HashMap<>();
        int recovered = 0;
        int foreign = 0;
        int busy = self | BUSY;
        for (int slot = 0; slot < capacity; slot++) {
            long offset = ownerOffset(slot);
            int owner = (int) INT.getVolatile(memory, offset);
            if (owner == 0) {
                continue;
            }
            int token = owner & ~BUSY;
            if (token == self) {
                continue;
            }
            OwnerTable.Status status = seen.computeIfAbsent(token, owners::status);
            if (status == OwnerTable.Status.FOREIGN_NAMESPACE) {
                foreign++;
            } else if (status == OwnerTable.Status.DEAD
                    && INT.compareAndSet(memory, offset, owner, busy)) {
                // (D or D|BUSY, b) -> CHANGING(self) -> CHANGING0 -> FREE.
                clearBit(slot, false);
                INT.setRelease(memory, offset, 0);
                recovered++;
            }
        }
        return new Recovery(recovered, foreign);
    }

    /** Frees everything: for {@code reset()} under exclusive use. */
    void clearAll() {
        INT.setVolatile(memory, PoolLayout.MULTI_WAITERS_OFFSET, 0);
        for (int word = 0; word < words; word++) {
            LONG.setVolatile(memory, wordOffset(word), word == words - 1 ? padding : 0L);
        }
        memory.asSlice(ownersOffset, (long) capacity << 2).fill((byte) 0);
        VarHandle.fullFence();
    }

    private IllegalStateException corrupt(int slot, String what) {
        return new IllegalStateException(where + ": slot " + slot + " is corrupt: " + what
                + "; something outside Plenum wrote to the pool's memory");
    }
}
