package io.plenum.array;

import io.plenum.segment.Segment;
import io.plenum.sync.LockResult;
import io.plenum.sync.OwnerDiedException;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Seqlock;
import io.plenum.sync.SharedRwLock;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The locks of one array, embedded in its segment ({@link ArrayLayout}): a {@link SharedRwLock}
 * that serialises bulk writers and batches, and a {@link Seqlock} that lets bulk readers copy
 * without blocking anyone. Single-element operations never touch them.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>Write (a bulk write, or a batch under {@code writeLock()}): take the rw-lock for writing
 *       (waits for other writers and for read-lock holders), then begin a seqlock write (the
 *       sequence turns odd); release in the reverse order. The seqlock's own writer word is never
 *       contended, since the rw-lock admits one writer at a time.</li>
 *   <li>Bulk read: seqlock read, retried while a write overlapped. A thread that holds the write
 *       lock (or a read lock) of this array reads directly: no writer can be active but itself, and
 *       waiting for the odd sequence it made would never end.</li>
 *   <li>Bulk write by the thread that holds the write lock: writes directly, inside the batch's
 *       seqlock write. Bulk write by a thread that holds a read lock: {@link IllegalStateException}
 *       (no upgrades), never a deadlock.</li>
 * </ul>
 *
 * <h2>Crash safety</h2>
 * A process killed during a bulk write leaves each element whole (elements are written in single
 * accesses) but the write incomplete and the sequence odd. The next writer recovers the rw-lock
 * and the seqlock from the dead holder; a bulk reader that finds the sequence torn performs that
 * recovery itself (an empty write), so the array stays readable without waiting for a writer.
 * {@link #recoveries()} counts both locks' recoveries.
 */
final class ArrayLocks {
    /** What {@link #readBegin()} returns when the thread's own lock makes validation needless. */
    private static final long HELD = -1;

    private final SharedRwLock rwLock;
    private final Seqlock seqlock;
    /** The thread holding the write lock through this instance; read only by threads comparing it to themselves. */
    private Thread writeHolder;
    /** Read holds taken through this instance, by any thread: lets bulk reads skip the thread-local lookup. */
    private final AtomicInteger readHoldsHere = new AtomicInteger();
    private final ThreadLocal<int[]> readHolds = ThreadLocal.withInitial(() -> new int[1]);

    ArrayLocks(Segment segment, ArrayLayout layout) {
        MemorySegment memory = segment.memory();
        OwnerTable owners = new OwnerTable(memory, layout.ownerTableOffset(), layout.ownerEntries(), segment.describe());
        this.rwLock = SharedRwLock.embedded(memory, layout.rwLockOffset(), owners);
        this.seqlock = Seqlock.embedded(memory, layout.seqlockOffset(), owners);
    }

    /** Writes free locks and an empty owner table into a new segment. */
    static void initialize(MemorySegment memory, ArrayLayout layout) {
        OwnerTable.initialize(memory, layout.ownerTableOffset(), layout.ownerEntries());
        SharedRwLock.initialize(memory, layout.rwLockOffset(), layout.ownerEntries());
        Seqlock.initialize(memory, layout.seqlockOffset());
    }

    // ---- bulk operations ----------------------------------------------------------------------

    /** Takes the write lock unless this thread holds it already; true when it took it. */
    boolean acquireForBulkWrite() {
        if (writeHolder == Thread.currentThread()) {
            return false;
        }
        lockWrite(rwLock.writeLock());
        return true;
    }

    void releaseBulkWrite() {
        unlockWrite();
    }

    /** A stamp for {@link #readValidate}; waits while a bulk write is in progress. */
    long readBegin() {
        if (writeHolder == Thread.currentThread() || (readHoldsHere.get() != 0 && readHolds.get()[0] > 0)) {
            return HELD;
        }
        while (true) {
            try {
                return seqlock.beginRead();
            } catch (OwnerDiedException e) {
                repairTornWrite();
            }
        }
    }

    boolean readValidate(long stamp) {
        return stamp == HELD || seqlock.validate((int) stamp);
    }

    /** A writer died mid-write: complete an empty write, which recovers both locks. */
    private void repairTornWrite() {
        lockWrite(rwLock.writeLock());
        unlockWrite();
    }

    // ---- explicit locking ---------------------------------------------------------------------

    /** Blocks until the write lock is held. */
    LockResult writeLock() {
        LockResult result = rwLock.writeLock();
        return lockWrite(result);
    }

    /** The write lock within {@code timeout}, or {@link LockResult#NOT_ACQUIRED}. */
    LockResult tryWriteLock(Duration timeout) throws InterruptedException {
        LockResult result = rwLock.tryWriteLock(timeout);
        return result.acquired() ? lockWrite(result) : result;
    }

    /** With the rw-lock held for writing: opens the seqlock write. */
    private LockResult lockWrite(LockResult rwResult) {
        LockResult seqResult;
        try {
            seqResult = seqlock.beginWrite();
        } catch (RuntimeException e) {
            rwLock.writeUnlock();
            throw e;
        }
        writeHolder = Thread.currentThread();
        return rwResult.recovered() || seqResult.recovered() ? LockResult.RECOVERED : LockResult.ACQUIRED;
    }

    void unlockWrite() {
        if (writeHolder != Thread.currentThread()) {
            throw new IllegalMonitorStateException("this thread does not hold the array's write lock");
        }
        writeHolder = null;
        try {
            seqlock.endWrite();
        } finally {
            rwLock.writeUnlock();
        }
    }

    LockResult readLock() {
        return countRead(rwLock.readLock());
    }

    LockResult tryReadLock(Duration timeout) throws InterruptedException {
        return countRead(rwLock.tryReadLock(timeout));
    }

    private LockResult countRead(LockResult result) {
        if (result.acquired()) {
            readHolds.get()[0]++;
            readHoldsHere.incrementAndGet();
        }
        return result;
    }

    void unlockRead() {
        int[] holds = readHolds.get();
        if (holds[0] == 0) {
            throw new IllegalMonitorStateException("this thread holds no read lock of the array");
        }
        holds[0]--;
        readHoldsHere.decrementAndGet();
        rwLock.readUnlock();
    }

    boolean isWriteLockedByCurrentThread() {
        return writeHolder == Thread.currentThread();
    }

    /** Dead holders recovered by any process, of the rw-lock and of the seqlock. */
    long recoveries() {
        return (long) rwLock.recoveries() + seqlock.recoveries();
    }
}
