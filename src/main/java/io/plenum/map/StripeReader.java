package io.plenum.map;

import static io.plenum.map.MapLayout.*;

import io.plenum.segment.SegmentFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Probing a stripe's block, for lock-free readers and for writers alike. Nothing read from shared
 * memory is trusted: every slot, record offset and length is checked against the block and the
 * map's limits before it is used, and every probe loop is bounded by the table size. A check that
 * fails throws {@link SegmentFormatException}; a reader then re-reads the stripe's epoch and
 * retries if a writer retired the block meanwhile (the bytes were torn, not corrupt).
 */
class StripeReader {
    static final VarHandle INT_HANDLE = INT.varHandle();
    static final VarHandle LONG_HANDLE = LONG.varHandle();
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** {@link #WORD} as an aligned, atomic access: an in-place 8-byte value (see {@link MapLayout}). */
    static final VarHandle ALIGNED_WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    /** {@link MapLayout#INT} without the alignment test, for reads whose alignment is checked. */
    static final ValueLayout.OfInt INT_U = ValueLayout.JAVA_INT_UNALIGNED.withOrder(INT.order());

    final MapMemory memory;
    final int stripes;
    final int stripeShift;
    final long seed;
    final long heapOffset;
    final int maxKeySize;
    final int maxValueSize;

    StripeReader(MapMemory memory, int stripes, long seed, long heapOffset, int maxKeySize, int maxValueSize) {
        this.memory = memory;
        this.stripes = stripes;
        this.stripeShift = 64 - Integer.numberOfTrailingZeros(stripes);
        this.seed = seed;
        this.heapOffset = heapOffset;
        this.maxKeySize = maxKeySize;
        this.maxValueSize = maxValueSize;
    }

    final int stripeOf(long hash) {
        return stripes == 1 ? 0 : (int) (hash >>> stripeShift);
    }

    /** A mapping covering all of block {@code b}, whose magic, class and table size are checked. */
    final MemorySegment block(MemorySegment mem, long b, int stripe) {
        if (b < heapOffset || (b & 7) != 0) {
            throw memory.corrupt("stripe " + stripe + " field block: " + b);
        }
        if (b > mem.byteSize() - BLOCK_TABLE) {
            mem = memory.covering(b, BLOCK_TABLE, "stripe " + stripe + " field block");
        }
        int c = mem.get(INT, b + BLOCK_CLASS);
        if (mem.get(INT, b + BLOCK_MAGIC_OFFSET) != BLOCK_MAGIC || c < 0 || c >= CLASSES) {
            throw memory.corrupt("block " + b + " of stripe " + stripe + ": magic or class " + c);
        }
        long size = classSize(c);
        if (b > mem.byteSize() - size) {
            mem = memory.covering(b, size, "block " + b + " of stripe " + stripe);
        }
        int slots = mem.get(INT, b + BLOCK_SLOTS);
        if (slots < MIN_SLOTS || slots > MAX_SLOTS || Integer.bitCount(slots) != 1
                || BLOCK_TABLE + 8L * slots > size) {
            throw memory.corrupt("block " + b + " of stripe " + stripe + " field slots: " + slots);
        }
        return mem;
    }

    static long size(MemorySegment mem, long b) {
        return classSize(mem.get(INT, b + BLOCK_CLASS));
    }

    static int slots(MemorySegment mem, long b) {
        return mem.get(INT, b + BLOCK_SLOTS);
    }

    /**
     * The absolute offset of the record of the key in block {@code b} (checked by {@link #block}),
     * or -1. The key is {@code key[0..length)}, or, when {@code key} is null, the 8-byte
     * little-endian {@code longKey}.
     */
    final long find(MemorySegment mem, long b, byte[] key, int length, long longKey, long hash) {
        int slots = slots(mem, b);
        long mask = slots - 1;
        long tag = tag(hash);
        long index = hash & mask;
        for (int probes = 0; probes < slots; probes++) {
            long slot = (long) LONG_HANDLE.getAcquire(mem, b + BLOCK_TABLE + 8 * index);
            if (slot == EMPTY) {
                return -1;
            }
            if (slot != TOMBSTONE && (slot & TAG_MASK) == tag) {
                long record = record(mem, b, slot);
                if (matches(mem, record, key, length, longKey, hash)) {
                    return record;
                }
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    /** {@link #findLong}: no record of the key. */
    static final long ABSENT = -1;
    /** {@link #findLong}: the key's record holds a value that is not 8 bytes long. */
    static final long WRONG_LENGTH = -2;
    /**
     * {@link #findLong}: the block is not wholly inside {@code mem} or its header fails a check;
     * the caller takes the general path ({@link #block}, which remaps or names the corruption).
     */
    static final long SLOW = -3;

    /**
     * The hot path of {@code getLong}: the record of the 8-byte key {@code key} in block {@code b},
     * whose value is 8 bytes at {@code record + RECORD_KEY + 8}; or {@link #ABSENT},
     * {@link #WRONG_LENGTH} or {@link #SLOW}. Reads the block header in two loads and a candidate
     * record in two (its lengths as one u64, then its key) plus the value: an equal 8-byte key is
     * the match, so the stored hash is not read. Every offset is checked before it is used, as in
     * {@link #find}; all reads are 8- or 4-aligned by those checks, so unaligned layouts (which
     * skip the alignment test) are exact here.
     */
    final long findLong(MemorySegment mem, long b, long key, long hash) {
        long end = mem.byteSize();
        if (b < heapOffset || (b & 7) != 0 || b > end - BLOCK_TABLE) {
            return SLOW;
        }
        long head = mem.get(WORD, b + BLOCK_MAGIC_OFFSET); // magic u32, then class u32
        int c = (int) (head >>> 32);
        if ((int) head != BLOCK_MAGIC || c < 0 || c >= CLASSES) {
            return SLOW;
        }
        long size = classSize(c);
        int slots = mem.get(INT_U, b + BLOCK_SLOTS);
        long tableEnd = BLOCK_TABLE + 8L * slots;
        if (b > end - size || slots < MIN_SLOTS || slots > MAX_SLOTS || (slots & (slots - 1)) != 0 || tableEnd > size) {
            return SLOW;
        }
        long mask = slots - 1;
        long tag = tag(hash);
        long index = hash & mask;
        for (int probes = 0; probes < slots; probes++) {
            long slot = (long) LONG_HANDLE.getAcquire(mem, b + BLOCK_TABLE + 8 * index);
            if (slot == EMPTY) {
                return ABSENT;
            }
            if (slot != TOMBSTONE && (slot & TAG_MASK) == tag) {
                long offset = recordOffset(slot);
                if (offset < tableEnd || offset > size - RECORD_KEY - 8) {
                    throw memory.corrupt("block " + b + ": slot names record offset " + offset + " outside the block");
                }
                long record = b + offset;
                long lengths = mem.get(WORD, record + RECORD_KEY_LENGTH); // keyLength u32, then valueLength u32
                if ((int) lengths == 8 && mem.get(WORD, record + RECORD_KEY) == key) {
                    int valueLength = (int) (lengths >>> 32);
                    if (valueLength < 0 || valueLength > maxValueSize || offset + recordSize(8, valueLength) > size) {
                        throw memory.corrupt("record at " + record + ": key length 8, value length " + valueLength
                                + " (maxValueSize " + maxValueSize + ", block ends at " + (b + size) + ")");
                    }
                    return valueLength == 8 ? record : WRONG_LENGTH;
                }
            }
            index = (index + 1) & mask;
        }
        return ABSENT;
    }

    /** The absolute offset of the record a live slot names, with its lengths checked. */
    final long record(MemorySegment mem, long b, long slot) {
        long size = size(mem, b);
        long offset = recordOffset(slot);
        if (offset < BLOCK_TABLE + 8L * slots(mem, b) || offset > size - RECORD_KEY) {
            throw memory.corrupt("block " + b + ": slot names record offset " + offset + " outside the block");
        }
        long record = b + offset;
        int keyLength = mem.get(INT, record + RECORD_KEY_LENGTH);
        int valueLength = mem.get(INT, record + RECORD_VALUE_LENGTH);
        if (keyLength < 0 || keyLength > maxKeySize || valueLength < 0 || valueLength > maxValueSize
                || offset + recordSize(keyLength, valueLength) > size) {
            throw memory.corrupt("record at " + record + ": key length " + keyLength + ", value length "
                    + valueLength + " (maxKeySize " + maxKeySize + ", maxValueSize " + maxValueSize
                    + ", block ends at " + (b + size) + ")");
        }
        return record;
    }

    static boolean matches(MemorySegment mem, long record, byte[] key, int length, long longKey, long hash) {
        if (mem.get(LONG, record + RECORD_HASH) != hash) {
            return false;
        }
        long at = record + RECORD_KEY;
        if (key == null) {
            return mem.get(INT, record + RECORD_KEY_LENGTH) == 8 && mem.get(WORD, at) == longKey;
        }
        if (mem.get(INT, record + RECORD_KEY_LENGTH) != length) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (mem.get(WORD, at + i) != MapHash.word(key, i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (mem.get(ValueLayout.JAVA_BYTE, at + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    static int keyLength(MemorySegment mem, long record) {
        return mem.get(INT, record + RECORD_KEY_LENGTH);
    }

    static int valueLength(MemorySegment mem, long record) {
        return mem.get(INT, record + RECORD_VALUE_LENGTH);
    }

    static long valueOffset(MemorySegment mem, long record) {
        return record + RECORD_KEY + keyLength(mem, record);
    }

    /**
     * A copy of the record's value. The lengths are read again here, and a reader's record may be
     * reused under it (its epoch check then fails): they are checked again before anything is allocated.
     */
    final byte[] copyValue(MemorySegment mem, long record) {
        int length = valueLength(mem, record);
        if (length < 0 || length > maxValueSize || keyLength(mem, record) < 0) {
            throw memory.corrupt("record at " + record + ": value length " + length);
        }
        byte[] value = new byte[length];
        long at = valueOffset(mem, record);
        if (length == 8 && (at & 7) == 0) {
            // Possibly overwritten in place (MapStore.putLong): one 8-byte load sees it whole.
            MapHash.WORD.set(value, 0, (long) ALIGNED_WORD.getAcquire(mem, at));
        } else {
            MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, at, value, 0, value.length);
        }
        return value;
    }

    final byte[] copyKey(MemorySegment mem, long record) {
        int length = keyLength(mem, record);
        if (length < 0 || length > maxKeySize) {
            throw memory.corrupt("record at " + record + ": key length " + length);
        }
        byte[] key = new byte[length];
        MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, record + RECORD_KEY, key, 0, key.length);
        return key;
    }

    /** The stripe's epoch (acquire): readers take it before anything else they read of the stripe. */
    static int epoch(MemorySegment mem, long stripeOffset) {
        return (int) INT_HANDLE.getAcquire(mem, stripeOffset + STRIPE_EPOCH);
    }

    /** True when no block of the stripe was retired since the reader took {@code epoch}. */
    static boolean unchanged(MemorySegment mem, long stripeOffset, int epoch) {
        VarHandle.acquireFence();
        return (int) INT_HANDLE.getAcquire(mem, stripeOffset + STRIPE_EPOCH) == epoch;
    }

    static long blockOf(MemorySegment mem, long stripeOffset) {
        return (long) LONG_HANDLE.getAcquire(mem, stripeOffset + STRIPE_BLOCK);
    }

    static void backOff(int attempt) {
        if (attempt < 16) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
