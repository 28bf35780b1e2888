package io.plenum.segment;

import io.plenum.linux.Fs;
import io.plenum.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The mapped memory of one structure: the {@link SegmentHeader common header} followed by the
 * structure's body. Open one with {@link #open(Backing, OpenMode, SegmentSpec)}; close it when done
 * (closing is idempotent; using a closed segment throws {@link IllegalStateException}).
 *
 * <p>A growable segment is remapped when another process publishes a larger size: call
 * {@link #refresh()} before reading past the size you know. Earlier mappings stay valid until
 * {@link #close()}, so a thread that still holds one never faults.
 *
 * <h2>Space and truncation</h2>
 * Creating and growing reserve every byte of the file first ({@code posix_fallocate}), so a full
 * file system is a {@link SegmentException} at that moment, never a fault later; a
 * {@linkplain SegmentSpec#withSparse sparse} spec skips that, with the risk it describes.
 *
 * <p>What no library can prevent: any process that may write a plain file (or a {@code /dev/shm}
 * name) can truncate it under every mapping. An access to a page past the new end raises SIGBUS in
 * the process that makes it. HotSpot turns that signal into an {@link InternalError} ("a fault
 * occurred in an unsafe memory access operation") for plain and volatile loads and stores, in
 * compiled code and in the interpreter alike, and for bulk copies and fills; but an atomic
 * read-modify-write ({@code compareAndSet}, {@code getAndAdd}, {@code getAndSet}) run by the
 * interpreter goes through a native {@code Unsafe} call that is not guarded, and the JVM dies with
 * SIGBUS. Plenum therefore notices a shrunken file wherever it looks at the file anyway (opening,
 * {@link #refresh()}, {@link #grow}, {@link #fileSize()}, {@link #checkIntact()}, which structures
 * call in recovery and statistics) and then refuses the handle for good: its memory is unmapped,
 * so every later access throws {@link IllegalStateException} instead of faulting, and
 * {@link #memory()} throws {@link SegmentTruncatedException}. A fault caught in a slow path becomes
 * a {@link SegmentTruncatedException} naming the segment through {@link #memoryFault(Throwable)}.
 * Where truncation by another process must be impossible, use a memfd backing: Plenum seals it
 * against shrinking (and against growing, unless the kind grows), then seals the seals.
 */
public final class Segment implements AutoCloseable {
    private final Backing backing;
    private final String where;
    private final int fd;
    private final boolean created;
    private final SegmentHeader header;
    private final boolean sparse;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Non-null once the file was seen smaller than the mapping: the handle is refused from then on. */
    private volatile String truncated;
    private final List<Arena> arenas = new ArrayList<>();
    private volatile MemorySegment memory;

    Segment(Backing backing, String where, int fd, boolean created, SegmentHeader header, Arena arena,
            MemorySegment memory, boolean sparse) {
        this.backing = backing;
        this.sparse = sparse;
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
     * Every failure to open or create is a {@link SegmentException} or one of its subclasses, with
     * the underlying failure (a {@code LinuxException}, a memory fault's {@link InternalError}) as
     * its cause; whatever a failed call had taken (fd, mapping, unnamed file) is released first.
     *
     * @throws SegmentFormatException     an existing segment is not what {@code spec} asks for
     * @throws SegmentExistsException     {@link OpenMode#CREATE_NEW} and the path exists
     * @throws SegmentNotFoundException   {@link OpenMode#OPEN_EXISTING} and there is nothing to open
     * @throws SegmentException           any other failure, naming the backing: no native access
     *                                    (with the flag to add), a full file system (with the bytes
     *                                    needed), a closed fd, a failed call
     * @throws IllegalArgumentException   a null argument, or a spec no segment can satisfy (a capacity
     *                                    out of the kind's range); nothing was touched
     */
    public static Segment open(Backing backing, OpenMode mode, SegmentSpec spec) {
        return SegmentOpener.open(backing, mode, spec);
    }

    /**
     * Opens a segment and builds a structure over it with {@code wrap}. When {@code wrap} refuses
     * the segment, the segment is closed and the refusal arrives in the same family as every other
     * failure to open: a refused content ({@link IllegalArgumentException}, {@link IllegalStateException},
     * {@link IndexOutOfBoundsException}) as a {@link SegmentFormatException}, a failed call or a memory
     * fault as a {@link SegmentException}, each with the original as its cause.
     */
    public static <T> T openAs(Backing backing, OpenMode mode, SegmentSpec spec, Function<Segment, T> wrap) {
        Segment segment = open(backing, mode, spec);
        try {
            return wrap.apply(segment);
        } catch (Throwable failure) {
            try {
                segment.close();
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw OpenFailures.whileWrapping(segment.describe(), failure);
        }
    }

    /** The whole mapping, header included. */
    public MemorySegment memory() {
        MemorySegment current = memory;
        if (closed.get()) {
            throw new IllegalStateException(where + " is closed");
        }
        String reason = truncated;
        if (reason != null) {
            throw new SegmentTruncatedException(reason);
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
        MemorySegment current = memory();
        if (fd < 0) {
            return current.byteSize();
        }
        long size = Fs.fstat(fd).size();
        requireCovers(size, current.byteSize());
        return size;
    }

    /**
     * Checks that the file still covers the whole mapping; structures call it in their slow paths
     * (recovery, statistics). When it does not, this handle is refused for good (see the class
     * comment) and {@link SegmentTruncatedException} is thrown.
     */
    public void checkIntact() {
        fileSize();
    }

    /**
     * What a structure throws for a memory fault it caught ({@link InternalError} from an access to
     * this segment): a {@link SegmentTruncatedException} naming the segment, with {@code fault} as
     * the cause; the handle is refused from then on when the file turns out to be shorter than the
     * mapping. Use it as {@code catch (InternalError e) { throw segment.memoryFault(e); }}.
     */
    public SegmentException memoryFault(Throwable fault) {
        String reason = truncated;
        if (reason == null && fd >= 0 && !closed.get()) {
            try {
                checkIntact();
            } catch (SegmentTruncatedException e) {
                reason = e.getMessage();
            } catch (RuntimeException ignored) {
                // the fault itself is what to report
            }
        }
        return new SegmentTruncatedException((reason != null ? reason : where + ": a memory access faulted; "
                + "the file under the mapping was truncated, or its file system could not supply a page")
                + " (" + fault.getMessage() + ")", fault);
    }

    /** Refuses this handle when {@code fileSize} no longer covers {@code mapped}. */
    private void requireCovers(long fileSize, long mapped) {
        if (fileSize >= mapped) {
            return;
        }
        String reason = where + ": the file has " + fileSize + " bytes but " + mapped + " are mapped: it was "
                + "truncated by another process; this handle is no longer usable (its memory is unmapped). "
                + "Close it; a memfd backing cannot be truncated";
        refuse(reason);
        throw new SegmentTruncatedException(reason);
    }

    /**
     * Unmaps every mapping, so that accesses through memory segments that structures keep throw
     * {@link IllegalStateException} instead of faulting. Closing a shared arena waits until no
     * thread is inside an access of it; if a native call holds it (a futex wait), that mapping
     * stays until {@link #close()}, but {@link #memory()} refuses from now on.
     */
    private synchronized void refuse(String reason) {
        if (truncated != null) {
            return;
        }
        truncated = reason;
        for (java.util.Iterator<Arena> it = arenas.iterator(); it.hasNext(); ) {
            try {
                it.next().close();
                it.remove();
            } catch (IllegalStateException held) {
                // kept for close()
            }
        }
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
        requireCovers(fileSize, current.byteSize());
        if (published > fileSize) {
            throw new SegmentFormatException(where + ": field mappedSize: " + published
                    + " bytes published, but the file has only " + fileSize);
        }
        remap(published);
        return true;
    }

    /**
     * Grows a growable segment to {@code newSize} bytes: reserves the new bytes (extends the file
     * only, for a handle opened with a sparse spec), remaps, then publishes the size for other
     * processes. Callers serialise growth (the structure's write lock).
     *
     * @throws SegmentException the bytes cannot be reserved (a full file system); nothing changed
     * @throws SegmentTruncatedException the file is smaller than the mapping; the handle is refused
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
        long fileSize = Fs.fstat(fd).size();
        requireCovers(fileSize, current.byteSize());
        if (fileSize < newSize) {
            // Nobody maps past the published size, so the bytes beyond it are this grower's alone
            // until it publishes: extending, or undoing a failed extension, disturbs no one.
            try {
                if (sparse) {
                    Fs.ftruncate(fd, newSize);
                } else {
                    SegmentOpener.reserve(fd, fileSize, newSize - fileSize, where, "growing from "
                            + current.byteSize() + " to " + newSize + " bytes");
                }
            } catch (RuntimeException e) {
                try {
                    Fs.ftruncate(fd, fileSize);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof SegmentException ? e : new SegmentException(where + ": cannot grow to "
                        + newSize + " bytes: " + e.getMessage(), e);
            }
        }
        remap(newSize);
        SegmentHeader.publishMappedSize(memory, newSize);
    }

    private void remap(long size) {
        Arena arena = Arena.ofShared();
        try {
            memory = Fs.mmap(fd, size, arena);
        } catch (Throwable e) {
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
     * Told before a segment's mappings go, while they are still valid: the per-JVM waiter
     * ({@code io.plenum.sync.Reactor}) registers one to end the waits on their words. A listener in
     * the layer above keeps this package free of arrows back into it.
     */
    @FunctionalInterface
    public interface UnmapListener {
        /** {@code scopes} are about to be unmapped; {@code what} names the segment for messages. */
        void unmapping(List<MemorySegment.Scope> scopes, String what);
    }

    private static final List<UnmapListener> UNMAP_LISTENERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a listener told before every segment of this JVM is unmapped by {@link #close()}. */
    public static void whenUnmapping(UnmapListener listener) {
        UNMAP_LISTENERS.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unmaps and closes the fd. Idempotent. Accessing the memory afterwards throws, never crashes.
     * Asynchronous waits on words of this segment end first (before the memory goes): they fail
     * with an {@link IllegalStateException} saying the segment was closed (see
     * {@code io.plenum.sync.Reactor}, "Closing"), through the {@link #whenUnmapping} listeners.
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
        for (UnmapListener listener : UNMAP_LISTENERS) {
            listener.unmapping(scopes, "the segment " + where);
        }
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
