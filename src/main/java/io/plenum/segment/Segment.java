package io.plenum.segment;

import io.plenum.linux.Fs;
import io.plenum.linux.LinuxException;
import io.plenum.sync.Reactor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mapped memory of one structure: the {@link SegmentHeader common header} followed by the
 * structure's body. Open one with {@link #open(Backing, OpenMode, SegmentSpec)}; close it when done
 * (closing is idempotent; using a closed segment throws {@link IllegalStateException}).
 *
 * <p>A growable segment is remapped when another process publishes a larger size: call
 * {@link #refresh()} before reading past the size you know. Earlier mappings stay valid until
 * {@link #close()}, so a thread that still holds one never faults.
 */
public final class Segment implements AutoCloseable {
    private final Backing backing;
    private final String where;
    private final int fd;
    private final boolean created;
    private final SegmentHeader header;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Arena> arenas = new ArrayList<>();
    private volatile MemorySegment memory;

    Segment(Backing backing, String where, int fd, boolean created, SegmentHeader header, Arena arena,
            MemorySegment memory) {
        this.backing = backing;
        this.where = where;
        this.fd = fd;
        this.created = created;
        this.header = header;
        this.arenas.add(arena);
        this.memory = memory;
    }

    /**
     * Opens or creates a segment.
     *
     * @throws SegmentFormatException     an existing segment is not what {@code spec} asks for
     * @throws SegmentExistsException     {@link OpenMode#CREATE_NEW} and the path exists
     * @throws SegmentNotFoundException   {@link OpenMode#OPEN_EXISTING} and there is nothing to open
     * @throws SegmentException           any other failure, naming the backing
     */
    public static Segment open(Backing backing, OpenMode mode, SegmentSpec spec) {
        return SegmentOpener.open(backing, mode, spec);
    }

    /** The whole mapping, header included. */
    public MemorySegment memory() {
        MemorySegment current = memory;
        if (closed.get()) {
            throw new IllegalStateException(where + " is closed");
        }
        return current;
    }

    /** The structure's body: the mapping from {@link SegmentHeader#bodyOffset()} on. */
    public MemorySegment body() {
        return memory().asSlice(header.bodyOffset());
    }

    public SegmentHeader header() {
        return header;
    }

    public Backing backing() {
        return backing;
    }

    /** Names the segment in messages: its path, memfd name, or fd. */
    public String describe() {
        return where;
    }

    /** The path of a file or shm backing. */
    public Optional<Path> path() {
        return backing instanceof Backing.File file ? Optional.of(file.path()) : Optional.empty();
    }

    /**
     * The fd Plenum holds for this segment (-1 for anonymous memory). Another process can open the
     * segment with {@code Backing.fromProcess(thisPid, fd)} while this segment is open.
     */
    public int fd() {
        checkOpen();
        return fd;
    }

    /** True when this call created the segment rather than opened an existing one. */
    public boolean created() {
        return created;
    }

    /** The bytes mapped now. */
    public long mappedSize() {
        return memory().byteSize();
    }

    /** The size of the file under the mapping (the mapped size for anonymous memory). */
    public long fileSize() {
        checkOpen();
        return fd < 0 ? memory.byteSize() : Fs.fstat(fd).size();
    }

    /** Writes the mapping back to its file ({@code msync}); nothing to do for memory-only backings. */
    public void sync() {
        MemorySegment current = memory();
        if (fd >= 0) {
            Fs.msync(current);
        }
    }

    /**
     * Removes the segment's name from the file system, if it has one and the name still refers to
     * this segment (not to one recreated there since). Processes that map it keep it. Returns true
     * when a name was removed.
     */
    public boolean unlink() {
        checkOpen();
        if (!(backing instanceof Backing.File file)) {
            return false;
        }
        String path = file.path().toString();
        try {
            if (!Fs.lstat(path).sameFile(Fs.fstat(fd))) {
                return false;
            }
            Fs.unlink(path);
            return true;
        } catch (LinuxException e) {
            if (e.errno() == io.plenum.linux.Errno.ENOENT) {
                return false;
            }
            throw new SegmentException(where + ": cannot unlink: " + e.getMessage(), e);
        }
    }

    /**
     * Remaps if another process published a larger size. Returns true when the mapping changed.
     * Callers serialise with the structure's own lock where it matters.
     */
    public synchronized boolean refresh() {
        MemorySegment current = memory();
        long published = SegmentHeader.readMappedSize(current);
        if (published <= current.byteSize()) {
            return false;
        }
        long fileSize = Fs.fstat(fd).size();
        if (published > fileSize) {
            throw new SegmentFormatException(where + ": field mappedSize: " + published
                    + " bytes published, but the file has only " + fileSize);
        }
        remap(published);
        return true;
    }

    /**
     * Grows a growable segment to {@code newSize} bytes: extends the file, remaps, then publishes the
     * size for other processes. Callers serialise growth (the structure's write lock).
     */
    public synchronized void grow(long newSize) {
        MemorySegment current = memory();
        if (!header.growable()) {
            throw new UnsupportedOperationException(where + ": a " + header.initialSize()
                    + "-byte segment of this kind does not grow");
        }
        if (newSize <= current.byteSize()) {
            return;
        }
        if (Fs.fstat(fd).size() < newSize) {
            Fs.ftruncate(fd, newSize);
        }
        remap(newSize);
        SegmentHeader.publishMappedSize(memory, newSize);
    }

    private void remap(long size) {
        Arena arena = Arena.ofShared();
        try {
            memory = Fs.mmap(fd, size, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        arenas.add(arena);
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(where + " is closed");
        }
    }

    /**
     * Unmaps and closes the fd. Idempotent. Accessing the memory afterwards throws, never crashes.
     * Asynchronous waits on words of this segment end first (before the memory goes): they fail
     * with an {@link IllegalStateException} saying the segment was closed (see
     * {@link Reactor}, "Closing").
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<MemorySegment.Scope> scopes = new ArrayList<>();
        synchronized (this) {
            for (Arena arena : arenas) {
                scopes.add(arena.scope());
            }
        }
        Reactor.shared().closing(scopes, "the segment " + where);
        synchronized (this) {
            for (Arena arena : arenas) {
                arena.close();
            }
            arenas.clear();
        }
        if (fd >= 0) {
            Fs.close(fd);
        }
    }

    @Override
    public String toString() {
        return "Segment[" + where + ", " + (closed.get() ? "closed" : memory.byteSize() + " bytes") + "]";
    }
}
