package io.plenum.channel;

import static io.plenum.channel.ChannelLayout.*;

import io.plenum.linux.Futex;
import io.plenum.segment.SegmentFormatException;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.RestartThrottle;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The lock-free ring of a channel: claiming, publishing, finding and taking positions, and
 * recovering positions whose writer died. Works on raw slots; {@link SharedChannel} adds codecs,
 * waiting and the public verbs. See {@link SlotWord} for the state machine and its invariants, and
 * {@link ChannelLayout} for the memory.
 *
 * <h2>Claiming (producers)</h2>
 * Start at the {@code tail} hint. At position p of lap L the slot word decides: EMPTY(L): claim it
 * with one CAS carrying the owner token, then help {@code tail} to p + 1; WRITING(L) or FULL(L):
 * claimed by another, help {@code tail} and look at p + 1; a later lap: this view is stale, jump to
 * the tail hint; WRITING(L - 1) or FULL(L - 1): the previous message in this slot is not consumed,
 * the channel is full. Anything else cannot happen in a sound channel and is reported as corrupt.
 *
 * <h2>Finding and taking (consumers)</h2>
 * Start at the {@code head} hint. At position p of lap L: FULL(L): the caller copies the message,
 * then {@link #take} CASes FULL(L) → EMPTY(L + 1); EMPTY(L): nothing sent yet, empty; WRITING(L):
 * the oldest message is being written: wait for it (never pass it, to keep each producer's order);
 * a later lap: consumed, help {@code head} and look at p + 1. A lap before L is corrupt.
 *
 * <h2>Bounded scans</h2>
 * A sound scan passes at most the positions claimed or consumed by threads that have not helped the
 * hint yet, far fewer than {@link #scanLimit}; a scan that goes further is reading nonsense (slot
 * words or hints overwritten) and fails with {@link SegmentFormatException} instead of spinning.
 */
final class ChannelRing {
    /** {@link #claim}: full. {@link #findFull}: empty. */
    static final long NONE = -1;
    /** {@link #findFull}: the oldest position is being written. */
    static final long BUSY = -2;
    /** {@link #claim}: the channel was closed for send. */
    static final long CLOSED_NOW = -3;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    final MemorySegment memory;
    final int capacity;
    final int maxMessageSize;
    final long slotSize;
    final String where;
    final OwnerTable owners;
    final int self;
    private final long scanLimit;
    private final Stall consumerStall = new Stall();
    private final Stall producerStall = new Stall();
    private final long recoveryNanos;
    private final RestartThrottle notEmptyRestarts = new RestartThrottle();
    private final RestartThrottle notFullRestarts = new RestartThrottle();

    ChannelRing(MemorySegment memory, int capacity, int maxMessageSize, String where, long recoveryNanos) {
        this.memory = memory;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.slotSize = ChannelLayout.slotSize(maxMessageSize);
        this.where = where;
        this.recoveryNanos = recoveryNanos;
        this.scanLimit = 64L * capacity + 4096;
        this.owners = new OwnerTable(memory, OWNER_TABLE_OFFSET, OWNER_ENTRIES, where);
        this.self = owners.currentOwner();
    }

    long slotOffset(long position) {
        return SLOTS_OFFSET + (position % capacity) * slotSize;
    }

    long payloadOffset(long position) {
        return slotOffset(position) + SLOT_PAYLOAD;
    }

    long tail() {
        return (long) LONG.getVolatile(memory, TAIL_OFFSET);
    }

    long head() {
        return (long) LONG.getVolatile(memory, HEAD_OFFSET);
    }

    boolean closed() {
        return (int) INT.getVolatile(memory, CLOSED_OFFSET) != OPEN;
    }

    /**
     * Claims the next free position for this process: returns it (the slot is WRITING, the caller
     * writes the payload and calls {@link #publish}), {@link #NONE} when the channel is full, or
     * {@link #CLOSED_NOW} when it was closed (the claim was withdrawn). Never blocks.
     */
    long claim() {
        long position = tail();
        if (position < 0) {
            throw corrupt("tail hint " + position + " is negative");
        }
        for (long steps = 0; ; steps++) {
            if (steps > scanLimit) {
                throw corrupt("claiming scanned " + steps + " positions from the tail hint without finding a free or full slot");
            }
            long offset = slotOffset(position);
            long lap = position / capacity;
            long word = (long) LONG.getVolatile(memory, offset);
            int state = SlotWord.state(word);
            int distance = SlotWord.lapDistance(word, lap);
            if (distance == 0 && word == SlotWord.empty(lap)) {
                if (!LONG.compareAndSet(memory, offset, word, SlotWord.of(lap, SlotWord.WRITING, self))) {
                    continue; // another producer claimed it: look at the same slot again
                }
                LONG.compareAndSet(memory, TAIL_OFFSET, position, position + 1);
                // The CAS above is a full fence: a closer's store is either seen here, or was made
                // after this claim, and then receivers (which read `closed` before the slots) see it.
                if (closed()) {
                    withdraw(position, lap);
                    return CLOSED_NOW;
                }
                return position;
            }
            if (distance == 0 && (state == SlotWord.WRITING || word == SlotWord.full(lap))) {
                LONG.compareAndSet(memory, TAIL_OFFSET, position, position + 1);
                position++;
            } else if (distance > 0 && state != 3) {
                // The slot is already in a later lap, so this position was used (taken, or its dead
                // writer's claim recovered). Move the hint past it too: a hint left on such a slot is
                // never moved by a claim further on (its CAS expects its own position), and every
                // later claim would scan from it again.
                LONG.compareAndSet(memory, TAIL_OFFSET, position, position + 1);
                position = Math.max(position + 1, tail());
            } else if (distance == -1 && (state == SlotWord.WRITING || word == SlotWord.full(lap - 1))) {
                return NONE;
            } else {
                throw corrupt("slot " + (position % capacity) + " holds " + SlotWord.describe(word)
                        + ", impossible for a producer at position " + position + " (lap " + lap + ")");
            }
        }
    }

    /** Whether a claim would probably find room now (it may still race with other producers). */
    boolean canClaim() {
        long position = tail();
        long word = (long) LONG.getVolatile(memory, slotOffset(position));
        return SlotWord.lapDistance(word, position / capacity) != -1;
    }

    /** Makes a claimed position's message visible: length first, then FULL(lap) with a release store. */
    void publish(long position, int length) {
        long offset = slotOffset(position);
        INT.set(memory, offset + SLOT_LENGTH, length);
        // A volatile store: it orders the payload before it (release) and the read of the waiter
        // count after it (the waker's side of the Waiting protocol).
        LONG.setVolatile(memory, offset, SlotWord.full(position / capacity));
        signal(NOT_EMPTY_OFFSET);
    }

    /**
     * Gives a claimed position back, its message unsent (the caller's copy failed): as a claim that
     * finds the channel closed, counted withdrawn, so that no receiver waits for it.
     */
    void giveBack(long position) {
        withdraw(position, position / capacity);
    }

    /** Gives a claimed position back (the channel closed meanwhile): WRITING(L) → EMPTY(L + 1). */
    private void withdraw(long position, long lap) {
        LONG.setVolatile(memory, slotOffset(position), SlotWord.empty(lap + 1));
        add(WITHDRAWN_OFFSET, 1);
        signal(NOT_EMPTY_OFFSET);
        signal(NOT_FULL_OFFSET);
    }

    /**
     * The oldest unconsumed position when it is FULL (the caller copies, then {@link #take}s it), or
     * {@link #NONE} when nothing was sent, or {@link #BUSY} when its producer is still writing it.
     */
    long findFull() {
        long position = head();
        if (position < 0) {
            throw corrupt("head hint " + position + " is negative");
        }
        for (long steps = 0; ; steps++) {
            if (steps > scanLimit) {
                throw corrupt("receiving scanned " + steps + " positions from the head hint without finding an unconsumed one");
            }
            long offset = slotOffset(position);
            long lap = position / capacity;
            long word = (long) LONG.getVolatile(memory, offset);
            int distance = SlotWord.lapDistance(word, lap);
            int state = SlotWord.state(word);
            if (distance == 0) {
                if (word == SlotWord.full(lap)) {
                    return position;
                }
                if (word == SlotWord.empty(lap)) {
                    return NONE;
                }
                if (state == SlotWord.WRITING) {
                    return BUSY;
                }
            } else if (distance > 0 && state != 3) {
                LONG.compareAndSet(memory, HEAD_OFFSET, position, position + 1);
                position = Math.max(position + 1, head());
                continue;
            }
            throw corrupt("slot " + (position % capacity) + " holds " + SlotWord.describe(word)
                    + ", impossible for a consumer at position " + position + " (lap " + lap + ")");
        }
    }

    /**
     * The length of the FULL message at {@code position}, checked against maxMessageSize, or -1 when
     * the slot moved on meanwhile (another consumer took it: find again).
     */
    int length(long position) {
        long offset = slotOffset(position);
        int length = (int) INT.get(memory, offset + SLOT_LENGTH);
        if (length >= 0 && length <= maxMessageSize) {
            return length;
        }
        long word = (long) LONG.getVolatile(memory, offset);
        if (word != SlotWord.full(position / capacity)) {
            return -1;
        }
        throw corrupt("slot " + (position % capacity) + " field len: " + length + " bytes, must be 0.." + maxMessageSize);
    }

    /**
     * Takes the FULL message at {@code position}: the delivery point. False when another consumer took
     * it first (what the caller copied is then not its own).
     */
    boolean take(long position) {
        long lap = position / capacity;
        if (!LONG.compareAndSet(memory, slotOffset(position), SlotWord.full(lap), SlotWord.empty(lap + 1))) {
            return false;
        }
        LONG.compareAndSet(memory, HEAD_OFFSET, position, position + 1);
        signal(NOT_FULL_OFFSET);
        return true;
    }

    /**
     * Frees the position that holds receivers (or, when {@code producerSide}, senders) up when its
     * writer is dead: only after the same slot was seen WRITING by the same owner for the recovery
     * interval, so a live writer costs nothing. WRITING(L, dead) → EMPTY(L + 1), counted abandoned.
     * Returns true when it freed one.
     */
    boolean recoverStalled(boolean producerSide) {
        long position = producerSide ? tail() - capacity : head();
        if (position < 0) {
            return false;
        }
        long offset = slotOffset(position);
        long word = (long) LONG.getVolatile(memory, offset);
        long lap = position / capacity;
        if (SlotWord.state(word) != SlotWord.WRITING || SlotWord.lapDistance(word, lap) != 0) {
            return false;
        }
        if (!(producerSide ? producerStall : consumerStall).due(position, word, recoveryNanos)) {
            return false;
        }
        if (owners.status(SlotWord.owner(word)) != OwnerTable.Status.DEAD
                || !LONG.compareAndSet(memory, offset, word, SlotWord.empty(lap + 1))) {
            return false;
        }
        add(ABANDONED_OFFSET, 1);
        add(RECOVERIES_OFFSET, 1);
        // A writer killed between its claim and its tail CAS left the tail hint here; the position
        // is used now, so both hints move past it.
        LONG.compareAndSet(memory, TAIL_OFFSET, position, position + 1);
        LONG.compareAndSet(memory, HEAD_OFFSET, position, position + 1);
        signal(NOT_EMPTY_OFFSET);
        signal(NOT_FULL_OFFSET);
        return true;
    }

    /** Moves both hints past positions already claimed / consumed, so that derived counts are exact at rest. */
    void helpHints() {
        for (int i = 0; i <= capacity; i++) {
            long position = tail();
            long word = (long) LONG.getVolatile(memory, slotOffset(position));
            long lap = position / capacity;
            boolean claimed = SlotWord.lapDistance(word, lap) == 0 ? word != SlotWord.empty(lap)
                    : SlotWord.lapDistance(word, lap) > 0;
            if (!claimed || !LONG.compareAndSet(memory, TAIL_OFFSET, position, position + 1)) {
                break;
            }
        }
        for (int i = 0; i <= capacity; i++) {
            long position = head();
            long word = (long) LONG.getVolatile(memory, slotOffset(position));
            if (SlotWord.lapDistance(word, position / capacity) <= 0
                    || !LONG.compareAndSet(memory, HEAD_OFFSET, position, position + 1)) {
                break;
            }
        }
    }

    /**
     * The waker's side of the Waiting protocol: bump and wake only when someone is counted. A wake
     * that finds nobody asleep although someone is counted restarts the count now and then (see
     * {@link #restartWaitersSometimes}).
     */
    void signal(long word) {
        if (Waiting.waiters(memory, word) != 0) {
            INT.getAndAdd(memory, word, 1);
            if (Futex.wake(memory, word, 1) == 0) {
                restartWaitersSometimes(word);
            }
        }
    }

    /** Bumps a wait word and wakes every sleeper (close, recovery). */
    void signalAll(long word) {
        INT.getAndAdd(memory, word, 1);
        if (Waiting.waiters(memory, word) != 0) {
            Futex.wakeAll(memory, word);
        }
    }

    /**
     * A wake found nobody asleep on {@code word} although its count says someone waits: either a
     * waiter between counting itself and sleeping (a few instructions), or one that can never count
     * itself out (its process was killed, or its handle closed under it), after which every send or
     * receive of every process would make a needless atomic add and syscall. {@code notEmpty} and
     * {@code notFull} are pure signals, so the count may start again (see {@link Waiting}): a new
     * epoch, the value moved, every sleeper woken, and each live waiter counts itself again on its
     * next try, so no wake is lost. Throttled per word and handle ({@link RestartThrottle}).
     */
    private void restartWaitersSometimes(long word) {
        if ((word == NOT_EMPTY_OFFSET ? notEmptyRestarts : notFullRestarts).tryStart()) {
            Waiting.restartSignal(memory, word);
        }
    }

    void add(long counter, long delta) {
        LONG.getAndAdd(memory, counter, delta);
    }

    long counter(long offset) {
        return (long) LONG.getVolatile(memory, offset);
    }

    SegmentFormatException corrupt(String what) {
        return new SegmentFormatException(where + ": channel is corrupt: " + what);
    }

    /** The slot seen holding a side up, and since when; a per-handle hint for {@link #recoverStalled}. */
    private static final class Stall {
        private long position = -1;
        private long word;
        private long since;

        synchronized boolean due(long position, long word, long intervalNanos) {
            long now = System.nanoTime();
            if (position != this.position || word != this.word) {
                this.position = position;
                this.word = word;
                this.since = now;
                return false;
            }
            if (now - since < intervalNanos) {
                return false;
            }
            since = now;
            return true;
        }
    }
}
