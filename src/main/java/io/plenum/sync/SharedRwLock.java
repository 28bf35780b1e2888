package io.plenum.sync;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A write-preferring readers-writer lock in shared memory that recovers dead writers <em>and</em>
 * dead readers.
 *
 * <h2>Layout ({@link #bytesFor(int) bytesFor(entries)} bytes, 8-aligned)</h2>
 * <pre>
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  | writer u32    | waiters u32   | writerThread  | recoveries u32|   the writer word (OwnedWord)
 *  +---------------+---------------+---------------+---------------+
 * 16               20              24              28              32
 *  | drained u32   | waiters u32   | entries u32   | readersSeen   |   drained: a wait word for writers
 *  +---------------+---------------+---------------+---------------+
 * 32 + 8 * i, one reader slot per owner-table entry i (0 &lt;= i &lt; entries):
 *  +---------------+---------------+
 *  | count u32     | owner u32     |   read holds of the process whose token is owner
 *  +---------------+---------------+
 * </pre>
 * {@code entries} equals the segment's {@link OwnerTable} entry count. {@code readersSeen} is the
 * reader summary: bit {@code i % 32} is set while slot {@code i} may hold read holds (one bit covers
 * the slots {@code i, i + 32, i + 64, …}); with it a writer skips the slot scan in the common case.
 *
 * <h2>Protocol</h2>
 * Readers are counted per process, in the slot of their owner-table entry, so a dead reader's
 * holds can be found and removed: they are the slot's count while its owner token is dead.
 * <ul>
 *   <li>Reader: (1) adds one to its slot (CAS of the 64-bit slot; a slot still holding an older
 *       token of the same entry belongs to a dead process and is taken over, its count dropped);
 *       (2) reads {@code writer}: 0 means the read lock is held. Otherwise (3) it takes its hold
 *       back, bumps {@code drained} (waking a draining writer), and waits on {@code writer}.
 *       Between (1) and (2) it makes sure its slot's bit of {@code readersSeen} is set (a plain
 *       volatile read, and an atomic OR only when the bit is clear: once per process in the
 *       common case, since readers never clear it).</li>
 *   <li>Writer: (1) takes {@code writer} like a {@link SharedMutex} (from that moment no new reader
 *       gets in: this is the write preference, and no stream of readers can starve a writer);
 *       (2) reads {@code drained} and {@code readersSeen}; 0 means no reader holds (done). For each
 *       set bit it scans that bit's slots; while a slot of a live process has holds it sleeps on
 *       {@code drained}. A slot whose owner is dead is set to count 0 (a recovery). A bit whose
 *       slots all read 0 is cleared, then its slots are read again and the bit set back if any
 *       has holds. Only the holder of {@code writer} clears bits.</li>
 *   <li>Reader release: takes one from its slot, then, if {@code writer} is set, bumps
 *       {@code drained} and wakes it.</li>
 *   <li>Writer release: {@code writer} = 0 and wakes everyone waiting on it.</li>
 * </ul>
 * All of these are volatile accesses, hence sequentially consistent: either a reader's step (2)
 * sees the writer, or the writer's scan sees the reader's hold; a release that the scan missed
 * changed {@code drained} after the writer read it, so its futex sleep returns at once.
 * The summary keeps this: a reader that gets in set (or saw) its bit after its slot CAS and before
 * its read of {@code writer}, so before the writer took {@code writer} and read the summary. A
 * writer that cleared the bit in between held {@code writer} (so the reader could only get in after
 * it let go) and re-read the slots after clearing, saw the hold, and set the bit back before
 * letting go. A bit left set by a dead reader (or by a reader that backed off) costs the next writer
 * one scan of its slots, after which that writer clears it: the summary heals at the first write.
 * Every step is a single CAS or store, so a process killed anywhere leaves holds that are either
 * recorded (and recovered once it is dead) or absent.
 *
 * <h2>Recovery</h2>
 * A waiting writer recovers dead readers and dead writers; a waiting reader recovers a dead writer.
 * Both learn it through {@link LockResult#RECOVERED}. After a dead writer, the data it guarded may
 * be half-written.
 *
 * <h2>Reentrancy</h2>
 * Neither side is reentrant, and nesting is detected: a thread that asks for the read or write lock
 * while it holds either (through a blocking call) gets {@link IllegalStateException} instead of a
 * deadlock. Asynchronous holds belong to the process and are not tracked per thread.
 */
public final class SharedRwLock implements AutoCloseable {
    public static final long WRITER_OFFSET = 0;
    public static final long DRAINED_OFFSET = 16;
    public static final long ENTRIES_OFFSET = 24;
    public static final long READERS_SEEN_OFFSET = 28;
    public static final long SLOTS_OFFSET = 32;
    public static final long SLOT_SIZE = 8;

    static final LockSegmentKind KIND = new LockSegmentKind("rwlock", "PLRW", 2, SharedRwLock::bytesFor,
            SharedRwLock::initialize);

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment memory;
    private final long offset;
    private final OwnedWord writer;
    private final OwnerTable owners;
    private final int entries;
    private final Runnable readRelease = this::readUnlock;
    private final Runnable writeRelease = this::writeUnlock;
    private final long checkIntervalNanos;
    private final Segment segment;
    private final RestartThrottle drainedRestarts = new RestartThrottle();
    private final ThreadLocal<int[]> readHolds = ThreadLocal.withInitial(() -> new int[1]);

    private SharedRwLock(MemorySegment memory, long offset, OwnerTable owners, long checkIntervalNanos,
                         String what, Segment segment) {
        int stored = (int) INT.getVolatile(memory, offset + ENTRIES_OFFSET);
        if (stored != owners.entries()) {
            throw new SegmentFormatException(what + ": field entries at offset " + (offset + ENTRIES_OFFSET)
                    + ": " + stored + ", but the owner table has " + owners.entries());
        }
        java.util.Objects.checkFromIndexSize(offset, bytesFor(owners.entries()), memory.byteSize());
        this.memory = memory;
        this.offset = offset;
        this.owners = owners;
        this.entries = owners.entries();
        this.checkIntervalNanos = checkIntervalNanos;
        this.writer = new OwnedWord(memory, offset + WRITER_OFFSET, owners, checkIntervalNanos, what, true);
        this.segment = segment;
    }

    /** The bytes of a lock for a segment whose owner table has {@code ownerEntries} entries. */
    public static long bytesFor(int ownerEntries) {
        if (ownerEntries < 1 || ownerEntries > OwnerTable.MAX_ENTRIES) {
            throw new IllegalArgumentException("ownerEntries must be 1.." + OwnerTable.MAX_ENTRIES + ": " + ownerEntries);
        }
        return SLOTS_OFFSET + SLOT_SIZE * ownerEntries;
    }

    /** Writes a new, free lock: for the creator of the segment, before anyone else sees it. */
    public static void initialize(MemorySegment memory, long offset, int ownerEntries) {
        Waiting.checkWord(memory, offset, "rwlock");
        memory.asSlice(offset, bytesFor(ownerEntries)).fill((byte) 0);
        INT.setRelease(memory, offset + ENTRIES_OFFSET, ownerEntries);
    }

    /** The lock at {@code offset} of a segment whose processes are recorded in {@code owners}. */
    public static SharedRwLock embedded(MemorySegment memory, long offset, OwnerTable owners) {
        return embedded(memory, offset, owners, SharedMutex.DEFAULT_RECOVERY_CHECK);
    }

    public static SharedRwLock embedded(MemorySegment memory, long offset, OwnerTable owners, Duration recoveryCheck) {
        Waiting.checkWord(memory, offset, "rwlock");
        return new SharedRwLock(memory, offset, owners, SharedMutex.checkNanos(recoveryCheck),
                "rwlock at offset " + offset + " of " + owners.where(), null);
    }

    /** Opens or creates the standalone rwlock {@code options} describe (see {@link LockOptions}). */
    public static SharedRwLock open(LockOptions options) {
        return KIND.openLock(options, (memory, offset, owners, check, segment) ->
                new SharedRwLock(memory, offset, owners, check, "rwlock " + segment.describe(), segment));
    }

    // ---- read side ----

    /**
     * Blocks until a read hold is taken. Ignores interrupts (the flag stays set). Hidden from Kotlin
     * ({@link KotlinVerbs}), where {@code readLock()} suspends and {@code readLockBlocking()} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public LockResult readLock() {
        return readLockUninterruptibly();
    }

    /** {@link #readLock()}, under a name Kotlin sees (for its {@code readLockBlocking()}). */
    LockResult readLockUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return readLock(Waiting.NO_DEADLINE, true);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public LockResult readLockInterruptibly() throws InterruptedException {
        try {
            return readLock(Waiting.NO_DEADLINE, true);
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    /** Takes a read hold if no writer holds or waits for the lock now. */
    public LockResult tryReadLock() {
        try {
            checkNotNested();
            if (tryRead()) {
                readHolds.get()[0]++;
                return LockResult.ACQUIRED;
            }
            return LockResult.NOT_ACQUIRED;
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    public LockResult tryReadLock(Duration timeout) throws InterruptedException {
        try {
            return readLock(Deadlines.after(timeout), true);
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    public CompletableFuture<LockResult> readLockAsync() {
        writer.checkOpen();
        return AsyncAcquisition.startRead(this);
    }

    /** Releases a read hold of this process. */
    public void readUnlock() {
        try {
            int[] holds = readHolds.get();
            if (holds[0] > 0) {
                holds[0]--;
            }
            releaseRead();
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    /** Releases a read hold taken asynchronously (not tracked per thread). */
    void releaseRead() {
        int me = owners.currentOwner();
        long slot = slotOffset(OwnerTable.indexOf(me));
        while (true) {
            long current = (long) LONG.getVolatile(memory, slot);
            if (ownerOf(current) != me || countOf(current) == 0) {
                throw new IllegalMonitorStateException(writer.what() + ": this process holds no read lock");
            }
            if (LONG.compareAndSet(memory, slot, current, current - 1)) {
                break;
            }
        }
        notifyWriter();
    }

    private void checkNotNested() {
        if (readHolds.get()[0] > 0) {
            throw new IllegalStateException(writer.what() + ": this thread already holds a read lock (it is not reentrant)");
        }
        if (writer.heldByCurrentThread()) {
            throw new IllegalStateException(writer.what() + ": this thread holds the write lock");
        }
    }

    private LockResult readLock(long deadlineNanos, boolean tracked) throws InterruptedException {
        if (tracked) {
            checkNotNested();
        }
        if (tryRead()) { // uncontended: no clock read (a clock read costs as much as the rest of the path)
            if (tracked) {
                readHolds.get()[0]++;
            }
            return LockResult.ACQUIRED;
        }
        boolean recovered = false;
        long nextCheck = System.nanoTime() + Math.min(OwnedWord.FIRST_CHECK_NANOS, checkIntervalNanos);
        int spins = 0;
        while (true) {
            if (tryRead()) {
                if (tracked) {
                    readHolds.get()[0]++;
                }
                return recovered ? LockResult.RECOVERED : LockResult.ACQUIRED;
            }
            int holder = writer.owner();
            if (holder == 0) {
                continue;
            }
            if (spins < Waiting.SPIN_TRIES) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (now - nextCheck >= 0) {
                nextCheck = now + checkIntervalNanos;
                if (writer.freeIfDead(holder)) {
                    recovered = true;
                    continue;
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long sleep = Math.min(Waiting.SLICE_NANOS, nextCheck - now);
            if (deadlineNanos != Waiting.NO_DEADLINE) {
                long left = deadlineNanos - now;
                if (left <= 0) {
                    return LockResult.NOT_ACQUIRED;
                }
                sleep = Math.min(sleep, left);
            }
            Waiting.sleep(memory, offset + WRITER_OFFSET, holder, Math.max(sleep, 1));
        }
    }

    /** One attempt: add a hold, keep it if no writer is there. */
    boolean tryRead() {
        if (writer.owner() != 0) {
            return false;
        }
        int me = owners.currentOwner();
        long slot = slotOffset(OwnerTable.indexOf(me));
        while (true) {
            long current = (long) LONG.getVolatile(memory, slot);
            long next;
            if (ownerOf(current) == me) {
                next = current + 1;
            } else {
                // An older token of our own entry: its process is dead, its holds die with it.
                if (countOf(current) != 0) {
                    writer.countRecovery();
                }
                next = slot(me, 1);
            }
            if (LONG.compareAndSet(memory, slot, current, next)) {
                break;
            }
        }
        // After the slot CAS, before the read of writer (see "Protocol"): the bit stays set from
        // the process's first read until a writer finds all its slots empty, so this is one load.
        int bit = 1 << OwnerTable.indexOf(me); // shift counts are taken mod 32: bit i % 32
        if (((int) INT.getVolatile(memory, offset + READERS_SEEN_OFFSET) & bit) == 0) {
            INT.getAndBitwiseOr(memory, offset + READERS_SEEN_OFFSET, bit);
        }
        if (writer.owner() == 0) {
            return true;
        }
        releaseRead();
        return false;
    }

    private void notifyWriter() {
        if (writer.owner() != 0) {
            bumpDrained();
        }
    }

    /**
     * Moves {@code drained} (a pure signal) and wakes its waiters. A wake that finds nobody asleep
     * although the count says someone waits restarts the count now and then (see
     * {@link Waiting#restartSignal}): a writer killed asleep on it would otherwise make every later
     * bump of every process a syscall.
     */
    private void bumpDrained() {
        drainedRestarts.bump(memory, offset + DRAINED_OFFSET);
    }

    // ---- write side ----

    /**
     * Blocks until the write lock is held. Ignores interrupts (the flag stays set). Hidden from Kotlin
     * ({@link KotlinVerbs}), where {@code writeLock()} suspends and {@code writeLockBlocking()} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public LockResult writeLock() {
        return writeLockUninterruptibly();
    }

    /** {@link #writeLock()}, under a name Kotlin sees (for its {@code writeLockBlocking()}). */
    LockResult writeLockUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return writeLock(Waiting.NO_DEADLINE, OwnedWord.threadTag());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public LockResult writeLockInterruptibly() throws InterruptedException {
        try {
            return writeLock(Waiting.NO_DEADLINE, OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    /** Takes the write lock if nobody holds the lock at all now. */
    public LockResult tryWriteLock() {
        try {
            if (readHolds.get()[0] > 0) {
                throw new IllegalStateException(writer.what() + ": this thread holds a read lock (no upgrades)");
            }
            LockResult result = writer.tryAcquire(OwnedWord.threadTag());
            if (!result.acquired()) {
                return result;
            }
            if (!anyReaders()) {
                return result;
            }
            writer.release(OwnedWord.threadTag());
            return LockResult.NOT_ACQUIRED;
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    public LockResult tryWriteLock(Duration timeout) throws InterruptedException {
        try {
            return writeLock(Deadlines.after(timeout), OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    public CompletableFuture<LockResult> writeLockAsync() {
        writer.checkOpen();
        return AsyncAcquisition.startWrite(this);
    }

    public void writeUnlock() {
        try {
            writer.release(OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    LockResult writeLock(long deadlineNanos, int tag) throws InterruptedException {
        if (tag != 0 && readHolds.get()[0] > 0) {
            throw new IllegalStateException(writer.what() + ": this thread holds a read lock (no upgrades)");
        }
        LockResult result = writer.acquire(tag, deadlineNanos);
        if (!result.acquired()) {
            return result;
        }
        boolean done = false;
        try {
            LockResult drained = drain(deadlineNanos);
            if (!drained.acquired()) {
                return drained;
            }
            done = true;
            return result.recovered() || drained.recovered() ? LockResult.RECOVERED : LockResult.ACQUIRED;
        } finally {
            if (!done) {
                writer.release(tag);
            }
        }
    }

    /**
     * True when some slot records read holds (of live or not yet recovered dead processes). Only
     * for the holder of the writer word: it clears the summary bits of empty slot groups.
     */
    boolean anyReaders() {
        long summary = offset + READERS_SEEN_OFFSET;
        int seen = (int) INT.getVolatile(memory, summary);
        // Invariant: a reader that holds has its bit set (see "Protocol"), so 0 means none.
        while (seen != 0) {
            int bit = Integer.lowestOneBit(seen);
            seen &= ~bit;
            int group = Integer.numberOfTrailingZeros(bit);
            if (groupHolds(group)) {
                return true;
            }
            INT.getAndBitwiseAnd(memory, summary, ~bit);
            if (groupHolds(group)) { // a reader between its slot CAS and its bit check: restore
                INT.getAndBitwiseOr(memory, summary, bit);
                return true;
            }
        }
        return false;
    }

    /** True when a slot of summary bit {@code group} (slots group, group + 32, …) has holds. */
    private boolean groupHolds(int group) {
        for (int i = group; i < entries; i += Integer.SIZE) {
            if (countOf((long) LONG.getVolatile(memory, slotOffset(i))) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Clears the holds of every slot whose process is dead, and of every slot that no process can
     * ever release; returns how many slots were cleared.
     */
    int recoverDeadReaders() {
        int recovered = 0;
        for (int i = 0; i < entries; i++) {
            long slot = slotOffset(i);
            long current = (long) LONG.getVolatile(memory, slot);
            if (countOf(current) != 0 && (orphaned(i, current) || owners.isDead(ownerOf(current)))
                    && LONG.compareAndSet(memory, slot, current, slot(ownerOf(current), 0))) {
                writer.countRecovery();
                recovered++;
            }
        }
        return recovered;
    }

    /**
     * True when slot {@code index} holds {@code slot}, a state no process can produce and so none
     * will ever release: holds without an owner (readers always write their token with the count),
     * or holds of a token whose entry is another slot's (a reader only counts in its own entry's
     * slot, and never touches another). Such holds are cleared like a dead reader's, so that no
     * writer waits for them for ever.
     */
    private static boolean orphaned(int index, long slot) {
        int owner = ownerOf(slot);
        return owner == OwnerTable.NO_OWNER || OwnerTable.indexOf(owner) != index;
    }

    /** With the writer word held: waits until no live process holds a read lock. */
    private LockResult drain(long deadlineNanos) throws InterruptedException {
        if (!anyReaders()) { // uncontended: no clock read
            return LockResult.ACQUIRED;
        }
        boolean recovered = false;
        long nextCheck = System.nanoTime() + Math.min(OwnedWord.FIRST_CHECK_NANOS, checkIntervalNanos);
        int spins = 0;
        while (true) {
            int event = Waiting.value(memory, offset + DRAINED_OFFSET);
            if (!anyReaders()) {
                return recovered ? LockResult.RECOVERED : LockResult.ACQUIRED;
            }
            long now = System.nanoTime();
            if (spins >= Waiting.SPIN_TRIES && now - nextCheck >= 0) {
                nextCheck = now + checkIntervalNanos;
                if (recoverDeadReaders() > 0) {
                    recovered = true;
                    continue;
                }
            }
            if (spins < Waiting.SPIN_TRIES) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long sleep = Math.min(Waiting.SLICE_NANOS, Math.max(nextCheck - now, 1));
            if (deadlineNanos != Waiting.NO_DEADLINE) {
                long left = deadlineNanos - now;
                if (left <= 0) {
                    return LockResult.NOT_ACQUIRED;
                }
                sleep = Math.min(sleep, left);
            }
            Waiting.sleep(memory, offset + DRAINED_OFFSET, event, sleep);
        }
    }

    // ---- guards ----

    public LockGuard readGuard() {
        return LockGuard.of(readLock(), readRelease);
    }

    public @Nullable LockGuard tryReadGuard(Duration timeout) throws InterruptedException {
        LockResult result = tryReadLock(timeout);
        return LockGuard.orNull(result, readRelease);
    }

    public LockGuard writeGuard() {
        return LockGuard.of(writeLock(), writeRelease);
    }

    public @Nullable LockGuard tryWriteGuard(Duration timeout) throws InterruptedException {
        LockResult result = tryWriteLock(timeout);
        return LockGuard.orNull(result, writeRelease);
    }

    // ---- state ----

    /** True when some process holds or is taking the write lock. */
    public boolean isWriteLocked() {
        writer.checkOpen();
        return writer.owner() != 0;
    }

    public boolean isWriteLockedByCurrentThread() {
        writer.checkOpen();
        return writer.heldByCurrentThread();
    }

    /** The read holds recorded now, over all processes (dead ones included until recovered). */
    public int readHolds() {
        writer.checkOpen();
        int total = 0;
        for (int i = 0; i < entries; i++) {
            total += countOf((long) LONG.getVolatile(memory, slotOffset(i)));
        }
        return total;
    }

    /** How many dead holders (writers or reading processes) were recovered, by any process. */
    public int recoveries() {
        writer.checkOpen();
        return writer.recoveries();
    }

    /**
     * Removes dead readers' holds and a dead writer's hold now. Returns true when anything was removed.
     *
     * @throws ForeignOwnerException the writer lives in another pid namespace
     */
    public boolean recoverIfDead() {
        writer.checkOpen();
        boolean writerFreed = writer.releaseIfDead();
        boolean readersFreed = recoverDeadReaders() > 0;
        if (readersFreed) {
            bumpDrained();
        }
        return writerFreed || readersFreed;
    }

    OwnedWord writerWord() {
        return writer;
    }

    MemorySegment memory() {
        return memory;
    }

    /** The reader summary word {@code readersSeen} (for tests). */
    long readersSeenOffset() {
        return offset + READERS_SEEN_OFFSET;
    }

    long drainedOffset() {
        return offset + DRAINED_OFFSET;
    }

    long checkIntervalNanos() {
        return checkIntervalNanos;
    }

    public @Nullable Segment segment() {
        return segment;
    }

    /**
     * Closes a standalone lock's segment; nothing for an embedded one. Releases nothing. Afterwards
     * (for an embedded one: once its segment is closed) every method but {@link #segment()} throws
     * {@link IllegalStateException} naming it and its segment.
     * Pending asynchronous acquisitions on it fail with {@link IllegalStateException} saying the
     * segment was closed (see {@link Reactor}, "Closing").
     */
    @Override
    public void close() {
        if (segment != null) {
            segment.close();
        }
    }

    private long slotOffset(int index) {
        return offset + SLOTS_OFFSET + SLOT_SIZE * index;
    }

    private static long slot(int owner, int count) {
        return ((long) owner << 32) | (count & 0xFFFF_FFFFL);
    }

    private static int ownerOf(long slot) {
        return (int) (slot >>> 32);
    }

    private static int countOf(long slot) {
        return (int) slot;
    }
}
