package io.plenum.value;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentNotFoundException;
import io.plenum.segment.SegmentSpec;

/**
 * Opens the segment of a shared value. The header is the truth: sizes left unset (-1) are taken
 * from an existing segment, and only a segment created here gets the defaults. With
 * {@link OpenMode#CREATE_OR_OPEN} and unset sizes that means "open if it exists, else create with
 * the defaults"; a creator that loses a race to one with other sizes opens the winner's segment.
 */
final class ValueOpener {
    private ValueOpener() {
    }

    static Segment open(ValueOptions options) {
        Backing backing = options.backing();
        OpenMode mode = options.mode();
        boolean alwaysNew = backing instanceof Backing.Memfd || backing instanceof Backing.Anonymous;
        boolean sizesUnset = options.initialSize() < 0 || options.maxSize() < 0;
        if (alwaysNew || mode == OpenMode.CREATE_NEW || mode == OpenMode.RECREATE) {
            return Segment.open(backing, mode, creating(options));
        }
        if (mode == OpenMode.OPEN_EXISTING || !sizesUnset) {
            return Segment.open(backing, mode, mode == OpenMode.OPEN_EXISTING ? existing(options) : creating(options));
        }
        try {
            return Segment.open(backing, OpenMode.OPEN_EXISTING, existing(options));
        } catch (SegmentNotFoundException absent) {
            try {
                return Segment.open(backing, OpenMode.CREATE_OR_OPEN, creating(options));
            } catch (io.plenum.segment.SegmentFormatException lostRace) {
                return Segment.open(backing, OpenMode.OPEN_EXISTING, existing(options));
            }
        }
    }

    /** What an existing segment must match: only the sizes the caller gave. */
    private static SegmentSpec existing(ValueOptions options) {
        return new SegmentSpec(ValueLayout.KIND, 0, options.maxSize(), options.initialSize(), options.fileMode());
    }

    /** The sizes of a new segment, defaults filled in. Anonymous memory cannot grow: it reserves maxSize. */
    private static SegmentSpec creating(ValueOptions options) {
        int maxSize = options.maxSize() >= 0 ? options.maxSize() : ValueLayout.DEFAULT_MAX_SIZE;
        int initialSize = options.initialSize() >= 0 ? options.initialSize()
                : Math.min(ValueLayout.DEFAULT_INITIAL_SIZE, maxSize);
        if (initialSize > maxSize) {
            throw new IllegalArgumentException("initialSize: " + initialSize + " bytes is above maxSize " + maxSize);
        }
        if (options.backing() instanceof Backing.Anonymous) {
            initialSize = maxSize;
        }
        return new SegmentSpec(ValueLayout.KIND, 0, maxSize, initialSize, options.fileMode());
    }
}
