package io.plenum.map;

import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.SharedMutex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The memory layout of a shared map: every offset of the format, named once. Offsets in the first
 * diagram are from the start of the segment; a block's and a record's offsets are from the start
 * of the block.
 *
 * <pre>
 *   128  descriptor (256 bytes, written once at creation)
 *     0               4               8               12              16
 *     +---------------+---------------+---------------+---------------+
 *     | maxKeySize u32| stripes u32   | ownerEntries  | reserved, zero|
 *     +---------------+---------------+---------------+---------------+
 *    16                               24                              32
 *     | hashSeed u64                  | stripesOffset u64             |
 *     +-------------------------------+-------------------------------+
 *    32                               40                              64
 *     | ownerTableOffset u64          | heapOffset u64 | reserved     |
 *     +-------------------------------+----------------+--------------+
 *    64  keyCodec name: length u8, then up to 63 bytes of UTF-8
 *   128  valueCodec name: length u8, then up to 63 bytes of UTF-8
 *   192  reserved, zero (64 bytes)
 *   384  allocator (64 bytes)
 *     0               16              24              32              40              48              56             64
 *     | lock (mutex)  | top u64       | rebuilds u64  | growths u64   | blocks u64    | freeBytes u64 | mergedAt u64 |
 *     +---------------+---------------+---------------+---------------+---------------+---------------+--------------+
 *     top: end of the carved heap; rebuilds: free-list rebuilds after a crash; growths: times the
 *     segment grew; blocks: blocks handed out (each one a stripe rebuild); freeBytes: bytes on the
 *     free lists; mergedAt: freeBytes right after the last merge of adjacent free blocks
 *   448  free block lists: CLASSES x u64, the first free block of each size class (0: none)
 *   960  stripes: stripes x 64 bytes
 *     0               16              20              24              28              32
 *     | lock (mutex)  | changes u32   | waiters u32   | epoch u32     | reserved u32  |
 *     +---------------+---------------+---------------+---------------+---------------+
 *    32               40              48              56              64
 *     | block u64     | pending u64   | retired u64   | reserved u64  |
 *     +---------------+---------------+---------------+---------------+
 *   960 + 64 x stripes: owner table (OwnerTable.bytesFor(ownerEntries)), then to a 64-byte line
 *   heapOffset: the heap: blocks, one after the other, up to the allocator's top
 *
 *   block (size classSize(class), at an 8-aligned offset in the heap)
 *     0               4               8               12              16
 *     | magic "PLMB"  | class u32     | stripe u32    | slots u32     |
 *     +---------------+---------------+---------------+---------------+
 *    16                               24              28              32
 *     | cursor u64                    | count u32     | tombstones u32|
 *     +-------------------------------+---------------+---------------+
 *    32                               40                              48           64
 *     | liveBytes u64                 | nextFree u64                  | reserved   |
 *     +-------------------------------+-------------------------------+------------+
 *    64  table: slots x u64 (slots a power of two)
 *    64 + 8 x slots: records, bump-allocated up to cursor
 *
 *   slot u64: 0 empty, 1 removed (tombstone), else tag (bits 40..63) | recordOffset >>> 3 (bits 0..39)
 *
 *   record (at an 8-aligned offset of its block, immutable once its slot points at it)
 *     0               4               8                               16
 *     | keyLength u32 | valueLength   | hash u64                      | key bytes, value bytes,
 *     +---------------+---------------+-------------------------------+ zeros to 8 bytes
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A stripe's {@code block} is 0 (empty stripe) or a block whose header and table are
 *       complete: it is stored with release ordering after they are written.</li>
 *   <li>A record is written completely before the release store of the slot that points at it, and
 *       never changes while its block is a stripe's {@code block}: readers need no lock for it. One
 *       exception: the 8-byte value of a record with an 8-byte key (8-aligned, at record + 24) may
 *       be overwritten in place, under the stripe lock, by one aligned 8-byte store; every reader
 *       reads such a value with one 8-byte load, so it sees the old value or the new, whole.</li>
 *   <li>Space is only reused a block at a time: a block leaves its stripe (a rebuild or a clear)
 *       by the stores {@code retired = old}, {@code block = new}, {@code epoch += 1}, and only then
 *       goes to a free list. A reader that saw the same {@code epoch} before and after its reads
 *       read a block that was never reused meanwhile.</li>
 *   <li>Every heap block is a stripe's {@code block}, {@code pending} or {@code retired}, or on
 *       a free list, or (after a crash) referenced by nothing; the allocator's rebuild recomputes
 *       the free lists from the stripes' references, so a crash leaks nothing for good.</li>
 *   <li>A block's writer-side header fields ({@code cursor}, {@code count}, {@code tombstones},
 *       {@code liveBytes}) change under the stripe lock; a writer that recovers the lock from a
 *       dead holder recounts them from the table.</li>
 * </ul>
 */
public final class MapLayout implements SegmentKind {
    public static final int MAGIC = SegmentHeader.magic("PLMA");
    /** 2: an 8-byte value after an 8-byte key may be overwritten in place (see the invariants). */
    public static final int VERSION = 2;
    /** The header's variant: byte keys and byte values. */
    public static final int VARIANT = 1;

    // ---- descriptor (from the segment start)
    public static final long DESCRIPTOR_OFFSET = SegmentHeader.BODY_OFFSET;
    public static final long MAX_KEY_SIZE_OFFSET = DESCRIPTOR_OFFSET;
    public static final long STRIPES_OFFSET_FIELD = DESCRIPTOR_OFFSET + 4;
    public static final long OWNER_ENTRIES_OFFSET = DESCRIPTOR_OFFSET + 8;
    public static final long HASH_SEED_OFFSET = DESCRIPTOR_OFFSET + 16;
    public static final long STRIPES_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 24;
    public static final long OWNER_TABLE_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 32;
    public static final long HEAP_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 40;
    public static final long KEY_CODEC_OFFSET = DESCRIPTOR_OFFSET + 64;
    public static final long VALUE_CODEC_OFFSET = DESCRIPTOR_OFFSET + 128;
    public static final int CODEC_NAME_BYTES = 64;
    public static final long DESCRIPTOR_SIZE = 256;

    // ---- allocator
    public static final long ALLOCATOR_OFFSET = DESCRIPTOR_OFFSET + DESCRIPTOR_SIZE;
    public static final long ALLOCATOR_LOCK_OFFSET = ALLOCATOR_OFFSET;
    public static final long TOP_OFFSET = ALLOCATOR_OFFSET + 16;
    public static final long REBUILDS_OFFSET = ALLOCATOR_OFFSET + 24;
    public static final long GROWTHS_OFFSET = ALLOCATOR_OFFSET + 32;
    public static final long BLOCKS_OFFSET = ALLOCATOR_OFFSET + 40;
    public static final long FREE_BYTES_OFFSET = ALLOCATOR_OFFSET + 48;
    public static final long MERGED_AT_OFFSET = ALLOCATOR_OFFSET + 56;
    public static final int CLASSES = 64;
    public static final long FREE_LISTS_OFFSET = ALLOCATOR_OFFSET + 64;
    public static final long STRIPES_OFFSET = FREE_LISTS_OFFSET + 8L * CLASSES;

    // ---- stripe (from the stripe's start)
    public static final long STRIPE_SIZE = 64;
    public static final long STRIPE_LOCK = 0;
    public static final long STRIPE_CHANGES = 16;
    public static final long STRIPE_EPOCH = 24;
    public static final long STRIPE_BLOCK = 32;
    public static final long STRIPE_PENDING = 40;
    public static final long STRIPE_RETIRED = 48;

    // ---- block (from the block's start)
    public static final int BLOCK_MAGIC = SegmentHeader.magic("PLMB");
    public static final long BLOCK_MAGIC_OFFSET = 0;
    public static final long BLOCK_CLASS = 4;
    public static final long BLOCK_STRIPE = 8;
    public static final long BLOCK_SLOTS = 12;
    public static final long BLOCK_CURSOR = 16;
    public static final long BLOCK_COUNT = 24;
    public static final long BLOCK_TOMBSTONES = 28;
    public static final long BLOCK_LIVE_BYTES = 32;
    public static final long BLOCK_NEXT_FREE = 40;
    public static final long BLOCK_TABLE = 64;
    public static final int MIN_SLOTS = 8;
    /** Largest table: 2^30 slots. */
    public static final int MAX_SLOTS = 1 << 30;

    // ---- slot
    public static final long EMPTY = 0;
    public static final long TOMBSTONE = 1;
    public static final long TAG_MASK = 0xFFFF_FF00_0000_0000L;
    public static final long OFFSET_MASK = 0x0000_00FF_FFFF_FFFFL;

    // ---- record (from the record's start)
    public static final long RECORD_KEY_LENGTH = 0;
    public static final long RECORD_VALUE_LENGTH = 4;
    public static final long RECORD_HASH = 8;
    public static final long RECORD_KEY = 16;

    // ---- limits and defaults
    public static final int DEFAULT_STRIPES = 64;
    public static final int MAX_STRIPES = 4096;
    public static final int OWNER_ENTRIES = 128;
    public static final int DEFAULT_MAX_KEY_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;
    public static final int MAX_SIZE_LIMIT = 1 << 30;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private final int maxKeySize;
    private final String keyCodec;
    private final String valueCodec;
    private final long hashSeed;

    /** The kind as a creator writes it; {@code maxKeySize} and the codec names go into the descriptor. */
    MapLayout(int maxKeySize, String keyCodec, String valueCodec, long hashSeed) {
        this.maxKeySize = maxKeySize;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.hashSeed = hashSeed;
    }

    @Override
    public String name() {
        return "map";
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
    public boolean growable() {
        return true;
    }

    /** capacity = stripes (a power of two, 1..MAX_STRIPES), elementSize = maxValueSize. */
    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        if (variant != VARIANT) {
            throw new IllegalArgumentException("map variant must be " + VARIANT + ": " + variant);
        }
        checkStripes(capacity);
        if (elementSize < 1 || elementSize > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxValueSize must be 1.." + MAX_SIZE_LIMIT + ": " + elementSize);
        }
        return heapOffset((int) capacity) - SegmentHeader.BODY_OFFSET;
    }

    static void checkStripes(long stripes) {
        if (stripes < 1 || stripes > MAX_STRIPES || Long.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two 1.." + MAX_STRIPES + ": " + stripes);
        }
    }

    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        int stripes = (int) header.capacity();
        memory.set(INT, MAX_KEY_SIZE_OFFSET, maxKeySize);
        memory.set(INT, STRIPES_OFFSET_FIELD, stripes);
        memory.set(INT, OWNER_ENTRIES_OFFSET, OWNER_ENTRIES);
        memory.set(LONG, HASH_SEED_OFFSET, hashSeed);
        memory.set(LONG, STRIPES_OFFSET_OFFSET, STRIPES_OFFSET);
        memory.set(LONG, OWNER_TABLE_OFFSET_OFFSET, ownerTableOffset(stripes));
        memory.set(LONG, HEAP_OFFSET_OFFSET, heapOffset(stripes));
        writeName(memory, KEY_CODEC_OFFSET, keyCodec);
        writeName(memory, VALUE_CODEC_OFFSET, valueCodec);
        memory.set(LONG, TOP_OFFSET, heapOffset(stripes));
        for (int i = 0; i < stripes; i++) {
            SharedMutex.initialize(memory, stripeOffset(i) + STRIPE_LOCK);
        }
        SharedMutex.initialize(memory, ALLOCATOR_LOCK_OFFSET);
        OwnerTable.initialize(memory, ownerTableOffset(stripes), OWNER_ENTRIES);
    }

    static long stripeOffset(int stripe) {
        return STRIPES_OFFSET + STRIPE_SIZE * stripe;
    }

    static long ownerTableOffset(int stripes) {
        return STRIPES_OFFSET + STRIPE_SIZE * stripes;
    }

    static long heapOffset(int stripes) {
        return align64(ownerTableOffset(stripes) + OwnerTable.bytesFor(OWNER_ENTRIES));
    }

    static long align64(long value) {
        return (value + 63) & ~63L;
    }

    static long align8(long value) {
        return (value + 7) & ~7L;
    }

    /**
     * Bytes of a block of size class {@code c}: 1 KiB, then 2, 3, 4, 6, 8, 12, 16 … KiB (2 and 3 KiB
     * times 2^k). Every size is a multiple of 1 KiB, so any run of adjacent free blocks can be cut
     * into whole blocks again.
     */
    static long classSize(int c) {
        if (c == 0) {
            return 1024;
        }
        return ((c & 1) == 1 ? 2048L : 3072L) << ((c - 1) >>> 1);
    }

    /** The largest class whose blocks fit in {@code bytes} (at least 1 KiB). */
    static int largestClassWithin(long bytes) {
        int c = 0;
        while (c + 1 < CLASSES && classSize(c + 1) <= bytes) {
            c++;
        }
        return c;
    }

    /** The smallest class whose blocks hold {@code bytes}. */
    static int classFor(long bytes) {
        for (int c = 0; c < CLASSES; c++) {
            if (classSize(c) >= bytes) {
                return c;
            }
        }
        throw new IllegalArgumentException("a map block of " + bytes + " bytes is larger than the largest class");
    }

    /** The bytes a record of this key and value takes, header and padding included. */
    static long recordSize(long keyLength, long valueLength) {
        return align8(RECORD_KEY + keyLength + valueLength);
    }

    static long slot(long hash, long recordOffset) {
        return tag(hash) | (recordOffset >>> 3);
    }

    /** Bits 32..55 of the hash as the slot tag (the stripe takes the top bits, the index the low ones). */
    static long tag(long hash) {
        return (hash << 8) & TAG_MASK;
    }

    static long recordOffset(long slot) {
        return (slot & OFFSET_MASK) << 3;
    }

    private static void writeName(MemorySegment memory, long offset, String name) {
        byte[] bytes = codecNameBytes(name);
        memory.set(ValueLayout.JAVA_BYTE, offset, (byte) bytes.length);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, offset + 1, bytes.length);
    }

    /** A codec's name as stored: its UTF-8, cut to 63 bytes. */
    static byte[] codecNameBytes(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > CODEC_NAME_BYTES - 1) {
            bytes = java.util.Arrays.copyOf(bytes, CODEC_NAME_BYTES - 1);
        }
        return bytes;
    }

    static String readName(MemorySegment memory, long offset) {
        int length = Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, offset));
        if (length > CODEC_NAME_BYTES - 1) {
            return null;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset + 1, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
