package io.plenum.value;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open or create a shared value: where it lives, the open mode, and its sizes. Immutable;
 * refine with the {@code with…} methods: {@code ValueOptions.of("/dev/shm/config").withMaxSize(1 << 20)}.
 *
 * <p>{@code initialSize} (each of the two buffers' first capacity) and {@code maxSize} (the largest
 * value) are -1 unless set: an existing value keeps its own, a new one gets
 * {@link ValueLayout#DEFAULT_INITIAL_SIZE} and {@link ValueLayout#DEFAULT_MAX_SIZE}. A size given on
 * reopen is checked against the segment's header, never silently replaces it. Anonymous memory
 * cannot be extended, so an anonymous value reserves {@code maxSize} for each buffer up front
 * (address space only: untouched pages take no memory).
 */
public record ValueOptions(Backing backing, OpenMode mode, int initialSize, int maxSize, int fileMode)
        implements SegmentOptions<ValueOptions> {
    public ValueOptions {
        Objects.requireNonNull(backing, "backing");
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (initialSize < -1) {
            throw new IllegalArgumentException("initialSize: " + initialSize + " bytes, must be -1 (unset) or >= 0");
        }
        if (maxSize < -1 || maxSize > ValueLayout.MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " bytes, must be -1 (unset) or 0.."
                    + ValueLayout.MAX_SIZE_LIMIT);
        }
        if (initialSize >= 0 && maxSize >= 0 && initialSize > maxSize) {
            throw new IllegalArgumentException("initialSize: " + initialSize + " bytes is above maxSize " + maxSize);
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
    }

    /** A file, or POSIX shm when the path is under {@code /dev/shm}. */
    public static ValueOptions of(String path) {
        return of(Backing.file(path));
    }

    public static ValueOptions of(Path path) {
        return of(Backing.file(path.toString()));
    }

    public static ValueOptions of(Backing backing) {
        return new ValueOptions(backing, OpenMode.CREATE_OR_OPEN, -1, -1, SegmentSpec.DEFAULT_FILE_MODE);
    }

    public ValueOptions withMode(OpenMode value) {
        return new ValueOptions(backing, value, initialSize, maxSize, fileMode);
    }

    /** Each buffer's first capacity in bytes; a larger value grows the segment. */
    public ValueOptions withInitialSize(int value) {
        return new ValueOptions(backing, mode, value, maxSize, fileMode);
    }

    /** The largest encoded value in bytes (at most {@link ValueLayout#MAX_SIZE_LIMIT}). */
    public ValueOptions withMaxSize(int value) {
        return new ValueOptions(backing, mode, initialSize, value, fileMode);
    }

    /** Permission bits of a newly created file (default 0600). */
    public ValueOptions withFileMode(int value) {
        return new ValueOptions(backing, mode, initialSize, maxSize, value);
    }
}
