package io.plenum.pool;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentSpec;

/**
 * How to open or create a pool: where it lives, the open mode, and its geometry. Geometry left at
 * -1 means "whatever the existing pool holds" (creating then fails, naming the missing field).
 * Kotlin sets these as properties in the builder DSL:
 * {@code SharedLongPool.open("/dev/shm/jobs") { capacity = 1024 }}.
 */
public final class PoolOptions {
    private Backing backing;
    private OpenMode mode = OpenMode.CREATE_OR_OPEN;
    private long capacity = -1;
    private int elementSize = -1;
    private int maxLength = -1;
    private int fileMode = SegmentSpec.DEFAULT_FILE_MODE;

    public PoolOptions() {
    }

    public PoolOptions(Backing backing) {
        this.backing = backing;
    }

    /** Where the pool lives (required). */
    public Backing getBacking() {
        return backing;
    }

    public void setBacking(Backing backing) {
        this.backing = backing;
    }

    /** The path of a file backing, or null. */
    public String getPath() {
        return backing instanceof Backing.File file ? file.path().toString() : null;
    }

    /** Sets a file backing at {@code path}. */
    public void setPath(String path) {
        this.backing = Backing.file(path);
    }

    /** What to do when the pool does or does not exist yet; default {@link OpenMode#CREATE_OR_OPEN}. */
    public OpenMode getMode() {
        return mode;
    }

    public void setMode(OpenMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        this.mode = mode;
    }

    /** Slots (1..{@link PoolLayout#MAX_CAPACITY}); -1 takes an existing pool's. */
    public long getCapacity() {
        return capacity;
    }

    public void setCapacity(long capacity) {
        this.capacity = capacity;
    }

    /** Bytes per slot of a {@link SharedBytePool}; -1 takes an existing pool's. */
    public int getElementSize() {
        return elementSize;
    }

    public void setElementSize(int elementSize) {
        this.elementSize = elementSize;
    }

    /** The longest value in bytes of a {@link SharedStringPool}; -1 takes an existing pool's. */
    public int getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(int maxLength) {
        this.maxLength = maxLength;
    }

    /** Permission bits of a newly created file (default 0600). */
    public int getFileMode() {
        return fileMode;
    }

    public void setFileMode(int fileMode) {
        this.fileMode = fileMode;
    }

    @Override
    public String toString() {
        return "PoolOptions[" + (backing == null ? "no backing" : backing.describe()) + ", " + mode + ", capacity "
                + capacity + ", elementSize " + elementSize + ", maxLength " + maxLength + ", fileMode 0"
                + Integer.toOctalString(fileMode) + "]";
    }
}
