package io.plenum.pool;

import io.plenum.sync.OwnerTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The count of allocations of several slots waiting now ({@code multiWaiters} in
 * {@link PoolLayout}), kept so that it heals by itself when a counted waiter's process dies.
 *
 * <h2>What is stored</h2>
 * The total, a u32 that every free reads (while it is non-zero a free wakes every waiter), in the
 * low half of a u64 whose high half counts the changes to the total ({@code multiSequence}, so
 * that a heal's CAS fails on any change since it read the total, even one that was undone), and
 * one record per owner-table entry: the owner token of the process that last counted itself
 * there, and how many of its waiters it counts now.
 * <pre>
 *   record i (8 bytes):  | count u32 | token u32 |      as one u64: token << 32 | count
 * </pre>
 * A process writes only the record of its own entry (by CAS, so that its threads and handles
 * share it), and a record whose token is not its own is an earlier, dead owner's: it starts again
 * from 0. Nobody else ever writes a record.
 *
 * <h2>The invariant, and why healing never takes a live waiter's count</h2>
 * <b>M1</b>: for every live process P, its record's count is at least P's part of the total, at
 * every instant. Kept by the order of the two updates: counting in raises the record first, then
 * the total; counting out lowers the total first, then the record.
 *
 * <p>{@link #heal} reads the total T, then the records, sums the counts Σ of records whose token
 * is not dead, and lowers the total by T − Σ with a CAS from T. Records read after T only ever
 * show a live process's count at or above its part of T (M1: a raise of the record before T was
 * read stays visible, a record lowered after T was read had its total lowered before, so T already
 * lacked it), so Σ covers every live part and T − Σ is at most the dead processes' part, as long
 * as nobody changed the total between the read and the CAS: the CAS is on the total and its change
 * sequence together, so it fails on any change meanwhile, also a count in and out that left the
 * same total.
 * When nothing is in flight, Σ is exactly the live part and one heal removes the whole dead part:
 * counts left by a killed waiter (at any instruction) are gone after the next heal, which every
 * waiter on a full pool runs with its recovery scans ({@link SlotClaims#recover}), at most
 * {@link SlotPool#RECOVERY_INTERVAL} apart. While nobody waits a high count costs nothing (a wake
 * with no waiter is no syscall).
 */
final class MultiWaiters {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    /** Added to the total word to count in: sequence + 1, total + 1. */
    private static final long IN = (1L << 32) + 1;
    /** Added to count out: total - 1 with a carry into the sequence, so sequence + 1 (total is >= 1). */
    private static final long OUT = (1L << 32) - 1;

    private final MemorySegment memory;
    private final OwnerTable owners;

    MultiWaiters(MemorySegment memory, OwnerTable owners) {
        this.memory = memory;
        this.owners = owners;
    }

    private static long recordOffset(int token) {
        return PoolLayout.MULTI_RECORDS_OFFSET + 8L * OwnerTable.indexOf(token);
    }

    /** The total, as frees read it. */
    int total() {
        return (int) INT.getVolatile(memory, PoolLayout.MULTI_WAITERS_OFFSET);
    }

    /** Counts one waiter of process {@code self} in: its record first, then the total (M1). */
    void enter(int self) {
        long offset = recordOffset(self);
        long record = (long) LONG.getVolatile(memory, offset);
        while (true) {
            long count = (int) (record >>> 32) == self ? record & COUNT_MASK : 0;
            long witness = (long) LONG.compareAndExchange(memory, offset, record,
                    ((long) self << 32) | ((count + 1) & COUNT_MASK));
            if (witness == record) {
                break;
            }
            record = witness;
        }
        LONG.getAndAdd(memory, PoolLayout.MULTI_WAITERS_OFFSET, IN);
    }

    /** Counts one waiter of process {@code self} out: the total first, then its record (M1). */
    void leave(int self) {
        LONG.getAndAdd(memory, PoolLayout.MULTI_WAITERS_OFFSET, OUT);
        long offset = recordOffset(self);
        long record = (long) LONG.getVolatile(memory, offset);
        while ((int) (record >>> 32) == self && (record & COUNT_MASK) != 0) {
            long witness = (long) LONG.compareAndExchange(memory, offset, record, record - 1);
            if (witness == record) {
                return;
            }
            record = witness;
        }
    }

    /**
     * Takes the counts of dead processes out of the total (see the class doc); returns how many.
     * A no-op while the total is 0, which is the common case. Tokens in another pid namespace are
     * taken as alive.
     */
    int heal() {
        long word = (long) LONG.getVolatile(memory, PoolLayout.MULTI_WAITERS_OFFSET);
        int total = (int) word;
        if (total <= 0) {
            return 0;
        }
        long live = 0;
        for (int entry = 0; entry < PoolLayout.OWNER_ENTRIES; entry++) {
            long record = (long) LONG.getVolatile(memory, PoolLayout.MULTI_RECORDS_OFFSET + 8L * entry);
            int token = (int) (record >>> 32);
            long count = record & COUNT_MASK;
            if (count != 0 && OwnerTable.indexOf(token) == entry && owners.status(token) != OwnerTable.Status.DEAD) {
                live += count;
            }
        }
        if (live >= total) {
            return 0;
        }
        int excess = (int) (total - live);
        long healed = ((word >>> 32) + 1) << 32 | (total - excess);
        return LONG.compareAndSet(memory, PoolLayout.MULTI_WAITERS_OFFSET, word, healed) ? excess : 0;
    }

    /** Clears the total and every record (for {@code reset()} under exclusive use). */
    void clear() {
        memory.asSlice(PoolLayout.MULTI_RECORDS_OFFSET, PoolLayout.MULTI_RECORDS_SIZE).fill((byte) 0);
        LONG.setVolatile(memory, PoolLayout.MULTI_WAITERS_OFFSET, 0L);
    }
}
