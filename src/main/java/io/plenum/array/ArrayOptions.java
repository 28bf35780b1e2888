package io.plenum.array;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;

/**
 * How to open or create a shared array. Start from {@link #of(Backing)} and refine with the
 * {@code with…} methods; every instance is immutable.
 *
 * <pre>{@code
 * SharedLongArray metrics = SharedLongArray.open(ArrayOptions.of(Backing.shm("metrics")).withCapacity(1024));
 * }</pre>
 *
 * @param backing   where the memory comes from
 * @param mode      create, open, or either (default {@link OpenMode#CREATE_OR_OPEN})
 * @param capacity  the number of elements; -1 (the default) takes an existing array's and cannot create
 * @param maxLength for string arrays, the largest number of bytes of a value; -1 takes an existing array's
 * @param fileMode  permission bits of a new file (default 0600)
 */
public record ArrayOptions(Backing backing, OpenMode mode, int capacity, int maxLength, int fileMode)
        implements SegmentOptions<ArrayOptions> {
    public ArrayOptions {
        if (backing == null) {
            throw new IllegalArgumentException("backing is required");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (capacity != -1 && (capacity < 1 || capacity > ArrayLayout.MAX_CAPACITY)) {
            throw new IllegalArgumentException("capacity must be -1 (take the existing array's) or 1.."
                    + ArrayLayout.MAX_CAPACITY + ": " + capacity);
        }
        if (maxLength != -1 && (maxLength < 1 || maxLength > ArrayLayout.MAX_STRING_LENGTH)) {
            throw new IllegalArgumentException("maxLength must be -1 (take the existing array's) or 1.."
                    + ArrayLayout.MAX_STRING_LENGTH + ": " + maxLength);
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
    }

    /** Create or open at {@code backing}, capacity to be given (or taken from an existing array). */
    public static ArrayOptions of(Backing backing) {
        return new ArrayOptions(backing, OpenMode.CREATE_OR_OPEN, -1, -1, SegmentSpec.DEFAULT_FILE_MODE);
    }

    /** As {@link #of(Backing)} on the file at {@code path} ({@code /dev/shm/NAME} for POSIX shm). */
    public static ArrayOptions of(String path) {
        return of(Backing.file(path));
    }

    /** As {@link #of(Backing)} on the file at {@code path}. */
    public static ArrayOptions of(java.nio.file.Path path) {
        return of(Backing.file(path));
    }

    public ArrayOptions withMode(OpenMode mode) {
        return new ArrayOptions(backing, mode, capacity, maxLength, fileMode);
    }

    public ArrayOptions withCapacity(int capacity) {
        return new ArrayOptions(backing, mode, capacity, maxLength, fileMode);
    }

    public ArrayOptions withMaxLength(int maxLength) {
        return new ArrayOptions(backing, mode, capacity, maxLength, fileMode);
    }

    public ArrayOptions withFileMode(int fileMode) {
        return new ArrayOptions(backing, mode, capacity, maxLength, fileMode);
    }
}
