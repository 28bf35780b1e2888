package io.plenum.pool;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;
import java.nio.file.Path;

/**
 * How to open or create a pool. Start from {@link #of(String)}, {@link #of(Path)} or
 * {@link #of(Backing)} and refine with the {@code with…} methods; every instance is immutable.
 * Geometry left at -1 means "whatever the existing pool holds" (creating then fails, naming the
 * missing field); geometry given on reopen is checked against the header, never replaces it.
 *
 * <pre>{@code
 * SharedLongPool jobs = SharedLongPool.open(PoolOptions.of("/dev/shm/jobs").withCapacity(1024));
 * }</pre>
 *
 * Kotlin sets the same names in the factory's block: {@code SharedLongPool("/dev/shm/jobs") { capacity = 1024 }}.
 *
 * @param backing     where the memory comes from (a path is a file; {@code /dev/shm/NAME} is POSIX shm)
 * @param mode        create, open, or either (default {@link OpenMode#CREATE_OR_OPEN})
 * @param capacity    slots (1..{@link PoolLayout#MAX_CAPACITY}); -1 takes an existing pool's
 * @param elementSize bytes per slot of a {@link SharedBytePool}; -1 takes an existing pool's
 * @param maxLength   the longest value in bytes of a {@link SharedStringPool}; -1 takes an existing pool's
 * @param fileMode    permission bits of a newly created file (default 0600)
 */
public record PoolOptions(Backing backing, OpenMode mode, int capacity, int elementSize, int maxLength, int fileMode)
        implements SegmentOptions<PoolOptions> {
    public PoolOptions {
        if (backing == null) {
            throw new IllegalArgumentException("a pool needs a backing (path, shm name, memfd, fd or anonymous)");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
    }

    /** Create or open at {@code backing}, geometry to be given (or taken from an existing pool). */
    public static PoolOptions of(Backing backing) {
        return new PoolOptions(backing, OpenMode.CREATE_OR_OPEN, -1, -1, -1, SegmentSpec.DEFAULT_FILE_MODE);
    }

    /** As {@link #of(Backing)} on the file at {@code path} ({@code /dev/shm/NAME} for POSIX shm). */
    public static PoolOptions of(String path) {
        return of(Backing.file(path));
    }

    /** As {@link #of(Backing)} on the file at {@code path}. */
    public static PoolOptions of(Path path) {
        return of(Backing.file(path));
    }

    public PoolOptions withMode(OpenMode mode) {
        return new PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode);
    }

    public PoolOptions withCapacity(int capacity) {
        return new PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode);
    }

    public PoolOptions withElementSize(int elementSize) {
        return new PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode);
    }

    public PoolOptions withMaxLength(int maxLength) {
        return new PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode);
    }

    public PoolOptions withFileMode(int fileMode) {
        return new PoolOptions(backing, mode, capacity, elementSize, maxLength, fileMode);
    }
}
