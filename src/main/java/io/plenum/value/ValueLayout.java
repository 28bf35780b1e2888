package io.plenum.value;

import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.SharedMutex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfLong;

/**
 * The memory layout of a shared value: the segment's body after the 128-byte common header. Every
 * offset is from the start of the segment; areas start on a 64-byte cache line; little-endian.
 *
 * <pre>
 *   128              132              136              140              144
 *    +----------------+----------------+----------------+----------------+
 *    | writer u32     | waiters u32    | holderThread   | recoveries u32 |   writer lock (SharedMutex)
 *    +----------------+----------------+----------------+----------------+
 *   144              148              152                                160
 *    | change u32     | waiters u32    | descriptor u64                  |   change: a wait word
 *    +----------------+----------------+---------------------------------+
 *   160                                168                               176
 *    | version u64                     | grows u64                       |
 *    +---------------------------------+---------------------------------+
 *   176                                184                               192
 *    | buffer 0 offset u64             | buffer 0 capacity u64           |   where each buffer is now
 *    +---------------------------------+---------------------------------+
 *   192                                200                               208
 *    | buffer 1 offset u64             | buffer 1 capacity u64           |   (zero-padded to 256)
 *    +---------------------------------+---------------------------------+
 *   256
 *    +-------------------------------------------------------------------+
 *    | owner table: OwnerTable.bytesFor(OWNER_ENTRIES), padded to 64      |   processes
 *    +-------------------------------------------------------------------+
 *   FIRST_BUFFER_OFFSET                 a buffer: (8 + capacity) bytes, 64-aligned
 *    +------------------+------------------------------------------------+
 *    | stamp u64        | the encoded value: descriptor.length bytes     |   buffer 0, then buffer 1;
 *    +------------------+------------------------------------------------+   regrown buffers at the end
 * </pre>
 *
 * <h2>Descriptor</h2>
 * {@code descriptor} is the published value in one word: bits 63..32 the low 32 bits of its
 * version, bit 31 {@link #PRESENT}, bits 30..0 its length. 0 means "no value yet" (an empty value
 * is {@code PRESENT | 0}). Version {@code v} lives in buffer {@code v & 1}, so a writer always
 * writes the buffer the descriptor does not point to.
 *
 * <h2>Write protocol (under the writer lock)</h2>
 * With {@code next = version + 1} and {@code b = next & 1}: (1) if buffer {@code b} is too small,
 * grow the segment and move buffer {@code b} to the new end (its old area is never written again);
 * (2) store {@code stamp(b) = next | WRITING}, a store-store fence; (3) copy the encoding;
 * (4) {@code stamp(b) = next} (release); (5) {@code version = next} (release); (6)
 * {@code descriptor} (release): the publication; (7) {@code change} += 1 and wake its waiters.
 * {@code change} is a pure signal: waiters compare the version, and sleep on {@code change} only
 * while the version is the one they wait to leave. So a write whose wake finds nobody asleep
 * although someone is counted (a waiter JVM killed asleep) may restart the count in a new epoch,
 * as {@link io.plenum.sync.Waiting} describes.
 *
 * <h2>Read protocol (no lock)</h2>
 * Read {@code descriptor} (acquire), the offset of buffer {@code seq & 1}, its stamp, copy the
 * bytes, a load-load fence, read the stamp again. The copy is the value of that descriptor when both
 * stamps equal a version whose low 32 bits are {@code seq}. Otherwise a writer lapped the reader
 * (two writes during the copy; the descriptor then moved) and the reader retries. A stamp that
 * disagrees while the descriptor has not moved is corruption: the writer never touches the buffer
 * the descriptor names.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@code version} is the full 64-bit version; its low 32 bits equal the descriptor's or are
 *       one ahead of them (a writer between steps 5 and 6, or one that died there).</li>
 *   <li>A buffer area, once left, is never written again, so a reader that read an old offset
 *       still reads consistent bytes.</li>
 *   <li>A writer killed anywhere leaves the descriptor naming the last complete value.</li>
 * </ul>
 *
 * <p>The header's {@code capacity} is the maximum value size, {@code elementSize} the initial
 * capacity of each buffer, {@code variant} 0. Magic {@code PLVA}, version 1.
 */
public final class ValueLayout implements SegmentKind {
    public static final int MAGIC = SegmentHeader.magic("PLVA");
    public static final int VERSION = 1;
    /** The largest value, in bytes, a shared value can hold (the descriptor's 31-bit length). */
    public static final int MAX_SIZE_LIMIT = 1 << 30;
    public static final int DEFAULT_INITIAL_SIZE = 4096 - 8;
    public static final int DEFAULT_MAX_SIZE = 64 << 20;
    /** Processes that can hold the writer lock or register as owners at once (entries are reused). */
    public static final int OWNER_ENTRIES = 128;

    static final long CACHE_LINE = 64;
    static final long WRITER_OFFSET = SegmentHeader.BODY_OFFSET;
    static final long CHANGE_OFFSET = WRITER_OFFSET + SharedMutex.SIZE;
    static final long DESCRIPTOR_OFFSET = CHANGE_OFFSET + 8;
    static final long VERSION_OFFSET = DESCRIPTOR_OFFSET + 8;
    static final long GROWS_OFFSET = VERSION_OFFSET + 8;
    static final long BUFFER_TABLE_OFFSET = GROWS_OFFSET + 8;
    static final long BUFFER_ENTRY_SIZE = 16;
    static final long CONTROL_END = SegmentHeader.BODY_OFFSET + 2 * CACHE_LINE;
    static final long OWNER_TABLE_OFFSET = CONTROL_END;
    static final long FIRST_BUFFER_OFFSET = OWNER_TABLE_OFFSET + align(OwnerTable.bytesFor(OWNER_ENTRIES));
    /** The stamp before each buffer's bytes. */
    static final long STAMP_SIZE = 8;

    static final long PRESENT = 1L << 31;
    static final long LENGTH_MASK = PRESENT - 1;
    static final long WRITING = Long.MIN_VALUE;

    static final OfLong LONG = java.lang.foreign.ValueLayout.JAVA_LONG;

    static final ValueLayout KIND = new ValueLayout();

    private ValueLayout() {
    }

    static long align(long size) {
        return (size + CACHE_LINE - 1) & -CACHE_LINE;
    }

    /** The bytes one buffer of {@code capacity} value bytes takes, stamp included. */
    static long bufferArea(long capacity) {
        return align(STAMP_SIZE + capacity);
    }

    static long bufferOffsetField(int buffer) {
        return BUFFER_TABLE_OFFSET + buffer * BUFFER_ENTRY_SIZE;
    }

    static long bufferCapacityField(int buffer) {
        return bufferOffsetField(buffer) + 8;
    }

    static long descriptor(long version, int length) {
        return (version << 32) | PRESENT | length;
    }

    static int sequenceOf(long descriptor) {
        return (int) (descriptor >>> 32);
    }

    static int lengthOf(long descriptor) {
        return (int) (descriptor & LENGTH_MASK);
    }

    @Override
    public String name() {
        return "value";
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

    /** {@code capacity}: the maximum value size; {@code elementSize}: each buffer's initial capacity. */
    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        if (variant != 0) {
            throw new IllegalArgumentException("variant: " + variant + ", a value has variant 0");
        }
        checkSizes(elementSize, capacity);
        return FIRST_BUFFER_OFFSET + 2 * bufferArea(elementSize) - SegmentHeader.BODY_OFFSET;
    }

    static void checkSizes(long initialSize, long maxSize) {
        if (maxSize < 0 || maxSize > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " bytes, must be 0.." + MAX_SIZE_LIMIT);
        }
        if (initialSize < 0 || initialSize > maxSize) {
            throw new IllegalArgumentException("initialSize: " + initialSize + " bytes, must be 0..maxSize ("
                    + maxSize + ")");
        }
    }

    /** Lays out the two buffers and the owner table; everything else starts at zero ("no value yet"). */
    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        OwnerTable.initialize(memory, OWNER_TABLE_OFFSET, OWNER_ENTRIES);
        long capacity = header.elementSize();
        long area = bufferArea(capacity);
        for (int buffer = 0; buffer < 2; buffer++) {
            memory.set(LONG, bufferOffsetField(buffer), FIRST_BUFFER_OFFSET + buffer * area);
            memory.set(LONG, bufferCapacityField(buffer), area - STAMP_SIZE);
        }
    }
}
