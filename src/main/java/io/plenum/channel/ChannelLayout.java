package io.plenum.channel;

import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;

/**
 * The memory layout of a shared channel: the segment's body after the 128-byte common header.
 * Every offset is from the start of the segment; every area starts on a 64-byte cache line, and
 * the lines are split by who writes them (producers, consumers, sleepers, the slow path).
 *
 * <pre>
 *   128                136                                                              192
 *    +------------------+----------------------------------------------------------------+
 *    | tail u64         | reserved, zero                                                  |  producers' line
 *    +------------------+----------------------------------------------------------------+
 *   192                200                                                              256
 *    | head u64         | reserved, zero                                                  |  consumers' line
 *    +------------------+----------------------------------------------------------------+
 *   256        260        264        268          272                                   320
 *    | notEmpty | neWaiters| closed   | reasonLen  | reserved, zero                        |  read by every send
 *    |  u32     |  u32     |  u32     |  u32       |                                       |
 *    +----------+----------+----------+------------+---------------------------------------+
 *   320        324        328                                                            384
 *    | notFull  | nfWaiters| reserved, zero                                                |  read by every receive
 *    +----------+----------+---------------------------------------------------------------+
 *   384      392      400      408        416         424        432          440       448
 *    | waits  | full   | empty  |abandoned |recoveries | withdrawn|droppedOldest|droppedLatest|  slow-path counters u64
 *    +--------+--------+--------+----------+-----------+----------+-------------+------------+
 *   448                                                                                 704
 *    | close reason: reasonLen bytes of UTF-8 (at most 256)                                 |
 *    +---------------------------------------------------------------------------------------+
 *   704                                                                                8960
 *    | owner table: OwnerTable.bytesFor(OWNER_ENTRIES) = 8208 bytes, padded to 8256         |
 *    +---------------------------------------------------------------------------------------+
 *   8960 = SLOTS_OFFSET, slot i at SLOTS_OFFSET + i * slotSize(maxMessageSize):
 *    0                8          12         16                              slotSize
 *    +----------------+----------+----------+-------------------------------+
 *    | state u64      | len u32  | reserved | payload, maxMessageSize bytes |  padded to 8 bytes
 *    +----------------+----------+----------+-------------------------------+
 * </pre>
 *
 * <h2>Positions</h2>
 * Messages take positions 0, 1, 2, … in the order producers claim them; position {@code p} lives in
 * slot {@code p % capacity} during lap {@code p / capacity}. {@code tail} and {@code head} are
 * <em>hints</em>: the first position that may be unclaimed, the first that may be unconsumed. They
 * only grow, each by a CAS from {@code p} to {@code p + 1} made by whoever sees position {@code p}
 * claimed (tail) or consumed (head), so a process killed before helping leaves them one behind, and
 * the next thread helps. The slots are the truth; see {@link SlotWord} for the state machine.
 *
 * <h2>Wait words</h2>
 * {@code notEmpty} and {@code notFull} are {@link Waiting} wait words (value, waiter count).
 * Receivers sleep on {@code notEmpty}, senders on {@code notFull}. A send that publishes reads
 * {@code neWaiters} and only when it is non-zero adds 1 to {@code notEmpty} and wakes one sleeper;
 * a receive does the same with {@code notFull}. So an uncontended channel makes no syscall. A
 * waiter that can never count itself out (killed asleep, or its handle closed under it) would make
 * every later send pay a wake; both words are pure signals, so a wake that finds nobody asleep
 * restarts their count in a new epoch ({@link io.plenum.sync.Waiting}), at most every 100 ms per
 * handle.
 *
 * <h2>Closing</h2>
 * {@code closed} is 0 while open. {@code closeForSend} moves it 0 → 2 with a CAS (closing: the
 * reason is being written), writes {@code reasonLen} and the reason, then stores 1 (closed). Any
 * non-zero value means closed for send, so a closer killed half-way still closed the channel (its
 * reason then reads as unknown).
 *
 * <h2>Counters</h2>
 * Only slow paths count: {@code waits} (calls that slept or suspended), {@code full} / {@code empty}
 * (calls that found the channel full / empty), {@code abandoned} (positions skipped because their
 * writer died), {@code recoveries} (times a waiter found the channel held up by a dead process and
 * freed it), {@code withdrawn} (positions a sender claimed and gave back because the channel closed
 * meanwhile), {@code droppedOldest} / {@code droppedLatest} (overflow policies). Sent and received
 * are derived from the hints, so the hot paths count nothing: sent = tail - withdrawn (a dropped
 * latest message never takes a position), received = head - abandoned - withdrawn - droppedOldest.
 * At rest (hints helped forward) sent = received + abandoned + droppedOldest + messages queued.
 *
 * <p>The header's {@code capacity} is the slot count (1..{@link #MAX_CAPACITY}), {@code elementSize}
 * is {@code maxMessageSize} (1..{@link #MAX_MESSAGE_SIZE}), {@code variant} is {@link #VARIANT}.
 * Magic {@code PLCH}, version 1. Memory per element: {@code slotSize = 16 + maxMessageSize} rounded
 * up to 8 bytes (24 bytes for 8-byte messages, 1040 for 1 KiB ones).
 */
public final class ChannelLayout implements SegmentKind {
    public static final int MAGIC = SegmentHeader.magic("PLCH");
    public static final int VERSION = 1;
    public static final int VARIANT = 1;
    public static final int MAX_CAPACITY = 1 << 24;
    public static final int MAX_MESSAGE_SIZE = 1 << 24;
    public static final int MAX_REASON_BYTES = 256;
    /** Processes that can use one channel at a time (entries of dead ones are reused). */
    public static final int OWNER_ENTRIES = 256;

    static final long CACHE_LINE = 64;
    static final long TAIL_OFFSET = SegmentHeader.BODY_OFFSET;
    static final long HEAD_OFFSET = TAIL_OFFSET + CACHE_LINE;
    static final long NOT_EMPTY_OFFSET = HEAD_OFFSET + CACHE_LINE;
    static final long CLOSED_OFFSET = NOT_EMPTY_OFFSET + Waiting.SIZE;
    static final long REASON_LENGTH_OFFSET = CLOSED_OFFSET + 4;
    static final long NOT_FULL_OFFSET = NOT_EMPTY_OFFSET + CACHE_LINE;
    static final long COUNTERS_OFFSET = NOT_FULL_OFFSET + CACHE_LINE;
    static final long WAITS_OFFSET = COUNTERS_OFFSET;
    static final long FULL_OFFSET = COUNTERS_OFFSET + 8;
    static final long EMPTY_OFFSET = COUNTERS_OFFSET + 16;
    static final long ABANDONED_OFFSET = COUNTERS_OFFSET + 24;
    static final long RECOVERIES_OFFSET = COUNTERS_OFFSET + 32;
    static final long WITHDRAWN_OFFSET = COUNTERS_OFFSET + 40;
    static final long DROPPED_OLDEST_OFFSET = COUNTERS_OFFSET + 48;
    static final long DROPPED_LATEST_OFFSET = COUNTERS_OFFSET + 56;
    static final long REASON_OFFSET = COUNTERS_OFFSET + CACHE_LINE;
    static final long OWNER_TABLE_OFFSET = REASON_OFFSET + MAX_REASON_BYTES;
    static final long OWNER_TABLE_SIZE = align(OwnerTable.bytesFor(OWNER_ENTRIES));
    static final long SLOTS_OFFSET = OWNER_TABLE_OFFSET + OWNER_TABLE_SIZE;

    /** Offsets inside a slot. */
    static final long SLOT_STATE = 0;
    static final long SLOT_LENGTH = 8;
    static final long SLOT_PAYLOAD = 16;

    static final int OPEN = 0;
    static final int CLOSED = 1;
    static final int CLOSING = 2;

    static final ChannelLayout KIND = new ChannelLayout();

    private ChannelLayout() {
    }

    static long align(long size) {
        return (size + CACHE_LINE - 1) & -CACHE_LINE;
    }

    /** Bytes per slot for messages of up to {@code maxMessageSize} bytes. */
    public static long slotSize(int maxMessageSize) {
        return (SLOT_PAYLOAD + maxMessageSize + 7) & -8L;
    }

    /** The whole segment's size for this geometry. */
    public static long segmentSize(int capacity, int maxMessageSize) {
        return Math.addExact(SLOTS_OFFSET, Math.multiplyExact((long) capacity, slotSize(maxMessageSize)));
    }

    @Override
    public String name() {
        return "channel";
    }

    @Override
    public int magic() {
        return MAGIC;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public String variantName(int variant) {
        return variant == VARIANT ? "messages" : "unknown variant " + variant;
    }

    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        if (variant != VARIANT) {
            throw new IllegalArgumentException("variant: " + variant + " is not a channel variant (" + VARIANT + ")");
        }
        checkCapacity(capacity);
        checkMaxMessageSize(elementSize);
        return segmentSize((int) capacity, elementSize) - SegmentHeader.BODY_OFFSET;
    }

    static void checkCapacity(long capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity: " + capacity + " messages, must be 1.." + MAX_CAPACITY);
        }
    }

    static void checkMaxMessageSize(long size) {
        if (size < 1 || size > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize: " + size + " bytes, must be 1.." + MAX_MESSAGE_SIZE);
        }
    }

    /** Writes the owner table; slots start as EMPTY(lap 0), which is all zero. */
    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        OwnerTable.initialize(memory, OWNER_TABLE_OFFSET, OWNER_ENTRIES);
    }
}
