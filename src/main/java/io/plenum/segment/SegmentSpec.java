package io.plenum.segment;

/**
 * What a caller asks of a segment: its kind, and the variant, capacity and element size it wants.
 * -1 in any of the three means "whatever the existing segment holds" (creating then fails if the
 * kind needs the value). Creating uses {@code fileMode} for new files (default 0600).
 *
 * <p>{@code sparse} (default false) skips reserving the file's bytes when this handle creates or
 * grows the segment. By default every byte is reserved ({@code posix_fallocate}) before anyone can
 * see the segment, so a full file system fails the create with a {@link SegmentException} naming
 * the bytes needed. A sparse segment costs memory only for the pages that are touched, but the
 * first store to a page the file system can no longer supply raises SIGBUS in whichever process
 * makes it: a {@link InternalError} in compiled code, a JVM crash in some interpreted paths (see
 * {@link Segment}). Choose it only where the file system cannot fill up (or a crash is acceptable).
 */
public record SegmentSpec(SegmentKind kind, int variant, long capacity, int elementSize, int fileMode,
                          boolean sparse) {
    public static final int DEFAULT_FILE_MODE = 0600;

    public SegmentSpec {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (variant < -1 || variant > 0xFFFF) {
            throw new IllegalArgumentException("variant must be -1 or 0..65535: " + variant);
        }
        if (capacity < -1) {
            throw new IllegalArgumentException("capacity must be -1 (take the segment's) or >= 0: " + capacity);
        }
        if (elementSize < -1) {
            throw new IllegalArgumentException("elementSize must be -1 (take the segment's) or >= 0: " + elementSize);
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
    }

    public SegmentSpec(SegmentKind kind, int variant, long capacity, int elementSize, int fileMode) {
        this(kind, variant, capacity, elementSize, fileMode, false);
    }

    public SegmentSpec(SegmentKind kind, int variant, long capacity, int elementSize) {
        this(kind, variant, capacity, elementSize, DEFAULT_FILE_MODE, false);
    }

    public SegmentSpec withFileMode(int mode) {
        return new SegmentSpec(kind, variant, capacity, elementSize, mode, sparse);
    }

    /** The same spec creating (and growing) without reserving the bytes; see the class comment for the risk. */
    public SegmentSpec withSparse(boolean sparse) {
        return new SegmentSpec(kind, variant, capacity, elementSize, fileMode, sparse);
    }

    String describeVariant(int value) {
        return kind.variantName(value);
    }

    /** The header a new segment of this spec gets; every -1 must have been resolved by the kind. */
    SegmentHeader newHeader(String where) {
        if (variant < 0 || capacity < 0 || elementSize < 0) {
            throw new SegmentException(where + ": creating a " + kind.name() + " needs a variant, a capacity "
                    + "and an element size (got variant " + variant + ", capacity " + capacity
                    + ", elementSize " + elementSize + ")");
        }
        long size;
        try {
            size = Math.addExact(SegmentHeader.BODY_OFFSET, kind.bodySize(variant, capacity, elementSize));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(kind.name() + " of capacity " + capacity + " and element size "
                    + elementSize + " is too large for one segment");
        }
        return new SegmentHeader(kind.magic(), kind.version(), variant, elementSize, capacity,
                SegmentHeader.BODY_OFFSET, size, kind.growable() ? SegmentHeader.FLAG_GROWABLE : 0,
                io.plenum.linux.Processes.currentPid(), System.currentTimeMillis());
    }
}
