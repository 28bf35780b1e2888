package io.plenum.map;

import static io.plenum.map.MapLayout.*;

import io.plenum.segment.SegmentFormatException;
import io.plenum.sync.RestartThrottle;
import io.plenum.sync.SharedMutex;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The map on bytes: lock-free reads of a stripe, and the writes, each under its stripe's lock.
 *
 * <h2>Reads</h2>
 * Take the stripe's {@code epoch} (acquire), its {@code block} (acquire), probe, copy what is
 * needed, then re-read {@code epoch}: unchanged means the block was never retired meanwhile, so
 * what was copied was a published, immutable record (or a true miss). Otherwise retry. A reader
 * writes nothing and waits for nothing: a writer that dies leaves no state a reader must wait out.
 *
 * <h2>Writes</h2>
 * Under the stripe lock: probe; write the new record past the block's {@code cursor} (cursor moved
 * first, so a crash leaves at worst unreferenced bytes, reclaimed by the next rebuild); publish it
 * with one release store of its slot; then update the block's counters and bump {@code changes}
 * (the stripe's wait word). A key is therefore always either its old or its new record. When the
 * block lacks room or table slots, {@link #rebuild} copies the live records into a new block,
 * publishes it, bumps {@code epoch}, and frees the old block.
 */
final class MapStore extends StripeReader {
    /** An {@link Update} result meaning "leave the key as it is". */
    static final byte[] KEEP = new byte[0];

    /** What a locked write does with the current value (null: absent); returns KEEP, null (remove) or the new value. */
    @FunctionalInterface
    interface Update {
        byte[] apply(byte[] current);
    }

    /** Receives one entry of a copy. */
    @FunctionalInterface
    interface EntrySink {
        void accept(byte[] key, byte[] value);
    }

    private final BlockHeap heap;
    /** Throttles this handle's restarts of the stripes' change counts (one for all stripes). */
    private final RestartThrottle changeRestarts = new RestartThrottle();
    private final SharedMutex[] locks;

    MapStore(MapMemory memory, BlockHeap heap, SharedMutex[] locks, long seed, long heapOffset,
             int maxKeySize, int maxValueSize) {
        super(memory, locks.length, seed, heapOffset, maxKeySize, maxValueSize);
        this.heap = heap;
        this.locks = locks;
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** The value of the key, copied, or null. */
    byte[] get(byte[] key, int length, long hash) {
        int stripe = stripeOf(hash);
        long s = stripeOffset(stripe);
        for (int attempt = 0; ; attempt++) {
            MemorySegment mem = memory.current();
            int epoch = epoch(mem, s);
            try {
                long b = blockOf(mem, s);
                byte[] value = null;
                if (b != 0) {
                    mem = block(mem, b, stripe);
                    long record = find(mem, b, key, length, 0, hash);
                    value = record < 0 ? null : copyValue(mem, record);
                }
                if (unchanged(mem, s, epoch)) {
                    return value;
                }
            } catch (SegmentFormatException | IndexOutOfBoundsException e) {
                torn(mem, s, epoch, e);
            }
            backOff(attempt);
        }
    }

    /** The 8-byte value of a long key, or {@code absent}; allocates nothing. */
    long getLong(long key, long hash, long absent) {
        int stripe = stripeOf(hash);
        long s = stripeOffset(stripe);
        for (int attempt = 0; ; attempt++) {
            MemorySegment mem = memory.current();
            int epoch = epoch(mem, s);
            try {
                long b = blockOf(mem, s);
                long record = ABSENT;
                if (b != 0) {
                    record = findLong(mem, b, key, hash);
                    if (record == SLOW) {
                        mem = block(mem, b, stripe); // remaps, or throws naming the corruption
                        record = findLong(mem, b, key, hash);
                        if (record == SLOW) {
                            throw memory.corrupt("block " + b + " of stripe " + stripe + ": header changed while read");
                        }
                    }
                }
                // One atomic 8-byte load: the value may be overwritten in place (putLong).
                long value = record >= 0 ? (long) ALIGNED_WORD.getAcquire(mem, record + RECORD_KEY + 8) : absent;
                if (unchanged(mem, s, epoch)) {
                    if (record == WRONG_LENGTH) {
                        throw new io.plenum.codec.CodecException(memory.name() + ": the value of key " + key
                                + " is not 8 bytes long, not a long");
                    }
                    return value;
                }
            } catch (SegmentFormatException | IndexOutOfBoundsException e) {
                torn(mem, s, epoch, e);
            }
            backOff(attempt);
        }
    }

    /** Rethrows when the stripe did not change since {@code epoch}: the bytes are corrupt, not torn. */
    private void torn(MemorySegment mem, long s, int epoch, RuntimeException e) {
        if (unchanged(mem, s, epoch)) {
            throw e instanceof SegmentFormatException format ? format : memory.corrupt(e.getMessage());
        }
    }

    /** Every entry of one stripe as of one moment (lock-free; retried until consistent). */
    void readStripe(int stripe, EntrySink sink) {
        long s = stripeOffset(stripe);
        List<byte[]> copy = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            copy.clear();
            MemorySegment mem = memory.current();
            int epoch = epoch(mem, s);
            try {
                long b = blockOf(mem, s);
                if (b != 0) {
                    mem = block(mem, b, stripe);
                    collect(mem, b, copy);
                }
                if (unchanged(mem, s, epoch)) {
                    for (int i = 0; i < copy.size(); i += 2) {
                        sink.accept(copy.get(i), copy.get(i + 1));
                    }
                    return;
                }
            } catch (SegmentFormatException | IndexOutOfBoundsException e) {
                torn(mem, s, epoch, e);
            }
            backOff(attempt);
        }
    }

    private void collect(MemorySegment mem, long b, List<byte[]> into) {
        int slots = slots(mem, b);
        for (long i = 0; i < slots; i++) {
            long slot = (long) LONG_HANDLE.getAcquire(mem, b + BLOCK_TABLE + 8 * i);
            if (slot != EMPTY && slot != TOMBSTONE) {
                long record = record(mem, b, slot);
                into.add(copyKey(mem, record));
                into.add(copyValue(mem, record));
            }
        }
    }

    /** The entries of one stripe (lock-free, consistent for the stripe). */
    int count(int stripe) {
        long s = stripeOffset(stripe);
        for (int attempt = 0; ; attempt++) {
            MemorySegment mem = memory.current();
            int epoch = epoch(mem, s);
            try {
                long b = blockOf(mem, s);
                int count = 0;
                if (b != 0) {
                    mem = block(mem, b, stripe);
                    count = (int) INT_HANDLE.getAcquire(mem, b + BLOCK_COUNT);
                }
                if (unchanged(mem, s, epoch)) {
                    if (count < 0 || count > slots(mem, b)) {
                        throw memory.corrupt("stripe " + stripe + " block field count: " + count);
                    }
                    return count;
                }
            } catch (SegmentFormatException | IndexOutOfBoundsException e) {
                torn(mem, s, epoch, e);
            }
            backOff(attempt);
        }
    }

    /** Live record bytes of one stripe (a statistic; read without a consistency check). */
    long liveBytes(int stripe) {
        MemorySegment mem = memory.current();
        long b = blockOf(mem, stripeOffset(stripe));
        return b == 0 ? 0 : (long) LONG_HANDLE.getAcquire(block(mem, b, stripe), b + BLOCK_LIVE_BYTES);
    }

    /** Bytes of the stripe's table. */
    long tableBytes(int stripe) {
        MemorySegment mem = memory.current();
        long b = blockOf(mem, stripeOffset(stripe));
        return b == 0 ? 0 : 8L * slots(block(mem, b, stripe), b);
    }

    /** Bytes of the blocks stripes use now. */
    long blockBytes(int stripe) {
        MemorySegment mem = memory.current();
        long b = blockOf(mem, stripeOffset(stripe));
        return b == 0 ? 0 : size(block(mem, b, stripe), b);
    }

    /**
     * Bumps the stripe's {@code changes} word (a pure signal: waiters only wait for it to move) and
     * wakes its waiters. A wake that finds nobody asleep although someone is counted (a waiter JVM
     * killed asleep; otherwise every later write of the stripe would make a syscall) restarts the
     * count, throttled per handle ({@link RestartThrottle}).
     */
    private void signalChange(MemorySegment mem, long stripeOffset) {
        changeRestarts.bump(mem, stripeOffset + STRIPE_CHANGES);
    }

    /** The waiters counted on a stripe's {@code changes} word (for tests and diagnostics). */
    int changeWaiters(int stripe) {
        return Waiting.waiters(memory.current(), stripeOffset(stripe) + STRIPE_CHANGES);
    }

    /** The stripe's change counter; waits for a change of one of its keys compare against it. */
    int changes(int stripe) {
        return Waiting.value(memory.current(), stripeOffset(stripe) + STRIPE_CHANGES);
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** Takes the stripe lock, repairing the stripe when the previous holder died. */
    void lock(int stripe) {
        if (locks[stripe].lock().recovered()) {
            repair(stripe);
        }
    }

    void unlock(int stripe) {
        locks[stripe].unlock();
    }

    /**
     * Applies {@code update} to the key under its stripe lock and returns the value before (null:
     * absent). {@code update} runs once; if it throws, nothing changed.
     */
    byte[] write(byte[] key, int length, long hash, Update update) {
        int stripe = stripeOf(hash);
        lock(stripe);
        try {
            return writeLocked(stripe, key, length, hash, update);
        } catch (IndexOutOfBoundsException e) {
            throw memory.corrupt(e.getMessage());
        } finally {
            unlock(stripe);
        }
    }

    /**
     * Stores an 8-byte value under an 8-byte key (a Long to Long map's {@code putLong}). A key that
     * is there with an 8-byte value has it overwritten in place: the one change a published record
     * takes (see {@link MapLayout}), an aligned 8-byte store that readers see whole, old or new,
     * since they read such a value with one 8-byte load ({@code getLong}, {@link #copyValue}). No
     * new record, so no rebuild. Otherwise the general write, under the same lock.
     */
    void putLong(long key, long hash, long value) {
        int stripe = stripeOf(hash);
        lock(stripe);
        try {
            if (!overwriteLong(stripe, key, hash, value)) {
                writeLocked(stripe, longBytes(key), 8, hash, current -> longBytes(value));
            }
        } catch (IndexOutOfBoundsException e) {
            throw memory.corrupt(e.getMessage());
        } finally {
            unlock(stripe);
        }
    }

    /**
     * The in-place case of {@link #putLong}; false, changing nothing, when it does not apply. The
     * block header is checked once, by {@link #findLong} (as in {@link #getLong}), not also by
     * {@link #block}, which only runs when findLong cannot decide.
     */
    private boolean overwriteLong(int stripe, long key, long hash, long value) {
        long s = stripeOffset(stripe);
        MemorySegment mem = memory.current();
        long b = blockOf(mem, s);
        if (b == 0) {
            return false;
        }
        long record = findLong(mem, b, key, hash);
        if (record == SLOW) {
            mem = block(mem, b, stripe); // remaps, or throws naming the corruption
            record = findLong(mem, b, key, hash);
            if (record == SLOW) {
                throw memory.corrupt("block " + b + " of stripe " + stripe + ": header changed under its lock");
            }
        }
        if (record < 0) {
            return false;
        }
        // record + RECORD_KEY + 8 is 8-aligned (records are, RECORD_KEY is 16, the key 8 bytes).
        ALIGNED_WORD.setRelease(mem, record + RECORD_KEY + 8, value);
        signalChange(mem, s);
        return true;
    }

    /** The 8 little-endian bytes of a long key or value (the layout getLong reads). */
    static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        MapHash.WORD.set(bytes, 0, value);
        return bytes;
    }

    /** {@link #write} for a caller that holds the stripe lock already. */
    byte[] writeLocked(int stripe, byte[] key, int length, long hash, Update update) {
        long s = stripeOffset(stripe);
        MemorySegment mem = memory.current();
        long b = blockOf(mem, s);
        long position = -1;
        byte[] current = null;
        if (b != 0) {
            mem = block(mem, b, stripe);
            position = locate(mem, b, key, length, hash);
            if (position >= 0) {
                current = copyValue(mem, record(mem, b, slotAt(mem, b, position)));
            }
        }
        byte[] next = update.apply(current);
        if (next == KEEP) {
            return current;
        }
        if (next == null) {
            if (current != null) {
                remove(mem, b, s, position);
            }
            return current;
        }
        if (next.length > maxValueSize) {
            throw new IllegalArgumentException(memory.name() + ": value of " + next.length
                    + " bytes exceeds maxValueSize " + maxValueSize);
        }
        long needed = recordSize(length, next.length);
        if (b == 0 || !fits(mem, b, needed, position >= 0)) {
            b = rebuild(stripe, needed, position >= 0 ? 0 : 1);
            mem = block(memory.current(), b, stripe);
            position = locate(mem, b, key, length, hash);
        }
        store(mem, b, s, position, key, length, hash, next, needed);
        return current;
    }

    /** Slot index of the key (>= 0), or -(index + 1) of the slot a new key goes to. */
    private long locate(MemorySegment mem, long b, byte[] key, int length, long hash) {
        int slots = slots(mem, b);
        long mask = slots - 1;
        long tag = tag(hash);
        long index = hash & mask;
        long free = -1;
        for (int probes = 0; probes < slots; probes++) {
            long slot = mem.get(LONG, b + BLOCK_TABLE + 8 * index);
            if (slot == EMPTY) {
                return -((free >= 0 ? free : index) + 1);
            }
            if (slot == TOMBSTONE) {
                if (free < 0) {
                    free = index;
                }
            } else if ((slot & TAG_MASK) == tag) {
                long record = record(mem, b, slot);
                if (matches(mem, record, key, length, 0, hash)) {
                    return index;
                }
            }
            index = (index + 1) & mask;
        }
        if (free >= 0) {
            return -(free + 1);
        }
        throw memory.corrupt("block " + b + ": table of " + slots + " slots has no free slot");
    }

    private static long slotAt(MemorySegment mem, long b, long index) {
        return mem.get(LONG, b + BLOCK_TABLE + 8 * index);
    }

    /** Room for a record of {@code needed} bytes, and for a new key a slot within the load limit. */
    private boolean fits(MemorySegment mem, long b, long needed, boolean replacing) {
        long cursor = cursor(mem, b);
        if (cursor + needed > size(mem, b)) {
            return false;
        }
        if (replacing) {
            return true;
        }
        long used = Integer.toUnsignedLong(mem.get(INT, b + BLOCK_COUNT))
                + Integer.toUnsignedLong(mem.get(INT, b + BLOCK_TOMBSTONES)) + 1;
        return used * 4 <= 3L * slots(mem, b);
    }

    private long cursor(MemorySegment mem, long b) {
        long cursor = mem.get(LONG, b + BLOCK_CURSOR);
        if (cursor < BLOCK_TABLE + 8L * slots(mem, b) || cursor > size(mem, b) || (cursor & 7) != 0) {
            throw memory.corrupt("block " + b + " field cursor: " + cursor);
        }
        return cursor;
    }

    /** Writes the record, publishes it at {@code position}, then counts it. */
    private void store(MemorySegment mem, long b, long s, long position, byte[] key, int length, long hash,
                       byte[] value, long needed) {
        long offset = cursor(mem, b);
        // The cursor moves before the record is written: a writer killed from here on leaves bytes
        // no slot names, which the next rebuild drops; never a published record written over.
        mem.set(LONG, b + BLOCK_CURSOR, offset + needed);
        long record = b + offset;
        mem.set(INT, record + RECORD_KEY_LENGTH, length);
        mem.set(INT, record + RECORD_VALUE_LENGTH, value.length);
        mem.set(LONG, record + RECORD_HASH, hash);
        MemorySegment.copy(key, 0, mem, java.lang.foreign.ValueLayout.JAVA_BYTE, record + RECORD_KEY, length);
        MemorySegment.copy(value, 0, mem, java.lang.foreign.ValueLayout.JAVA_BYTE, record + RECORD_KEY + length,
                value.length);
        for (long pad = RECORD_KEY + length + value.length; pad < needed; pad++) {
            mem.set(java.lang.foreign.ValueLayout.JAVA_BYTE, record + pad, (byte) 0);
        }
        long index = position >= 0 ? position : -position - 1;
        long slotAddress = b + BLOCK_TABLE + 8 * index;
        long previous = mem.get(LONG, slotAddress);
        long previousBytes = 0;
        if (position >= 0) {
            long old = record(mem, b, previous);
            previousBytes = recordSize(keyLength(mem, old), valueLength(mem, old));
        }
        // The publication: one release store; readers see the old record or the new, whole.
        LONG_HANDLE.setRelease(mem, slotAddress, slot(hash, offset));
        if (position < 0) {
            mem.set(INT, b + BLOCK_COUNT, mem.get(INT, b + BLOCK_COUNT) + 1);
            if (previous == TOMBSTONE) {
                mem.set(INT, b + BLOCK_TOMBSTONES, mem.get(INT, b + BLOCK_TOMBSTONES) - 1);
            }
        }
        mem.set(LONG, b + BLOCK_LIVE_BYTES, mem.get(LONG, b + BLOCK_LIVE_BYTES) + needed - previousBytes);
        signalChange(mem, s);
    }

    private void remove(MemorySegment mem, long b, long s, long position) {
        int slots = slots(mem, b);
        long slotAddress = b + BLOCK_TABLE + 8 * position;
        long old = record(mem, b, mem.get(LONG, slotAddress));
        long bytes = recordSize(keyLength(mem, old), valueLength(mem, old));
        // A removed slot followed by an empty one ends every probe chain through it: it may be empty
        // again. Otherwise it stays a tombstone, so that chains through it still reach their keys.
        boolean endOfChain = mem.get(LONG, b + BLOCK_TABLE + 8 * ((position + 1) & (slots - 1))) == EMPTY;
        LONG_HANDLE.setRelease(mem, slotAddress, endOfChain ? EMPTY : TOMBSTONE);
        mem.set(INT, b + BLOCK_COUNT, mem.get(INT, b + BLOCK_COUNT) - 1);
        if (!endOfChain) {
            mem.set(INT, b + BLOCK_TOMBSTONES, mem.get(INT, b + BLOCK_TOMBSTONES) + 1);
        }
        mem.set(LONG, b + BLOCK_LIVE_BYTES, mem.get(LONG, b + BLOCK_LIVE_BYTES) - bytes);
        signalChange(mem, s);
    }

    /**
     * Copies the stripe's live records into a new block with room for {@code extraEntries} more keys
     * and {@code extraBytes} more record bytes, publishes it and frees the old one. Returns the new block.
     */
    long rebuild(int stripe, long extraBytes, int extraEntries) {
        long s = stripeOffset(stripe);
        MemorySegment mem = memory.current();
        long old = blockOf(mem, s);
        long entries = extraEntries;
        long live = extraBytes;
        if (old != 0) {
            mem = block(mem, old, stripe);
            long count = Integer.toUnsignedLong(mem.get(INT, old + BLOCK_COUNT));
            long bytes = mem.get(LONG, old + BLOCK_LIVE_BYTES);
            // Sized from the counters, so they are checked first: a corrupt count must not ask for a huge block.
            if (count > slots(mem, old) || bytes < 0 || bytes > size(mem, old)) {
                throw memory.corrupt("block " + old + " of stripe " + stripe + " fields count " + count
                        + " / liveBytes " + bytes + " exceed the block");
            }
            entries += count;
            live += bytes;
        }
        int slots = slotsFor(entries);
        // Room for a quarter as much again as is live (and one more record): puts and replacements
        // fill it before the next rebuild, which copies the live records only.
        long target = BLOCK_TABLE + 8L * slots + live + live / 4 + extraBytes;
        long fresh = heap.allocate(stripe, classFor(target));
        try {
            mem = memory.covering(fresh, classSize(classFor(target)), "new block");
            fill(mem, old, fresh, stripe, slots);
        } catch (RuntimeException e) {
            heap.abandon(stripe, fresh);
            throw e;
        }
        // Retire: old stays named (retired) until it is on a free list; readers that may still be
        // in it see the epoch move before anyone can reuse it.
        LONG_HANDLE.setRelease(mem, s + STRIPE_RETIRED, old);
        LONG_HANDLE.setRelease(mem, s + STRIPE_BLOCK, fresh);
        LONG_HANDLE.setRelease(mem, s + STRIPE_PENDING, 0L);
        INT_HANDLE.getAndAdd(mem, s + STRIPE_EPOCH, 1);
        if (old != 0) {
            heap.release(stripe, old);
        } else {
            LONG_HANDLE.setRelease(mem, s + STRIPE_RETIRED, 0L);
        }
        return fresh;
    }

    static int slotsFor(long entries) {
        long wanted = Math.max(MIN_SLOTS, entries * 2);
        if (wanted > MAX_SLOTS) {
            throw new IllegalStateException("a map stripe cannot hold more than " + MAX_SLOTS / 2 + " entries");
        }
        return Integer.highestOneBit((int) wanted - 1) << 1;
    }

    /** Writes the new block's header and table and copies the live records of {@code old} into it. */
    private void fill(MemorySegment mem, long old, long fresh, int stripe, int slots) {
        long size = classSize(mem.get(INT, fresh + BLOCK_CLASS));
        mem.set(INT, fresh + BLOCK_STRIPE, stripe);
        mem.set(INT, fresh + BLOCK_SLOTS, slots);
        mem.asSlice(fresh + BLOCK_TABLE, 8L * slots).fill((byte) 0);
        long cursor = BLOCK_TABLE + 8L * slots;
        long count = 0;
        long mask = slots - 1;
        if (old != 0) {
            int oldSlots = slots(mem, old);
            for (long i = 0; i < oldSlots; i++) {
                long slot = mem.get(LONG, old + BLOCK_TABLE + 8 * i);
                if (slot == EMPTY || slot == TOMBSTONE) {
                    continue;
                }
                long record = record(mem, old, slot);
                long bytes = recordSize(keyLength(mem, record), valueLength(mem, record));
                if (cursor + bytes > size || count >= slots / 2 + 1) {
                    throw memory.corrupt("block " + old + " of stripe " + stripe
                            + ": holds more than its counters say");
                }
                long hash = mem.get(LONG, record + RECORD_HASH);
                MemorySegment.copy(mem, record, mem, fresh + cursor, bytes);
                long index = hash & mask;
                while (mem.get(LONG, fresh + BLOCK_TABLE + 8 * index) != EMPTY) {
                    index = (index + 1) & mask;
                }
                mem.set(LONG, fresh + BLOCK_TABLE + 8 * index, slot(hash, cursor));
                cursor += bytes;
                count++;
            }
        }
        mem.set(LONG, fresh + BLOCK_CURSOR, cursor);
        mem.set(INT, fresh + BLOCK_COUNT, (int) count);
        mem.set(INT, fresh + BLOCK_TOMBSTONES, 0);
        mem.set(LONG, fresh + BLOCK_LIVE_BYTES, cursor - BLOCK_TABLE - 8L * slots);
    }

    /** Empties the stripe: its block is retired and freed. Caller holds the stripe lock. */
    void clearLocked(int stripe) {
        long s = stripeOffset(stripe);
        MemorySegment mem = memory.current();
        long old = blockOf(mem, s);
        if (old == 0) {
            return;
        }
        LONG_HANDLE.setRelease(mem, s + STRIPE_RETIRED, old);
        LONG_HANDLE.setRelease(mem, s + STRIPE_BLOCK, 0L);
        INT_HANDLE.getAndAdd(mem, s + STRIPE_EPOCH, 1);
        signalChange(mem, s);
        heap.release(stripe, old);
    }

    /** Presizes an empty stripe for {@code entries} entries of {@code bytes} record bytes. Lock held. */
    void presizeLocked(int stripe, int entries, long bytes) {
        if (blockOf(memory.current(), stripeOffset(stripe)) == 0) {
            rebuild(stripe, bytes, entries);
        }
    }

    /**
     * Puts right what a dead holder of the stripe lock left: the epoch moves (a reader may be in a
     * block the dead writer retired), blocks it named but did not publish or free are dropped and
     * the free lists rebuilt, and the block's counters are recounted from its table.
     */
    private void repair(int stripe) {
        long s = stripeOffset(stripe);
        MemorySegment mem = memory.current();
        INT_HANDLE.getAndAdd(mem, s + STRIPE_EPOCH, 1);
        long b = blockOf(mem, s);
        long pending = (long) LONG_HANDLE.getVolatile(mem, s + STRIPE_PENDING);
        long retired = (long) LONG_HANDLE.getVolatile(mem, s + STRIPE_RETIRED);
        boolean dropped = (pending != 0 && pending != b) || (retired != 0 && retired != b);
        LONG_HANDLE.setRelease(mem, s + STRIPE_PENDING, 0L);
        LONG_HANDLE.setRelease(mem, s + STRIPE_RETIRED, 0L);
        if (b != 0) {
            recount(block(mem, b, stripe), b);
        }
        if (dropped) {
            heap.rebuild();
        }
        signalChange(mem, s);
    }

    private void recount(MemorySegment mem, long b) {
        int slots = slots(mem, b);
        long cursor = cursor(mem, b);
        int count = 0;
        int tombstones = 0;
        long live = 0;
        for (long i = 0; i < slots; i++) {
            long slot = mem.get(LONG, b + BLOCK_TABLE + 8 * i);
            if (slot == TOMBSTONE) {
                tombstones++;
            } else if (slot != EMPTY) {
                long record = record(mem, b, slot);
                long bytes = recordSize(keyLength(mem, record), valueLength(mem, record));
                if (record - b + bytes > cursor) {
                    throw memory.corrupt("block " + b + ": record at " + record + " lies past the cursor " + cursor);
                }
                count++;
                live += bytes;
            }
        }
        mem.set(INT, b + BLOCK_COUNT, count);
        mem.set(INT, b + BLOCK_TOMBSTONES, tombstones);
        mem.set(LONG, b + BLOCK_LIVE_BYTES, live);
    }

    /** Reads every entry of a stripe whose lock the caller holds. */
    void readLocked(int stripe, EntrySink sink) {
        MemorySegment mem = memory.current();
        long b = blockOf(mem, stripeOffset(stripe));
        if (b == 0) {
            return;
        }
        mem = block(mem, b, stripe);
        List<byte[]> copy = new ArrayList<>();
        collect(mem, b, copy);
        for (int i = 0; i < copy.size(); i += 2) {
            sink.accept(copy.get(i), copy.get(i + 1));
        }
    }

    int stripes() {
        return stripes;
    }

    SharedMutex lockOf(int stripe) {
        return locks[stripe];
    }

    BlockHeap heap() {
        return heap;
    }
}
