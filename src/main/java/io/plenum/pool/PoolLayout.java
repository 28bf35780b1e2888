package io.plenum.pool;

import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;

/**
 * The memory layout of a slot pool: the segment's body after the 128-byte common header. Every
 * offset below is from the start of the segment; all areas start on a 64-byte cache line.
 *
 * <pre>
 *   128              132              136              140              144
 *    +----------------+----------------+----------------+----------------+
 *    | freeSignal u32 | waiters u32    | restarts u32   | freeWraps u32  |                  control
 *    +----------------+----------------+----------------+----------------+
 *   144              152              160              168              176              184      188      192
 *    | waits u64      | timeouts u64   | recoveries u64 | allocsSeen u64 | freesSeen u64  |multiWai|multiSeq|
 *    +----------------+----------------+----------------+----------------+----------------+--------+--------+
 *      multiWaiters u32 and multiSequence u32 are one u64 (see MultiWaiters)
 *   192
 *    +---------------------------------------------------------------------------------------+
 *    | owner table: OwnerTable.bytesFor(OWNER_ENTRIES) = 8208 bytes, padded to 8256           |  processes
 *    +---------------------------------------------------------------------------------------+
 *   8448 = MULTI_RECORDS_OFFSET
 *    +---------------------------------------------------------------------------------------+
 *    | multi-waiter records: OWNER_ENTRIES x u64 (count u32, token u32) = 2048 bytes          |  healing
 *    +---------------------------------------------------------------------------------------+
 *   10496 = OWNERS_OFFSET
 *    +-----------+-----------+-----+------------------------------------------------------------+
 *    | owner 0   | owner 1   | ... | capacity u32 words, padded to 64 bytes                     |  owners
 *    +-----------+-----------+-----+------------------------------------------------------------+
 *      0 = free; BUSY alone = free, recovered from a dead holder; else an OwnerTable token, with
 *      BUSY (bit 11) while its process is claiming the slot (writing its first value): see
 *      SlotAllocator for the state machine
 *   dataOffset(capacity)
 *    +---------------------+---------------------+-----+---------------------------------------+
 *    | slot 0              | slot 1              | ... | capacity x elementSize bytes          |  data
 *    +---------------------+---------------------+-----+---------------------------------------+
 *      slot i at dataOffset + i * elementSize
 * </pre>
 *
 * <p>{@code freeSignal} and {@code waiters} are a {@link Waiting} wait word: every free adds 1 to
 * {@code freeSignal} (a batch its size), and blocked allocators sleep on it. {@code freeWraps}
 * counts the times {@code freeSignal} wrapped around, so {@code freeWraps << 32 | freeSignal} is
 * the number of frees since creation, recovered slots included; allocations are that plus the
 * slots taken now, so the allocation path updates no counter. {@code multiWaiters} counts the
 * allocations of several slots waiting now (blocked threads, and queued asynchronous requests);
 * while it is non-zero a free wakes every waiter instead of one, since a waiter that needs more
 * slots than were freed cannot use the wake. Record i of the multi-waiter records says how many of
 * those waiters the process of owner entry i counts (with its token), so that a count left by a
 * killed process is found and taken out again by the next waiter's recovery scan: see
 * {@link MultiWaiters} for the protocol and its invariant.
 * {@code waiters} is the count of blocked allocators (and per-JVM waiters) of the wait word, with
 * an epoch in its top bits: a free whose wake finds nobody asleep while the count says otherwise
 * restarts the count (a new epoch, every sleeper woken, the live ones count themselves again; see
 * {@link Waiting}), so that a count left by a killed waiter is gone after the next free.
 * {@code restarts} counts those restarts, each of which moved {@code freeSignal} by one that was
 * not a free.
 * {@code waits} counts allocations that had to wait, {@code timeouts} waits that ended with
 * nothing, {@code recoveries} slots taken back from dead owners. {@code allocsSeen} and
 * {@code freesSeen} are the highest {@code allocs} and {@code frees} any process's {@code stats()}
 * has reported (raised by compare-and-set, only by {@code stats()}): the derived values can read
 * low while others allocate and free (the scan of the owner words is not one instant, and a batch
 * of frees is counted after its slots are free), and a cumulative counter must never be seen
 * going back, so {@code stats()} reports the larger of the two. Both derived values are lower
 * bounds of the true counts, so the larger one is too: it lags, it never overtakes. Zero in a
 * pool that no {@code stats()} has read yet, which is also what a pool created before these
 * words existed holds.
 *
 * <p>A {@link PoolVariant#STRING STRING} slot is {@code elementSize = 4 + maxLength} bytes: a u32
 * length (unaligned when {@code maxLength} is not a multiple of 4), then the bytes. Fixed variants:
 * LONG and DOUBLE 8 bytes, INT 4 (naturally aligned, since dataOffset is a multiple of 64).
 *
 * <p>The header's {@code capacity} is the slot count (1..{@link #MAX_CAPACITY}), {@code variant}
 * the {@link PoolVariant} code, {@code elementSize} the slot size. Magic {@code PLPO}, version 4.
 */
public final class PoolLayout implements SegmentKind {
    public static final int MAGIC = SegmentHeader.magic("PLPO");
    /**
     * 2: the multi-waiter records between the owner table and the owner words. 3: {@code waiters}
     * holds an epoch above its count, and {@code restarts} (see {@link Waiting}). 4: an owner word
     * of BUSY alone is a free slot whose last holder died (RECOVERED, see {@link SlotAllocator});
     * a version-3 process would take it for a claim in progress.
     */
    public static final int VERSION = 4;
    public static final long MAX_CAPACITY = 1L << 30;
    public static final int MAX_ELEMENT_SIZE = 1 << 24;
    /** The longest string a STRING slot can hold. */
    public static final int MAX_STRING_LENGTH = MAX_ELEMENT_SIZE - Integer.BYTES;
    /**
     * Processes that can use one pool at a time (their entries in the owner table). Entries of dead
     * processes are reused. At most half of {@link OwnerTable#MAX_ENTRIES}, so that bit 11 of every
     * token this table hands out is 0 and free to serve as {@link SlotAllocator#BUSY}.
     */
    public static final int OWNER_ENTRIES = 256;

    static final long CACHE_LINE = 64;
    static final long CONTROL_OFFSET = SegmentHeader.BODY_OFFSET;
    /** The wait word: {@code freeSignal} u32 then {@code waiters} u32. */
    static final long FREE_SIGNAL_OFFSET = CONTROL_OFFSET;
    static final long RESTARTS_OFFSET = CONTROL_OFFSET + 8;
    static final long FREE_WRAPS_OFFSET = CONTROL_OFFSET + 12;
    static final long WAITS_OFFSET = CONTROL_OFFSET + 16;
    static final long TIMEOUTS_OFFSET = CONTROL_OFFSET + 24;
    static final long RECOVERIES_OFFSET = CONTROL_OFFSET + 32;
    static final long ALLOCS_SEEN_OFFSET = CONTROL_OFFSET + 40;
    static final long FREES_SEEN_OFFSET = CONTROL_OFFSET + 48;
    /** {@code multiWaiters} u32, then {@code multiSequence} u32: one u64 (little-endian). */
    static final long MULTI_WAITERS_OFFSET = CONTROL_OFFSET + 56;
    static final long CONTROL_SIZE = CACHE_LINE;
    static final long OWNER_TABLE_OFFSET = CONTROL_OFFSET + CONTROL_SIZE;
    static final long OWNER_TABLE_SIZE = align(OwnerTable.bytesFor(OWNER_ENTRIES));
    static final long MULTI_RECORDS_OFFSET = OWNER_TABLE_OFFSET + OWNER_TABLE_SIZE;
    static final long MULTI_RECORDS_SIZE = 8L * OWNER_ENTRIES;
    static final long OWNERS_OFFSET = MULTI_RECORDS_OFFSET + MULTI_RECORDS_SIZE;
    /** Offset of a STRING slot's bytes from the slot's start (its length comes first). */
    static final long STRING_BYTES_OFFSET = Integer.BYTES;

    static final PoolLayout KIND = new PoolLayout();

    private PoolLayout() {
    }

    static long align(long size) {
        return (size + CACHE_LINE - 1) & -CACHE_LINE;
    }

    static long dataOffset(long capacity) {
        return OWNERS_OFFSET + align(capacity * Integer.BYTES);
    }

    /** The whole segment's size for this geometry. */
    static long segmentSize(long capacity, int elementSize) {
        return Math.addExact(dataOffset(capacity), Math.multiplyExact(capacity, (long) elementSize));
    }

    @Override
    public String name() {
        return "pool";
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
        PoolVariant known = PoolVariant.ofCode(variant);
        return known == null ? "unknown variant " + variant : known.label();
    }

    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        PoolVariant known = PoolVariant.ofCode(variant);
        if (known == null) {
            throw new IllegalArgumentException("variant: " + variant + " is not a pool variant (1..5)");
        }
        checkCapacity(capacity);
        checkElementSize(known, elementSize);
        return segmentSize(capacity, elementSize) - SegmentHeader.BODY_OFFSET;
    }

    static void checkCapacity(long capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity: " + capacity + " slots, must be 1.." + MAX_CAPACITY);
        }
    }

    static void checkElementSize(PoolVariant variant, int elementSize) {
        int fixed = variant.fixedElementSize();
        if (fixed > 0 && elementSize != fixed) {
            throw new IllegalArgumentException("elementSize: " + elementSize + " bytes, a " + variant.label()
                    + " slot is " + fixed);
        }
        int least = variant == PoolVariant.STRING ? Integer.BYTES + 1 : 1;
        if (elementSize < least || elementSize > MAX_ELEMENT_SIZE) {
            throw new IllegalArgumentException("elementSize: " + elementSize + " bytes, must be " + least + ".."
                    + MAX_ELEMENT_SIZE + " for " + variant.label());
        }
    }

    /** Writes the owner table; everything else starts at zero. Runs before anyone else sees the segment. */
    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        OwnerTable.initialize(memory, OWNER_TABLE_OFFSET, OWNER_ENTRIES);
    }
}
