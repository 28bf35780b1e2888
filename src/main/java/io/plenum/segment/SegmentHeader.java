package io.plenum.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.zip.CRC32C;

/**
 * The common header at offset 0 of every Plenum segment: 128 bytes, little-endian.
 *
 * <pre>
 *  0               4       6       8              12              16
 *  +---------------+-------+-------+---------------+---------------+
 *  | magic u32     |version|variant| headerSize u32| elementSize   |  magic: 4 ASCII chars per kind
 *  +---------------+-------+-------+---------------+---------------+
 * 16                               24                              32
 *  | capacity u64                  | bodyOffset u64                |  body = the structure's own area
 *  +-------------------------------+-------------------------------+
 * 32                               40              44              48
 *  | initialSize u64               | flags u32     | creatorPid u32|
 *  +-------------------------------+---------------+---------------+
 * 48                               56              60              64
 *  | createdMillis u64             | checksum u32  | state u32     |  checksum: CRC32C of bytes 0..55
 *  +-------------------------------+---------------+---------------+
 * 64                               72                             128
 *  | mappedSize u64                | reserved, must be zero        |  mappedSize: grows, published
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * Bytes 0..55 never change after creation and are covered by the checksum, so a corrupted header
 * is rejected instead of being trusted. {@code state} becomes {@link #STATE_READY} last, with a
 * release store. {@code mappedSize} is the size every process must map; a growing structure
 * extends the file first, then publishes the larger size (release), and readers remap when they
 * see it (acquire). See FORMAT.md.
 */
public final class SegmentHeader {
    public static final int SIZE = 128;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int VARIANT_OFFSET = 6;
    public static final int HEADER_SIZE_OFFSET = 8;
    public static final int ELEMENT_SIZE_OFFSET = 12;
    public static final int CAPACITY_OFFSET = 16;
    public static final int BODY_OFFSET_OFFSET = 24;
    public static final int INITIAL_SIZE_OFFSET = 32;
    public static final int FLAGS_OFFSET = 40;
    public static final int CREATOR_PID_OFFSET = 44;
    public static final int CREATED_MILLIS_OFFSET = 48;
    public static final int CHECKSUM_OFFSET = 56;
    public static final int STATE_OFFSET = 60;
    public static final int MAPPED_SIZE_OFFSET = 64;
    /** Bytes [RESERVED_OFFSET, SIZE) must be zero in this version. */
    public static final int RESERVED_OFFSET = 72;
    /** The checksum covers bytes [0, CHECKSUMMED). */
    public static final int CHECKSUMMED = 56;

    public static final int STATE_BUILDING = 0;
    public static final int STATE_READY = 1;
    public static final int FLAG_GROWABLE = 1;
    /** Where every structure's body starts: the header, rounded to a cache line. */
    public static final long BODY_OFFSET = 128;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final VarHandle STATE = INT.varHandle();
    private static final VarHandle MAPPED_SIZE = LONG.varHandle();

    private final int magic;
    private final int version;
    private final int variant;
    private final int elementSize;
    private final long capacity;
    private final long bodyOffset;
    private final long initialSize;
    private final int flags;
    private final int creatorPid;
    private final long createdMillis;

    SegmentHeader(int magic, int version, int variant, int elementSize, long capacity, long bodyOffset,
                  long initialSize, int flags, int creatorPid, long createdMillis) {
        this.magic = magic;
        this.version = version;
        this.variant = variant;
        this.elementSize = elementSize;
        this.capacity = capacity;
        this.bodyOffset = bodyOffset;
        this.initialSize = initialSize;
        this.flags = flags;
        this.creatorPid = creatorPid;
        this.createdMillis = createdMillis;
    }

    /** The magic of four ASCII characters, such as {@code magic("PLAR")}. */
    public static int magic(String fourCharacters) {
        if (fourCharacters.length() != 4) {
            throw new IllegalArgumentException("a magic is 4 characters: " + fourCharacters);
        }
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (fourCharacters.charAt(i) & 0xFF);
        }
        return value;
    }

    /** The magic as its characters when they are printable, else as hex. */
    static String describeMagic(int magic) {
        StringBuilder text = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (magic >>> (8 * i)) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format("0x%08x", magic);
            }
            text.append((char) c);
        }
        return "'" + text + "'";
    }

    /** Writes every field; the state stays {@link #STATE_BUILDING} until {@link #publishReady}. */
    void write(MemorySegment memory) {
        memory.set(INT, MAGIC_OFFSET, magic);
        memory.set(ValueLayout.JAVA_SHORT, VERSION_OFFSET, (short) version);
        memory.set(ValueLayout.JAVA_SHORT, VARIANT_OFFSET, (short) variant);
        memory.set(INT, HEADER_SIZE_OFFSET, SIZE);
        memory.set(INT, ELEMENT_SIZE_OFFSET, elementSize);
        memory.set(LONG, CAPACITY_OFFSET, capacity);
        memory.set(LONG, BODY_OFFSET_OFFSET, bodyOffset);
        memory.set(LONG, INITIAL_SIZE_OFFSET, initialSize);
        memory.set(INT, FLAGS_OFFSET, flags);
        memory.set(INT, CREATOR_PID_OFFSET, creatorPid);
        memory.set(LONG, CREATED_MILLIS_OFFSET, createdMillis);
        memory.set(INT, CHECKSUM_OFFSET, checksum(memory));
        memory.set(LONG, MAPPED_SIZE_OFFSET, initialSize);
    }

    static void publishReady(MemorySegment memory) {
        STATE.setRelease(memory, (long) STATE_OFFSET, STATE_READY);
    }

    static int checksum(MemorySegment memory) {
        CRC32C crc = new CRC32C();
        crc.update(memory.asSlice(0, CHECKSUMMED).asByteBuffer());
        return (int) crc.getValue();
    }

    /**
     * Reads and checks the header of an existing segment of {@code fileSize} bytes whose mappedSize
     * the caller read once, as {@code mapped}, before it read the file size. Writes nothing.
     *
     * @throws SegmentFormatException naming {@code where} and the field that is wrong
     */
    static SegmentHeader read(MemorySegment memory, long fileSize, long mapped, SegmentSpec spec, String where) {
        SegmentKind kind = spec.kind();
        if (fileSize < SIZE) {
            throw new SegmentFormatException(where + ": file is " + fileSize + " bytes, smaller than the "
                    + SIZE + "-byte Plenum header; not a Plenum " + kind.name() + " segment");
        }
        int magic = memory.get(INT, MAGIC_OFFSET);
        if (magic != kind.magic()) {
            String found = (magic & 0xFFFF) == (kind.magic() & 0xFFFF)
                    ? "a Plenum segment of another kind (magic " + describeMagic(magic) + ")"
                    : "not a Plenum segment (magic " + describeMagic(magic) + ")";
            throw new SegmentFormatException(where + ": field magic: " + found + ", expected a Plenum "
                    + kind.name() + " segment (magic " + describeMagic(kind.magic()) + ")");
        }
        int stored = memory.get(INT, CHECKSUM_OFFSET);
        int computed = checksum(memory);
        if (stored != computed) {
            throw new SegmentFormatException(where + ": field checksum: header checksum "
                    + Integer.toHexString(stored) + " does not match its contents ("
                    + Integer.toHexString(computed) + "); the header is corrupt");
        }
        int version = Short.toUnsignedInt(memory.get(ValueLayout.JAVA_SHORT, VERSION_OFFSET));
        if (version != kind.version()) {
            throw new SegmentFormatException(where + ": field version: format version " + version
                    + ", this Plenum reads " + kind.name() + " version " + kind.version());
        }
        int state = ((int) STATE.getAcquire(memory, (long) STATE_OFFSET));
        if (state != STATE_READY) {
            throw new SegmentFormatException(where + ": field state: " + state + ", the segment was never "
                    + "completely initialised (" + STATE_READY + " = ready)");
        }
        for (long offset = RESERVED_OFFSET; offset < SIZE; offset += 8) {
            if (memory.get(LONG, offset) != 0) {
                throw new SegmentFormatException(where + ": reserved header bytes " + RESERVED_OFFSET + ".." + (SIZE - 1)
                        + " are not zero (at offset " + offset + "); the header is corrupt or from a newer format");
            }
        }
        int headerSize = memory.get(INT, HEADER_SIZE_OFFSET);
        if (headerSize != SIZE) {
            throw new SegmentFormatException(where + ": field headerSize: " + headerSize + ", expected " + SIZE);
        }
        SegmentHeader header = new SegmentHeader(magic, version,
                Short.toUnsignedInt(memory.get(ValueLayout.JAVA_SHORT, VARIANT_OFFSET)),
                memory.get(INT, ELEMENT_SIZE_OFFSET), memory.get(LONG, CAPACITY_OFFSET),
                memory.get(LONG, BODY_OFFSET_OFFSET), memory.get(LONG, INITIAL_SIZE_OFFSET),
                memory.get(INT, FLAGS_OFFSET), memory.get(INT, CREATOR_PID_OFFSET),
                memory.get(LONG, CREATED_MILLIS_OFFSET));
        header.checkGeometry(spec, where);
        if (mapped < header.initialSize || mapped > fileSize
                || (!header.growable() && mapped != header.initialSize)) {
            throw new SegmentFormatException(where + ": field mappedSize: " + mapped + " bytes, but the segment "
                    + "was created with " + header.initialSize + " bytes and the file has " + fileSize);
        }
        return header;
    }

    private void checkGeometry(SegmentSpec spec, String where) {
        SegmentKind kind = spec.kind();
        if (spec.variant() >= 0 && variant != spec.variant()) {
            throw new SegmentFormatException(where + ": field variant: the segment holds variant "
                    + spec.describeVariant(variant) + ", not the requested " + spec.describeVariant(spec.variant()));
        }
        if (spec.capacity() >= 0 && capacity != spec.capacity()) {
            throw new SegmentFormatException(where + ": field capacity: " + spec.capacity()
                    + " requested but the segment holds " + capacity);
        }
        if (spec.elementSize() >= 0 && elementSize != spec.elementSize()) {
            throw new SegmentFormatException(where + ": field elementSize: " + spec.elementSize()
                    + " bytes requested but the segment holds " + elementSize);
        }
        if (bodyOffset != BODY_OFFSET) {
            throw new SegmentFormatException(where + ": field bodyOffset: " + bodyOffset + ", expected " + BODY_OFFSET);
        }
        long expected;
        try {
            expected = Math.addExact(BODY_OFFSET, kind.bodySize(variant, capacity, elementSize));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SegmentFormatException(where + ": header geometry is not valid for a " + kind.name()
                    + ": " + e.getMessage());
        }
        if (initialSize != expected) {
            throw new SegmentFormatException(where + ": field initialSize: " + initialSize + " bytes, but a "
                    + kind.name() + " of capacity " + capacity + " and element size " + elementSize
                    + " needs " + expected);
        }
        if (growable() != kind.growable()) {
            throw new SegmentFormatException(where + ": field flags: 0x" + Integer.toHexString(flags)
                    + " does not match a " + kind.name() + " segment");
        }
    }

    static long readMappedSize(MemorySegment memory) {
        return (long) MAPPED_SIZE.getAcquire(memory, (long) MAPPED_SIZE_OFFSET);
    }

    static void publishMappedSize(MemorySegment memory, long size) {
        MAPPED_SIZE.setRelease(memory, (long) MAPPED_SIZE_OFFSET, size);
    }

    public int magic() {
        return magic;
    }

    public int version() {
        return version;
    }

    public int variant() {
        return variant;
    }

    public int elementSize() {
        return elementSize;
    }

    public long capacity() {
        return capacity;
    }

    /** Where the structure's own area starts. */
    public long bodyOffset() {
        return bodyOffset;
    }

    /** The segment's size when it was created. */
    public long initialSize() {
        return initialSize;
    }

    public boolean growable() {
        return (flags & FLAG_GROWABLE) != 0;
    }

    /** The pid of the process that created the segment (diagnostics only). */
    public int creatorPid() {
        return creatorPid;
    }

    public long createdMillis() {
        return createdMillis;
    }
}
