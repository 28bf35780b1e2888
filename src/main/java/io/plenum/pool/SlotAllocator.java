package io.plenum.pool;

import io.plenum.linux.Processes;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.RestartThrottle;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Allocation, free and recovery of slots: the owner words of {@link PoolLayout}. Never blocks;
 * {@link SlotClaims} waits around it.
 *
 * <h2>The slot state machine</h2>
 * A slot's owner word is its only state. {@code T}, {@code X}, {@code D} are {@link OwnerTable}
 * tokens (never 0, bit 11 always 0); {@code X|BUSY} is a token with {@link #BUSY} set.
 * <pre>
 *   FREE        = 0
 *   RECOVERED   = BUSY        free; its last holder died holding or claiming it (token bits 0)
 *   HELD(T)     = T           allocated to process T
 *   CLAIMED(X)  = X | BUSY    taken by process X, which is writing the first value; not yet allocated
 *
 *   alloc by X:              F          --CAS F -> X-->            HELD(X)      (F: FREE or RECOVERED)
 *   alloc with a value by X: F          --CAS F -> X|BUSY-->       CLAIMED(X) --(value) store X--> HELD(X)
 *   give back by X:          CLAIMED(X) --store F-->               F           (a batch that fell short:
 *                                                                               the word it took; a
 *                                                                               value that failed: 0)
 *   free by T:               HELD(T)    --CAS T -> 0-->            FREE
 *   give back unused by T:   HELD(T)    --CAS T -> RECOVERED-->    RECOVERED   (T was told it recovered
 *                                                                               the slot, and did not
 *                                                                               take it: see I6)
 *   free by a ticket (S, T): HELD(T)    --CAS T -> 0-->            FREE
 *   adopt by R of (S, T):    HELD(T)    --CAS T -> R-->            HELD(R)
 *   recovery by anyone:      HELD(D) or CLAIMED(D), D dead  --CAS -> RECOVERED-->  RECOVERED
 * </pre>
 * An allocation that takes a RECOVERED slot knows it took what a dead process left (its CAS read
 * RECOVERED), and says so ({@link PoolSlot#recovered()}): the slot then holds whatever that process
 * last wrote, complete if it held the slot, possibly half-written if it died claiming it. A batch
 * that fell short gives a RECOVERED slot back as RECOVERED (it wrote nothing there and reported
 * nothing); a value that failed half-way leaves its own bytes, so it gives the slot back as 0.
 * The invariants:
 * <ol>
 *   <li><b>I1</b>: a slot is taken exactly when the token bits of its owner word (all but BUSY)
 *       are non-zero, and the instruction that takes it (a CAS from FREE or RECOVERED) is the one
 *       that writes its owner. There is no instant at which a slot is taken but its owner
 *       unknown.</li>
 *   <li><b>I2</b>: a CAS from a free word (0 or RECOVERED) succeeds once per visit to it, so no
 *       slot is ever handed to two holders. Every way back to a free word is a single write.</li>
 *   <li><b>I3</b>: a CLAIMED(X) word is written without a CAS only by X itself (its store of X or
 *       of 0). Nobody else changes it while X lives: frees refuse BUSY words, recovery takes only
 *       words of dead tokens.</li>
 *   <li><b>I4</b>: tokens are never handed out twice (the owner table moves a reused entry to the
 *       next generation), so a dead token stays dead and a pid reused by a new process does not
 *       bring an old owner back to life.</li>
 *   <li><b>I5</b>: a HELD word leaves its token T only by a CAS from exactly T (a free by T or by a
 *       ticket naming T, an adoption, a recovery of a dead T). With I4, whoever names T (a ticket)
 *       can only ever act on an allocation T holds: once a dead T's slot is recovered and taken
 *       again, nothing that names T matches it any more.</li>
 *   <li><b>I6</b>: RECOVERED is written only by a recovery, and only in place of a dead token's
 *       word, or by the allocation it was reported to, giving the slot back unused (a request that
 *       ended before it could take it); so an allocation that reads it took its slot from the
 *       dead, and at most one allocation that keeps the slot (I2) is told so per recovered slot
 *       (none when an allocation that returns a bare index takes it).</li>
 * </ol>
 *
 * <h2>Why kill -9 at any instruction leaves nothing unrecoverable</h2>
 * Every transition is one atomic instruction on one word: a process killed at any point has done
 * it or not. What it leaves is FREE, HELD(D) or CLAIMED(D) with D its own, now dead, token (I1).
 * Recovery CASes exactly the dead value it inspected to RECOVERED; since a dead token never becomes live
 * again (I4), a successful CAS only ever takes a slot from the dead. A recoverer killed half-way
 * has either freed the slot or not. The defects of a design with two words per slot (a bitmap bit
 * and an owner: a free clearing the bit before the owner, so that an alloc in between ends with
 * owner 0; a kill between the bitmap CAS and the owner store) have no counterpart here: there is
 * no second word.
 *
 * <h2>Why no bitmap</h2>
 * A bitmap beside the owner words (a common pool design) must be kept consistent with them,
 * which costs a second atomic read-modify-write per alloc and per free: measured here, 92 ns
 * instead of 53 ns per alloc and free. Scanning owner words instead of bits costs more only when
 * a large pool is nearly full (a scan reads 4 bytes per slot, two slots per load); allocation
 * starts from a per-handle hint, so a pool that is not full finds a slot in one probe, and
 * processes start at different places, so they rarely share a cache line.
 *
 * <h2>Counting and wake-ups</h2>
 * {@link #used()} counts the non-zero owner words: exact whenever nothing changes, also after
 * crashes once recovered. Every free adds 1 to the {@code freeSignal} wait word (a batch adds its
 * size, with one wake); {@code freeWraps} counts its wrap-arounds, so together they are the
 * cumulative number of frees and {@code allocs = frees + used} needs no counter on the allocation
 * path. An allocator reads {@code freeSignal} (volatile) before it scans and sleeps only while it
 * is unchanged ({@link Waiting}): a free after that read changes it; a free before it is seen by
 * the scan, which happens after the read.
 */
final class SlotAllocator {
    /** Bit 11 of the owner word: the slot is claimed by the token's process, not yet allocated. */
    static final int BUSY = 1 << (OwnerTable.INDEX_BITS - 1);
    /** "No slot" from the non-throwing calls. */
    static final int NONE = -1;
    /** The owner word of a free slot whose last holder died (RECOVERED): BUSY with no token. */
    static final int RECOVERED = BUSY;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static {
        if (PoolLayout.OWNER_ENTRIES > BUSY) {
            throw new ExceptionInInitializerError("owner entries must leave bit 11 of tokens free");
        }
    }

    private final MemorySegment memory;
    private final OwnerTable owners;
    private final int capacity;
    private final long ownersOffset;
    private final String where;
    private final MultiWaiters multiWaiters;
    /** Where this handle's next scan starts: a racy hint, any value in range is correct. */
    private int hint;
    private final RestartThrottle restartThrottle = new RestartThrottle();

    SlotAllocator(MemorySegment memory, OwnerTable owners, int capacity, String where) {
        this.memory = memory;
        this.owners = owners;
        this.capacity = capacity;
        this.ownersOffset = PoolLayout.OWNERS_OFFSET;
        this.where = where;
        this.multiWaiters = new MultiWaiters(memory, owners);
        // Processes start scanning at different slots, so that they do not all compete for the
        // same owner words (and cache lines).
        this.hint = (int) (((Processes.currentPid() * 0x9E3779B97F4A7C15L) >>> 32) % capacity);
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

    // ---- allocation ---------------------------------------------------------------------------

    /**
     * Takes a free slot by writing {@code word} into its owner word (FREE or RECOVERED -> HELD for
     * a token, -> CLAIMED for a token with {@link #BUSY}) and returns it, {@link #recoveredClaim
     * encoded} when the slot was RECOVERED; {@link #NONE} when every slot is taken.
     * {@link #claimSlot} when the caller does not need to know.
     */
    int claim(int word) {
        int slot = hint;
        if (slot >= capacity) {
            slot = 0;
        }
        // The hint first: in a pool that is not full, the slot this handle used last is usually free.
        if (memory.get(ValueLayout.JAVA_INT, ownerOffset(slot)) == 0
                && INT.compareAndSet(memory, ownerOffset(slot), 0, word)) {
            return slot;
        }
        // Then every slot once, from the hint on, two owner words per load. A free word is 0 or
        // RECOVERED: no token bits.
        int first = slot & ~1;
        for (int n = 0, pair = first; n < capacity; n += 2) {
            long both = memory.get(ValueLayout.JAVA_LONG, ownerOffset(pair));
            int low = (int) both;
            if ((low & ~BUSY) == 0 && pair < capacity && INT.compareAndSet(memory, ownerOffset(pair), low, word)) {
                hint = pair;
                return low == 0 ? pair : recoveredClaim(pair);
            }
            int high = (int) (both >>> 32);
            if ((high & ~BUSY) == 0 && pair + 1 < capacity
                    && INT.compareAndSet(memory, ownerOffset(pair + 1), high, word)) {
                hint = pair + 1;
                return high == 0 ? pair + 1 : recoveredClaim(pair + 1);
            }
            pair += 2;
            if (pair >= capacity) {
                pair = 0;
            }
        }
        return NONE;
    }

    /** As {@link #claim}, the bare slot (or {@link #NONE}) whether or not it was RECOVERED. */
    int claimSlot(int word) {
        return slotOf(claim(word));
    }

    /**
     * {@link #claim}'s result for a slot that was RECOVERED: {@code -2 - slot}, below {@link #NONE}.
     * {@link #slotOf} and {@link #wasRecovered} read it.
     */
    static int recoveredClaim(int slot) {
        return -2 - slot;
    }

    /** The slot of a {@link #claim} result ({@link #NONE} stays NONE). */
    static int slotOf(int claimed) {
        return claimed >= NONE ? claimed : -2 - claimed;
    }

    /** True when a {@link #claim} result is a slot that was RECOVERED. */
    static boolean wasRecovered(int claimed) {
        return claimed < NONE;
    }

    /** CLAIMED(self) -> HELD(self): the slot becomes visible as allocated. */
    void settle(int slot, int self) {
        INT.setRelease(memory, ownerOffset(slot), self);
    }

    /** CLAIMED(self) -> FREE, without a wake (the caller signals). */
    void abandon(int slot) {
        INT.setRelease(memory, ownerOffset(slot), 0);
    }

    /**
     * Gives back what {@link #claim} took and nobody wrote into ({@code claimed} is its result):
     * CLAIMED(self) -> the free word it was, RECOVERED staying RECOVERED. Without a wake.
     */
    void unclaim(int claimed) {
        INT.setRelease(memory, ownerOffset(slotOf(claimed)), wasRecovered(claimed) ? RECOVERED : 0);
    }

    /**
     * HELD(owner) -> FREE, without a wake ({@link #signalFrees} does that). Returns false, changing
     * nothing, when the slot is not HELD by {@code owner}: free, claimed, or held by another token.
     *
     * <p>Only the holder's own token frees: a process that frees a slot it no longer holds (it
     * handed the slot over, or it was recovered and allocated again) finds another token there and
     * leaves that allocation alone. One attempt only: a CAS from the exact token either frees
     * this holder's allocation or finds it gone.
     */
    boolean release(int slot, int owner) {
        return releaseTo(slot, owner, 0);
    }

    /**
     * HELD(self) -> RECOVERED when {@code recovered}, else FREE: an allocation of a slot that was
     * RECOVERED, given back unused, passes the report on (see I6). As {@link #release} otherwise.
     */
    boolean giveBack(int slot, int self, boolean recovered) {
        return releaseTo(slot, self, recovered ? RECOVERED : 0);
    }

    /** HELD(owner) -> {@code to} (a free word) in one CAS from exactly {@code owner}; false, changing nothing, otherwise. */
    private boolean releaseTo(int slot, int owner, int to) {
        long offset = ownerOffset(slot);
        return (int) INT.getVolatile(memory, offset) == owner && INT.compareAndSet(memory, offset, owner, to);
    }

    /**
     * HELD(from) -> HELD(to): ownership passes in one CAS, so there is no instant at which the slot
     * is free or owned by nobody, and a recovery of a dead {@code from} that comes after it finds
     * {@code to} (alive) and leaves the slot alone. False, changing nothing, when the slot is not
     * HELD by {@code from}.
     */
    boolean transfer(int slot, int from, int to) {
        long offset = ownerOffset(slot);
        return (int) INT.getVolatile(memory, offset) == from && INT.compareAndSet(memory, offset, from, to);
    }

    /**
     * After {@code count} frees: counts them on the wait word and wakes one waiter; every waiter
     * for a batch, or while someone waits for several slots (see {@code multiWaiters} in
     * {@link PoolLayout}).
     */
    void signalFrees(int count) {
        moveSignal(count);
        int woken = count == 1 && multiWaiters.total() == 0
                ? Waiting.wakeOne(memory, PoolLayout.FREE_SIGNAL_OFFSET)
                : Waiting.wakeAll(memory, PoolLayout.FREE_SIGNAL_OFFSET);
        if (woken == 0) {
            restartWaitersSometimes();
        }
    }

    private void moveSignal(int count) {
        int before = (int) INT.getAndAdd(memory, PoolLayout.FREE_SIGNAL_OFFSET, count);
        if (Integer.compareUnsigned(before + count, before) < 0) {
            INT.getAndAdd(memory, PoolLayout.FREE_WRAPS_OFFSET, 1);
        }
    }

    /**
     * A free's wake found nobody asleep although {@code waiters} counts someone: either a waiter
     * between counting itself and sleeping (a few instructions), or one that a {@code kill -9} left
     * counted for ever, after which every free would make a needless syscall. Restarts the count
     * (see {@link Waiting}: a new epoch, the signal moved, every sleeper woken, so each live waiter
     * counts itself again and none is lost), throttled per handle ({@link RestartThrottle}). The
     * extra move of {@code freeSignal} is not a free: it is counted in {@code restarts}, which
     * {@link #frees()} subtracts.
     */
    private void restartWaitersSometimes() {
        if (restartThrottle.tryStart()) {
            restartWaiters();
        }
    }

    /** Restarts the waiter count now (see {@link #restartWaitersSometimes}); returns the count taken out. */
    int restartWaiters() {
        int removed = Waiting.restartCount(memory, PoolLayout.FREE_SIGNAL_OFFSET);
        if (removed != 0) {
            INT.getAndAdd(memory, PoolLayout.RESTARTS_OFFSET, 1); // before the move: frees() stays a lower bound
            moveSignal(1);
            Waiting.wakeAllNow(memory, PoolLayout.FREE_SIGNAL_OFFSET);
        }
        return removed;
    }

    /** Counts a waiter for several slots in, for this process (see {@link MultiWaiters}). */
    void multiWaiterIn() {
        multiWaiters.enter(self());
    }

    /** Counts a waiter for several slots out, for this process. */
    void multiWaiterOut() {
        multiWaiters.leave(self());
    }

    /** Takes the multi-waiter counts of dead processes out; returns how many. */
    int healMultiWaiters() {
        return multiWaiters.heal();
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

    /**
     * Frees so far, recovered slots included: {@code freeWraps} and {@code freeSignal} as one number,
     * less the moves that were count restarts ({@link #restartWaiters}). A lower bound while others
     * free.
     */
    long frees() {
        while (true) {
            int wraps = (int) INT.getVolatile(memory, PoolLayout.FREE_WRAPS_OFFSET);
            int signal = freeSignal();
            if ((int) INT.getVolatile(memory, PoolLayout.FREE_WRAPS_OFFSET) == wraps) {
                // Read after the signal, so it covers every restart's move in it (each counts first).
                long restarts = Integer.toUnsignedLong((int) INT.getVolatile(memory, PoolLayout.RESTARTS_OFFSET));
                return (((long) wraps << 32) | Integer.toUnsignedLong(signal)) - restarts;
            }
        }
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

    /** Taken slots (HELD or CLAIMED; RECOVERED is free). */
    int used() {
        int used = 0;
        int pairs = capacity >>> 1;
        for (int pair = 0; pair < pairs; pair++) {
            long both = memory.get(ValueLayout.JAVA_LONG, ownerOffset(pair << 1));
            used += (((int) both & ~BUSY) != 0 ? 1 : 0) + (((int) (both >>> 32) & ~BUSY) != 0 ? 1 : 0);
        }
        if ((capacity & 1) != 0 && (ownerWord(capacity - 1) & ~BUSY) != 0) {
            used++;
        }
        VarHandle.acquireFence();
        return used;
    }

    /** True when at least {@code count} slots are free now; stops looking once it has seen them. */
    boolean hasFree(int count) {
        int free = 0;
        for (int slot = hint, n = 0; n < capacity; n++) {
            if ((memory.get(ValueLayout.JAVA_INT, ownerOffset(slot)) & ~BUSY) == 0 && ++free >= count) {
                return true;
            }
            if (++slot == capacity) {
                slot = 0;
            }
        }
        return false;
    }

    /** Calls {@code action} with every HELD slot, in index order. */
    void forEachHeld(IntConsumer action) {
        for (int slot = 0; slot < capacity; slot++) {
            if (isHeld(slot)) {
                action.accept(slot);
            }
        }
    }

    // ---- recovery -----------------------------------------------------------------------------

    /** The outcome of a recovery scan. */
    record Recovery(int recovered, int foreign) {
    }

    /**
     * Frees every slot whose owner word names a dead process (HELD or CLAIMED) by making it
     * RECOVERED, so that the allocation that takes it next knows. Owners in another pid namespace
     * are counted in {@code foreign} and left alone. Does not signal.
     */
    Recovery recoverDead(int self) {
        Map<Integer, OwnerTable.Status> seen = new HashMap<>();
        int recovered = 0;
        int foreign = 0;
        for (int slot = 0; slot < capacity; slot++) {
            long offset = ownerOffset(slot);
            int owner = (int) INT.getVolatile(memory, offset);
            int token = owner & ~BUSY;
            if (token == 0 || token == self) { // free (0 or RECOVERED), or this process's own
                continue;
            }
            OwnerTable.Status status = seen.computeIfAbsent(token, owners::status);
            if (status == OwnerTable.Status.FOREIGN_NAMESPACE) {
                foreign++;
            } else if (status == OwnerTable.Status.DEAD && INT.compareAndSet(memory, offset, owner, RECOVERED)) {
                recovered++;
            }
        }
        return new Recovery(recovered, foreign);
    }

    /** Frees everything (for {@code reset()} under exclusive use); returns how many were taken. */
    int clearAll() {
        int taken = used();
        multiWaiters.clear();
        memory.asSlice(ownersOffset, (long) capacity << 2).fill((byte) 0);
        VarHandle.fullFence();
        return taken;
    }
}
