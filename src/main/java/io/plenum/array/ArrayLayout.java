package io.plenum.array;

import io.plenum.segment.SegmentFormatException;
import io.plenum.segment.SegmentHeader;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Seqlock;
import io.plenum.sync.SharedMutex;
import io.plenum.sync.SharedRwLock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The memory of a shared array segment, every offset from the start of the segment.
 *
 * <pre>
 *   0                                                             128
 *   +---------------------------------------------------------------+
 *   | common SegmentHeader: magic 'PLAR', version, variant (the     |
 *   | ElementType), elementSize, capacity, sizes, state ...         |
 *   +---------------------------------------------------------------+
 * 128  array descriptor, written once at creation
 *   0               4               8                               16
 *   +---------------+---------------+-------------------------------+
 *   | stride u32    | ownerEntries  | ownerTableOffset u64          |
 *   +---------------+---------------+-------------------------------+
 *  16                               24                              32
 *   | rwLockOffset u64              | seqlockOffset u64             |
 *   +-------------------------------+-------------------------------+
 *  32                               40                              64
 *   | dataOffset u64                | dataBytes u64 | reserved, zero|
 *   +-------------------------------+---------------+---------------+
 * 192  seqlock      Seqlock.SIZE (32) bytes, alone on its cache line: every bulk reader polls it
 * 256  rwLock       SharedRwLock.bytesFor(ownerEntries) bytes, from a new cache line
 *      owner table  OwnerTable.bytesFor(ownerEntries) bytes, from a new cache line: who holds the locks
 *      (ownerEntries = 64; every part is drawn in its own class of io.plenum.sync)
 * dataOffset (a multiple of 64)
 *   +---------------+---------------+-----     -----+---------------+
 *   | element 0     | element 1     |      ...      | zero padding  |
 *   +---------------+---------------+-----     -----+---------------+
 *   element i at dataOffset + i * stride; dataBytes = capacity * stride rounded up to 8
 * </pre>
 *
 * Numeric elements: {@code stride} = the element size (1, 2, 4 or 8), little-endian, naturally
 * aligned. The padding to 8 bytes lets 8- and 16-bit atomics work on the aligned 32-bit word that
 * contains the element, even for the last one.
 *
 * <p>{@link ElementType#STR} elements, {@code maxLength} = the header's {@code elementSize}:
 * <pre>
 *   0               4                               4 + maxLength    stride
 *   +---------------+-------------------------------+----------------+
 *   | length u32    | bytes (length of them count)  | zero padding   |
 *   +---------------+-------------------------------+----------------+
 *   stride = 4 + maxLength rounded up to 4
 * </pre>
 * The stored length is the value's real length, so every byte survives, trailing NULs included.
 *
 * <p>The descriptor repeats what follows from the header, so that another language finds every part
 * without this code; an opener checks that it matches what this code computes and refuses the
 * segment otherwise.
 */
public final class ArrayLayout {
    public static final long DESCRIPTOR_OFFSET = SegmentHeader.BODY_OFFSET;
    public static final long STRIDE_OFFSET = DESCRIPTOR_OFFSET;
    public static final long OWNER_ENTRIES_OFFSET = DESCRIPTOR_OFFSET + 4;
    public static final long OWNER_TABLE_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 8;
    public static final long RW_LOCK_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 16;
    public static final long SEQLOCK_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 24;
    public static final long DATA_OFFSET_OFFSET = DESCRIPTOR_OFFSET + 32;
    public static final long DATA_BYTES_OFFSET = DESCRIPTOR_OFFSET + 40;
    public static final long DESCRIPTOR_SIZE = 64;

    /** A string element starts with its length. */
    public static final int STRING_LENGTH_SIZE = 4;
    /** The largest {@code maxLength} of a string element. */
    public static final int MAX_STRING_LENGTH = 1 << 24;
    /** Elements are indexed by {@code int}, like Java arrays. */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    static final long CACHE_LINE = 64;
    /** Owner table entries: processes that may hold this array's locks at the same time. */
    static final int OWNER_ENTRIES = SharedMutex.DEFAULT_OWNER_ENTRIES;
    static final long SEQLOCK_SIZE = Seqlock.SIZE;
    static final long RW_LOCK_SIZE = SharedRwLock.bytesFor(OWNER_ENTRIES);
    static final long OWNER_TABLE_SIZE = OwnerTable.bytesFor(OWNER_ENTRIES);

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private final ElementType type;
    private final int capacity;
    private final int elementSize;
    private final int stride;
    private final long seqlockOffset;
    private final long rwLockOffset;
    private final long ownerTableOffset;
    private final long dataOffset;
    private final long dataBytes;

    private ArrayLayout(ElementType type, int capacity, int elementSize) {
        this.type = type;
        this.capacity = capacity;
        this.elementSize = elementSize;
        this.stride = type == ElementType.STR
                ? (int) align(STRING_LENGTH_SIZE + (long) elementSize, 4)
                : elementSize;
        this.seqlockOffset = DESCRIPTOR_OFFSET + DESCRIPTOR_SIZE;
        this.rwLockOffset = seqlockOffset + align(SEQLOCK_SIZE, CACHE_LINE);
        this.ownerTableOffset = rwLockOffset + align(RW_LOCK_SIZE, CACHE_LINE);
        this.dataOffset = ownerTableOffset + align(OWNER_TABLE_SIZE, CACHE_LINE);
        this.dataBytes = align((long) capacity * stride, 8);
    }

    /**
     * The layout of an array of {@code capacity} elements of {@code type}; {@code elementSize} is the
     * type's size, or the string width for {@link ElementType#STR}.
     *
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public static ArrayLayout of(ElementType type, long capacity, int elementSize) {
        if (type == null) {
            throw new IllegalArgumentException("element type is required");
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
        }
        if (type == ElementType.STR) {
            if (elementSize < 1 || elementSize > MAX_STRING_LENGTH) {
                throw new IllegalArgumentException("maxLength of a string element must be 1.."
                        + MAX_STRING_LENGTH + " bytes: " + elementSize);
            }
        } else if (elementSize != type.size()) {
            throw new IllegalArgumentException("elementSize of " + type + " must be " + type.size() + ": " + elementSize);
        }
        ArrayLayout layout = new ArrayLayout(type, (int) capacity, elementSize);
        if (layout.dataOffset + layout.dataBytes < 0 || layout.dataBytes / layout.stride < capacity) {
            throw new IllegalArgumentException(type + " array of capacity " + capacity + " is too large for one segment");
        }
        return layout;
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Bytes after the common header. */
    long bodySize() {
        return dataOffset + dataBytes - SegmentHeader.BODY_OFFSET;
    }

    /** Writes the descriptor of a new, zeroed segment. */
    void writeDescriptor(MemorySegment memory) {
        memory.set(INT, STRIDE_OFFSET, stride);
        memory.set(INT, OWNER_ENTRIES_OFFSET, OWNER_ENTRIES);
        memory.set(LONG, OWNER_TABLE_OFFSET_OFFSET, ownerTableOffset);
        memory.set(LONG, RW_LOCK_OFFSET_OFFSET, rwLockOffset);
        memory.set(LONG, SEQLOCK_OFFSET_OFFSET, seqlockOffset);
        memory.set(LONG, DATA_OFFSET_OFFSET, dataOffset);
        memory.set(LONG, DATA_BYTES_OFFSET, dataBytes);
    }

    /**
     * Checks that the descriptor of an existing segment says what this layout computes.
     *
     * @throws SegmentFormatException naming {@code where} and the first field that differs
     */
    void checkDescriptor(MemorySegment memory, String where) {
        checkField(where, "stride", memory.get(INT, STRIDE_OFFSET), stride);
        checkField(where, "ownerEntries", memory.get(INT, OWNER_ENTRIES_OFFSET), OWNER_ENTRIES);
        checkField(where, "ownerTableOffset", memory.get(LONG, OWNER_TABLE_OFFSET_OFFSET), ownerTableOffset);
        checkField(where, "rwLockOffset", memory.get(LONG, RW_LOCK_OFFSET_OFFSET), rwLockOffset);
        checkField(where, "seqlockOffset", memory.get(LONG, SEQLOCK_OFFSET_OFFSET), seqlockOffset);
        checkField(where, "dataOffset", memory.get(LONG, DATA_OFFSET_OFFSET), dataOffset);
        checkField(where, "dataBytes", memory.get(LONG, DATA_BYTES_OFFSET), dataBytes);
    }

    private static void checkField(String where, String field, long found, long expected) {
        if (found != expected) {
            throw new SegmentFormatException(where + ": array descriptor field " + field + ": " + found
                    + ", expected " + expected + "; the segment is corrupt or of another format");
        }
    }

    public ElementType type() {
        return type;
    }

    public int capacity() {
        return capacity;
    }

    /** The element size, or for {@link ElementType#STR} the largest number of bytes of a value. */
    public int elementSize() {
        return elementSize;
    }

    /** Bytes from one element to the next. */
    public int stride() {
        return stride;
    }

    public long seqlockOffset() {
        return seqlockOffset;
    }

    public long rwLockOffset() {
        return rwLockOffset;
    }

    public long ownerTableOffset() {
        return ownerTableOffset;
    }

    public int ownerEntries() {
        return OWNER_ENTRIES;
    }

    public long dataOffset() {
        return dataOffset;
    }

    /** The bytes of the data area: {@code capacity * stride}, rounded up to 8. */
    public long dataBytes() {
        return dataBytes;
    }
}
