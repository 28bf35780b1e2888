package io.plenum.array;

import io.plenum.segment.Segment;
import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentSpec;
import io.plenum.segment.UseAfterClose;
import io.plenum.sync.EventNotifier;
import io.plenum.sync.LockGuard;
import io.plenum.sync.OwnedEventfd;
import io.plenum.sync.LockResult;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-capacity array of one {@link ElementType} in shared memory: what every typed array has in
 * common. Open one through its typed class ({@link SharedLongArray#open}, …); the numeric ones share
 * their bulk operations through {@link NumericArray}.
 *
 * <h2>Consistency</h2>
 * <ul>
 *   <li>Single-element operations of the typed classes are lock-free and atomic: {@code get} is an
 *       acquire read, {@code set} a release write, read-modify-write operations are volatile.</li>
 *   <li>Bulk writes ({@code copyFrom}, {@code setRaw}, {@code fill}, {@code clear},
 *       {@code addRange}) take the array's write lock; bulk reads ({@code slice}, {@code copyTo},
 *       {@code getRaw}) copy under its seqlock and retry when a bulk write overlapped, so a bulk
 *       read never mixes two bulk writes. Single-element writes do not take the lock; a bulk read
 *       sees each element before or after such a write, never torn.</li>
 *   <li>A batch of operations that must not interleave with other bulk writers runs under
 *       {@link #writeLock()} (or {@link #readLock()}); bulk operations called by the thread that
 *       holds the write lock use it instead of taking it again.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * An index or range outside the array throws {@link IndexOutOfBoundsException} naming the array,
 * the index and the capacity; a rejected call changes nothing.
 *
 * <h2>After close</h2>
 * Every operation on the elements, the locks, the views, the statistics, the fd and the eventfd
 * throws {@link IllegalStateException} naming the array and its segment
 * ({@code "SharedLongArray /dev/shm/prices is closed"}). The facts of the handle that read no shared
 * memory keep answering: {@link #elementType()}, {@link #capacity()}, {@link #elementSize()},
 * {@link #stride()}, {@link #path()}, {@link #describe()}, {@link #created()}, {@link #isClosed()}
 * and {@code toString()}. Closing costs the element operations nothing: their index check, which
 * they make anyway, compares against a bound that close sets to zero, and only its failure path
 * asks whether the array is closed. A use racing with {@code close()} on another thread may also
 * see the JDK's own {@link IllegalStateException} from the memory access.
 */
public abstract sealed class SharedArray implements AutoCloseable
        permits NumericArray, SharedStringArray {

    final Segment segment;
    final ArrayLayout layout;
    /** The data area: element {@code i} at byte {@code i * stride}. */
    final MemorySegment data;
    final int capacity;
    /**
     * The bound every index and range is checked against: {@link #capacity} while open, 0 after
     * {@link #close()}, so that a use after close fails the check it makes anyway (see the class doc).
     */
    int bound;
    final int stride;
    final ArrayLocks locks;
    private final Runnable writeRelease;
    private final Runnable readRelease;
    private final OwnedEventfd eventfd;

    SharedArray(Segment segment, ElementType type) {
        SegmentHeader header = segment.header();
        this.segment = segment;
        this.layout = ArrayLayout.of(type, header.capacity(), header.elementSize());
        MemorySegment memory = segment.memory();
        layout.checkDescriptor(memory, segment.describe());
        this.data = memory.asSlice(layout.dataOffset(), layout.dataBytes());
        this.capacity = layout.capacity();
        this.bound = capacity;
        this.stride = layout.stride();
        this.locks = new ArrayLocks(segment, layout);
        this.eventfd = new OwnedEventfd(describe() + " is closed");
        this.writeRelease = locks::unlockWrite;
        this.readRelease = locks::unlockRead;
    }

    /**
     * Opens the segment {@code options} describe as an array of {@code type} and wraps it; closes
     * the segment again if the wrapper refuses it.
     */
    static <A extends SharedArray> A openArray(ArrayOptions options, ElementType type, Function<Segment, A> wrap) {
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        if (type != ElementType.STR && options.maxLength() != -1) {
            throw new IllegalArgumentException("maxLength is for string arrays only; a " + type
                    + " element has " + type.size() + " bytes");
        }
        int elementSize = type == ElementType.STR ? options.maxLength() : type.size();
        SegmentSpec spec = new SegmentSpec(ArrayKind.INSTANCE, type.variant(), options.capacity(), elementSize,
                options.fileMode());
        return Segment.openAs(options.backing(), options.mode(), spec, wrap);
    }

    // ---- identity and lifecycle ---------------------------------------------------------------

    public final ElementType elementType() {
        return layout.type();
    }

    /** The number of elements; fixed at creation. */
    public final int capacity() {
        return capacity;
    }

    /** Bytes of one element value; for string arrays the largest number of bytes of a value. */
    public final int elementSize() {
        return layout.elementSize();
    }

    /** Bytes from one element to the next in memory and in the raw-byte operations. */
    public final int stride() {
        return stride;
    }

    /** The bytes this process maps for the array: header, locks and data. */
    public final long mappedSize() {
        checkOpen();
        return segment.mappedSize();
    }

    /** The path of a file or shm backing; empty for memfd, fd and anonymous backings. */
    public final Optional<Path> path() {
        return segment.path();
    }

    /**
     * The fd that keeps the memory, -1 for anonymous memory. Another process opens the same array
     * with {@code Backing.fromProcess(pid, fd)} while this array is open.
     */
    public final int fd() {
        checkOpen();
        return segment.fd();
    }

    /** Names the array in messages: its path, memfd name or fd. */
    public final String describe() {
        return segment.describe();
    }

    /** True when this open created the array. */
    public final boolean created() {
        return segment.created();
    }

    /** Writes the data back to the file ({@code msync}); nothing to do for memory-only backings. */
    public final void sync() {
        checkOpen();
        segment.sync();
    }

    /**
     * Removes the array's name from the file system if it has one that still refers to it. Open
     * mappings, this one included, keep working. Returns true when a name was removed.
     */
    public final boolean unlink() {
        checkOpen();
        return segment.unlink();
    }

    public final boolean isClosed() {
        return segment.isClosed();
    }

    /**
     * Unmaps the array and closes its eventfd. Idempotent; any later use throws
     * {@link IllegalStateException}. Pending asynchronous waits on it (its locks' suspended
     * acquisitions, waits on its eventfd) fail with {@link IllegalStateException} saying it was
     * closed, and a {@code signals()} flow of its eventfd completes normally (the convention of
     * {@link io.plenum.sync.Reactor}, "Closing").
     */
    @Override
    public final void close() {
        bound = 0;
        try {
            segment.close();
        } finally {
            eventfd.close();
        }
    }

    /** A snapshot of sizes and counters, for diagnostics. */
    public final ArrayStats stats() {
        checkOpen();
        return new ArrayStats(elementType(), capacity, elementSize(), stride, mappedSize(), describe(),
                locks.recoveries());
    }

    // ---- eventfd ------------------------------------------------------------------------------

    /**
     * This handle's eventfd, created on first call and closed with the array: a counter to tell
     * other threads, event loops or processes that the array changed. Writers
     * {@link #signalEventfd() signal} it after an update; readers {@link #consumeEventfd() consume}
     * it, or wait on it from an event loop or a coroutine (Kotlin: {@code array.notifications()}).
     * Another process shares it by {@code useEventfd(EventNotifier.fromProcess(pid, fd))} or
     * through {@link io.plenum.segment.FdHandoff}.
     */
    public final EventNotifier eventfd() {
        checkOpen();
        return eventfd.get();
    }

    /**
     * Uses {@code notifier} as this handle's eventfd from now on (one of another process, say,
     * opened by {@link EventNotifier#fromProcess} or {@link EventNotifier#attach}, which check that
     * the fd is an eventfd); the previous one is closed, and the array closes this one (at once,
     * throwing {@link IllegalStateException}, when the array is closed already).
     */
    public final void useEventfd(EventNotifier notifier) {
        eventfd.use(notifier); // closes notifier if the array is closed: it was handed over
    }

    /** Adds 1 to the eventfd's counter, waking its waiters in every process; false when this handle has none yet. */
    public final boolean signalEventfd() {
        checkOpen();
        return eventfd.signal();
    }

    /** Takes the eventfd's counter (0 when nothing was signalled since, or this handle has none). */
    public final long consumeEventfd() {
        checkOpen();
        return eventfd.consume();
    }

    // ---- explicit locking -------------------------------------------------------------------

    /**
     * Blocks until this thread holds the write lock: no other bulk writer, batch or read-lock holder
     * runs until {@link LockGuard#close()}, and bulk readers retry until then. Bulk operations of
     * this thread inside the batch use the held lock. Not reentrant: taking it again, or taking it
     * while holding the read lock, throws {@link IllegalStateException}.
     * <pre>{@code
     * try (LockGuard batch = metrics.writeLock()) {
     *     long total = metrics.get(0) + metrics.get(1);
     *     metrics.fill(0L);          // bulk operations inside the batch use the held lock
     *     metrics.set(2, total);
     * }
     * }</pre>
     * Single-element operations of other threads and processes are lock-free and are not held off:
     * the lock orders bulk writers and readers. {@link LockGuard#recovered()} after a dead writer
     * means a bulk write it was doing may be incomplete (each element is whole).
     */
    public final LockGuard writeLock() {
        checkOpen();
        return LockGuard.of(locks.writeLock(), writeRelease);
    }

    /** As {@link #writeLock()}, waiting at most {@code timeout}; null when the time passed. */
    public final @Nullable LockGuard tryWriteLock(Duration timeout) throws InterruptedException {
        checkOpen();
        LockResult result = locks.tryWriteLock(timeout);
        return result.acquired() ? LockGuard.of(result, writeRelease) : null;
    }

    /**
     * Blocks until this thread holds a read lock: no bulk writer or write batch runs until
     * {@link LockGuard#close()}; other readers may. Bulk writes by this thread meanwhile throw
     * {@link IllegalStateException} (no upgrades).
     */
    public final LockGuard readLock() {
        checkOpen();
        return LockGuard.of(locks.readLock(), readRelease);
    }

    /** As {@link #readLock()}, waiting at most {@code timeout}; null when the time passed. */
    public final @Nullable LockGuard tryReadLock(Duration timeout) throws InterruptedException {
        checkOpen();
        LockResult result = locks.tryReadLock(timeout);
        return result.acquired() ? LockGuard.of(result, readRelease) : null;
    }

    // ---- zero copy ----------------------------------------------------------------------------

    /**
     * A read-only view of the elements, {@code capacity * stride} bytes, for native code and other
     * FFM users: no copy, valid until {@link #close()}. Reading it takes no lock.
     */
    public final MemorySegment view() {
        checkOpen();
        return data.asSlice(0, (long) capacity * stride).asReadOnly();
    }

    /** A read-only view of element {@code index}: {@link #stride()} bytes. */
    public final MemorySegment view(int index) {
        return data.asSlice((long) checkIndex(index) * stride, stride).asReadOnly();
    }

    // ---- raw bytes ----------------------------------------------------------------------------

    /** The raw bytes of {@code count} elements from {@code from}: {@code count * stride} bytes, little-endian. */
    public final byte[] getRaw(int from, int count) {
        checkRange(from, count);
        byte[] bytes = new byte[Math.multiplyExact(count, stride)];
        readElements(from, count, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }

    /**
     * Writes raw bytes over the elements from {@code from}; {@code bytes.length} must be a multiple
     * of {@link #stride()}.
     */
    public final void setRaw(int from, byte[] bytes) {
        writeElements(from, elementsIn(bytes.length, "bytes.length"), MemorySegment.ofArray(bytes), 0);
    }

    /** Copies the raw bytes of {@code count} elements from {@code from} into {@code dst} at its position, which advances. */
    public final void getRaw(int from, int count, ByteBuffer dst) {
        checkRange(from, count);
        int bytes = Math.multiplyExact(count, stride);
        if (dst.remaining() < bytes) {
            throw new IndexOutOfBoundsException(describe() + ": " + count + " elements need " + bytes
                    + " bytes, the buffer has " + dst.remaining() + " remaining");
        }
        readElements(from, count, MemorySegment.ofBuffer(dst), 0);
        dst.position(dst.position() + bytes);
    }

    /**
     * Writes the remaining bytes of {@code src} (a multiple of {@link #stride()}) over the elements
     * from {@code from}; the buffer's position advances past them.
     */
    public final void setRaw(int from, ByteBuffer src) {
        int bytes = src.remaining();
        writeElements(from, elementsIn(bytes, "src.remaining()"), MemorySegment.ofBuffer(src), 0);
        src.position(src.position() + bytes);
    }

    /** Copies the raw bytes of {@code count} elements from {@code from} to {@code dst} at {@code dstOffset}. */
    public final void getRaw(int from, int count, MemorySegment dst, long dstOffset) {
        checkRange(from, count);
        readElements(from, count, dst, dstOffset);
    }

    /** Writes the raw bytes of {@code count} elements from {@code from}, read from {@code src} at {@code srcOffset}. */
    public final void setRaw(int from, MemorySegment src, long srcOffset, int count) {
        writeElements(from, count, src, srcOffset);
    }

    /** Sets every element to zero (numbers) or empty (strings). */
    public final void clear() {
        clear(0, capacity);
    }

    /** Sets {@code count} elements from {@code from} to zero (numbers) or empty (strings). */
    public final void clear(int from, int count) {
        fillElements(from, count, 0);
    }

    // ---- for the typed classes ----------------------------------------------------------------

    /** Returns {@code index} if it names an element, else throws. */
    final int checkIndex(int index) {
        if (Integer.compareUnsigned(index, bound) >= 0) {
            checkOpen();
            throw new IndexOutOfBoundsException(describe() + ": index " + index + " out of bounds for capacity " + capacity);
        }
        return index;
    }

    final void checkRange(int from, int count) {
        if (from < 0 || count < 0 || from > bound - count) {
            checkOpen();
            throw new IndexOutOfBoundsException(describe() + ": range of " + count + " elements from " + from
                    + " out of bounds for capacity " + capacity);
        }
    }

    /** Throws the named {@link IllegalStateException} when the array is closed. */
    final void checkOpen() {
        if (segment.isClosed()) {
            throw UseAfterClose.of(getClass().getSimpleName() + " " + describe());
        }
    }

    private int elementsIn(long bytes, String what) {
        if (bytes % stride != 0) {
            throw new IllegalArgumentException(describe() + ": " + what + " " + bytes
                    + " is not a multiple of the element stride " + stride);
        }
        return (int) (bytes / stride);
    }

    /** The width of the accesses that keep one element whole. */
    private int unit() {
        return layout.type() == ElementType.STR ? 4 : stride;
    }

    /**
     * Copies elements {@code [from, from + count)} to {@code dst}: a consistent snapshot with respect
     * to bulk writers. The caller has checked the range.
     */
    final void readElements(int from, int count, MemorySegment dst, long dstOffset) {
        checkOpen(); // the range check passes an empty range after close
        long offset = (long) from * stride;
        long bytes = (long) count * stride;
        int unit = unit();
        while (true) {
            long sequence = locks.readBegin();
            Units.copy(data, offset, dst, dstOffset, bytes, unit);
            if (locks.readValidate(sequence)) {
                return;
            }
        }
    }

    /** Writes {@code count} elements from {@code from}, read from {@code src}, under the write lock. */
    final void writeElements(int from, int count, MemorySegment src, long srcOffset) {
        checkRange(from, count);
        checkOpen(); // the range check passes an empty range after close
        checkSource(from, count, src, srcOffset);
        boolean locked = locks.acquireForBulkWrite();
        try {
            Units.copy(src, srcOffset, data, (long) from * stride, (long) count * stride, unit());
        } finally {
            if (locked) {
                locks.releaseBulkWrite();
            }
        }
    }

    /** Hook for string arrays: rejects source bytes that are not valid elements, before any write. */
    void checkSource(int from, int count, MemorySegment src, long srcOffset) {
    }

    /** Sets {@code count} elements from {@code from} to the low element-size bytes of {@code bits}. */
    final void fillElements(int from, int count, long bits) {
        checkRange(from, count);
        checkOpen();
        boolean locked = locks.acquireForBulkWrite();
        try {
            if (layout.type() == ElementType.STR) {
                data.asSlice((long) from * stride, (long) count * stride).fill((byte) 0);
            } else {
                Units.fill(data, (long) from * stride, count, stride, bits);
            }
        } finally {
            if (locked) {
                locks.releaseBulkWrite();
            }
        }
    }

    /**
     * Adds {@code deltas[i]} to element {@code from + i} for every {@code i}, each add atomic, all of
     * them under the write lock. {@code deltas} holds {@code count} values of this array's element type
     * (raw bits: two's complement addition is the same for signed and unsigned elements).
     */
    final void addElements(int from, int count, MemorySegment deltas) {
        checkRange(from, count);
        checkOpen();
        boolean locked = locks.acquireForBulkWrite();
        try {
            long offset = (long) from * stride;
            for (int i = 0; i < count; i++, offset += stride) {
                Arithmetic.add(layout.type(), data, offset, deltas, (long) i * stride);
            }
        } finally {
            if (locked) {
                locks.releaseBulkWrite();
            }
        }
    }

    /** A read-only little-endian buffer over the elements, for the typed views. */
    final ByteBuffer byteView() {
        return view().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describe() + ", " + elementType() + " x " + capacity
                + (isClosed() ? ", closed]" : "]");
    }
}
