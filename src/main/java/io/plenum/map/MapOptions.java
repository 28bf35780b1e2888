package io.plenum.map;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;
import java.nio.file.Path;

/**
 * How to open or create a {@link SharedMap}: an immutable record refined with {@code with…}:
 * {@code MapOptions.of("/dev/shm/config").withMaxValueSize(4096)}.
 *
 * <p>Sizes left at -1 mean "the existing map's" on open and the defaults on creation
 * ({@value MapLayout#DEFAULT_MAX_KEY_SIZE}-byte keys, {@value MapLayout#DEFAULT_MAX_VALUE_SIZE}-byte
 * values, {@value MapLayout#DEFAULT_STRIPES} stripes). A size given on open is checked against the
 * map's, never silently replaces it. {@code initialCapacity} is a hint for a map being created
 * (entries to make room for at once); the map grows by itself either way, and the hint is ignored
 * when the map exists.
 *
 * @param stripes lock stripes: writers of keys in different stripes never wait for each other
 *                (a power of two, 1..{@value MapLayout#MAX_STRIPES})
 */
public record MapOptions(Backing backing, OpenMode mode, int maxKeySize, int maxValueSize, int initialCapacity,
                         int stripes, int fileMode) implements SegmentOptions<MapOptions> {
    public MapOptions {
        if (backing == null) {
            throw new IllegalArgumentException("backing is required");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        checkSize("maxKeySize", maxKeySize);
        checkSize("maxValueSize", maxValueSize);
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must be >= 0: " + initialCapacity);
        }
        if (stripes != -1) {
            try {
                MapLayout.checkStripes(stripes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (or -1: the map's / the default)");
            }
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
    }

    private static void checkSize(String field, int value) {
        if (value != -1 && (value < 1 || value > MapLayout.MAX_SIZE_LIMIT)) {
            throw new IllegalArgumentException(field + " must be 1.." + MapLayout.MAX_SIZE_LIMIT
                    + " bytes, or -1 (the map's / the default): " + value);
        }
    }

    /** A file at {@code path}; {@code /dev/shm/NAME} is POSIX shared memory. */
    public static MapOptions of(String path) {
        return of(Backing.file(path));
    }

    public static MapOptions of(Path path) {
        return of(Backing.file(path));
    }

    public static MapOptions of(Backing backing) {
        return new MapOptions(backing, OpenMode.CREATE_OR_OPEN, -1, -1, 0, -1, SegmentSpec.DEFAULT_FILE_MODE);
    }

    public MapOptions withMode(OpenMode mode) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }

    public MapOptions withMaxKeySize(int maxKeySize) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }

    public MapOptions withMaxValueSize(int maxValueSize) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }

    public MapOptions withInitialCapacity(int initialCapacity) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }

    public MapOptions withStripes(int stripes) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }

    public MapOptions withFileMode(int fileMode) {
        return new MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode);
    }
}
