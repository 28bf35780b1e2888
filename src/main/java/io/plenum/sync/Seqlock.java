package io.plenum.sync;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A sequence lock: lock-free optimistic reads of multi-word data, with writers serialised by a
 * robust writer word, and a writer's death detected so that readers never spin forever.
 *
 * <h2>Layout ({@link #SIZE} = 32 bytes, 8-aligned)</h2>
 * <pre>
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  | writer u32    | waiters u32   | writerThread  | recoveries u32|   the writer word (OwnedWord)
 *  +---------------+---------------+---------------+---------------+
 * 16               20              24                              32
 *  | sequence u32  | waiters u32   | reserved, zero                |   sequence: a wait word
 *  +---------------+---------------+-------------------------------+
 * </pre>
 *
 * <h2>Protocol</h2>
 * A writer takes {@code writer} (as a {@link SharedMutex}), makes {@code sequence} odd, writes the
 * data, makes {@code sequence} even again (release), then frees {@code writer}. A reader reads an
 * even {@code sequence} (acquire), reads the data, and {@link #validate validates}: the read is
 * good if {@code sequence} did not move. A reader that finds it odd spins, then sleeps on it.
 *
 * <h2>Writer death</h2>
 * Only a writer holding {@code writer} makes {@code sequence} odd, so "odd with no writer" means a
 * writer died mid-write: the data may be torn. That state is kept on purpose: every reader gets
 * {@link OwnerDiedException} until a writer completes a new write (its {@link #beginWrite()} returns
 * {@link LockResult#RECOVERED}, keeps the sequence odd while it writes, and its {@link #endWrite()}
 * makes it even). A waiting reader or writer that finds the writer dead frees {@code writer}
 * (a recovery) within the recovery check interval. A writer killed after taking {@code writer} but
 * before making the sequence odd, or after making it even, leaves consistent data and is recovered
 * silently.
 *
 * <h2>Reentrancy</h2>
 * Writers are not reentrant (nested {@link #beginWrite()} throws {@link IllegalStateException}).
 */
public final class Seqlock implements AutoCloseable {
    public static final long SIZE = 32;
    public static final long WRITER_OFFSET = 0;
    public static final long SEQUENCE_OFFSET = 16;

    static final LockSegmentKind KIND = new LockSegmentKind("seqlock", "PLSQ", 1, entries -> SIZE,
            (memory, offset, entries) -> initialize(memory, offset));

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment memory;
    private final long sequence;
    private final OwnedWord writer;
    private final long checkIntervalNanos;
    private final Segment segment;
    private final Runnable release = this::endWrite;

    private Seqlock(MemorySegment memory, long offset, OwnerTable owners, long checkIntervalNanos, String what,
                    Segment segment) {
        java.util.Objects.checkFromIndexSize(offset, SIZE, memory.byteSize());
        this.memory = memory;
        this.sequence = offset + SEQUENCE_OFFSET;
        this.writer = new OwnedWord(memory, offset + WRITER_OFFSET, owners, checkIntervalNanos, what);
        this.checkIntervalNanos = checkIntervalNanos;
        this.segment = segment;
    }

    public static void initialize(MemorySegment memory, long offset) {
        Waiting.checkWord(memory, offset, "seqlock");
        memory.asSlice(offset, SIZE).fill((byte) 0);
    }

    public static Seqlock embedded(MemorySegment memory, long offset, OwnerTable owners) {
        return embedded(memory, offset, owners, SharedMutex.DEFAULT_RECOVERY_CHECK);
    }

    public static Seqlock embedded(MemorySegment memory, long offset, OwnerTable owners, Duration recoveryCheck) {
        Waiting.checkWord(memory, offset, "seqlock");
        return new Seqlock(memory, offset, owners, SharedMutex.checkNanos(recoveryCheck),
                "seqlock at offset " + offset + " of " + owners.where(), null);
    }

    /**
     * Opens or creates the standalone seqlock {@code options} describe (see {@link LockOptions}). Its
     * segment holds nothing but the lock; put the data it guards in the same segment with
     * {@link #embedded} instead, or guard data of another segment.
     */
    public static Seqlock open(LockOptions options) {
        return KIND.openLock(options, (memory, offset, owners, check, segment) ->
                new Seqlock(memory, offset, owners, check, "seqlock " + segment.describe(), segment));
    }

    // ---- readers ----

    /**
     * Waits for no write to be in progress and returns a stamp for {@link #validate}. Never blocks
     * for long: a dead writer is detected within the recovery check interval.
     *
     * @throws OwnerDiedException a writer died mid-write and no writer has rewritten the data since
     */
    public int beginRead() {
        try {
            int stamp = (int) INT.getAcquire(memory, sequence);
            if ((stamp & 1) == 0) {
                return stamp;
            }
            return awaitEven(stamp);
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    private int awaitEven(int stamp) {
        long nextCheck = System.nanoTime() + Math.min(OwnedWord.FIRST_CHECK_NANOS, checkIntervalNanos);
        int spins = 0;
        while (true) {
            if ((stamp & 1) == 0) {
                return stamp;
            }
            int holder = writer.owner();
            if (holder == 0 && (int) INT.getVolatile(memory, sequence) == stamp) {
                throw new OwnerDiedException(writer.what() + ": a writer died in the middle of a write; the "
                        + "data may be torn until a writer writes it again (sequence " + stamp + ")");
            }
            if (spins < Waiting.SPIN_TRIES) {
                spins++;
                Thread.onSpinWait();
            } else {
                long now = System.nanoTime();
                if (now - nextCheck >= 0) {
                    nextCheck = now + checkIntervalNanos;
                    writer.freeIfDead(holder);
                } else {
                    Waiting.sleep(memory, sequence, stamp, Math.min(Waiting.SLICE_NANOS, Math.max(nextCheck - now, 1)));
                }
            }
            stamp = (int) INT.getAcquire(memory, sequence);
        }
    }

    /** True when nothing was written since {@code stamp} was taken: the data read since is consistent. */
    public boolean validate(int stamp) {
        try {
            VarHandle.acquireFence();
            return (int) INT.getVolatile(memory, sequence) == stamp;
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    /**
     * Runs {@code reader} until it reads consistent data, and returns what it returned. The reader
     * may see torn data on a failed attempt: an exception it throws then is ignored and the read
     * retried; an exception from a consistent attempt is rethrown.
     *
     * @throws OwnerDiedException see {@link #beginRead()}
     */
    public <T> T read(Supplier<T> reader) {
        while (true) {
            int stamp = beginRead();
            T value;
            try {
                value = reader.get();
            } catch (RuntimeException e) {
                if (validate(stamp)) {
                    throw e;
                }
                continue;
            }
            if (validate(stamp)) {
                return value;
            }
        }
    }

    // ---- writers ----

    /**
     * Takes the writer word and starts a write (the sequence becomes odd). Returns
     * {@link LockResult#RECOVERED} when the data was left torn by a dead writer: write all of it.
     */
    public LockResult beginWrite() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return beginWrite(Waiting.NO_DEADLINE);
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

    /** As {@link #beginWrite()}, waiting at most {@code timeout} for another writer. */
    public LockResult tryBeginWrite(Duration timeout) throws InterruptedException {
        try {
            return beginWrite(Deadlines.after(timeout));
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    private LockResult beginWrite(long deadline) throws InterruptedException {
        LockResult result = writer.acquire(OwnedWord.threadTag(), deadline);
        if (!result.acquired()) {
            return result;
        }
        int current = (int) INT.getVolatile(memory, sequence);
        if ((current & 1) != 0) {
            // Torn by a dead writer: stay odd until this write completes.
            if (!result.recovered()) {
                writer.countRecovery();
            }
            return LockResult.RECOVERED;
        }
        // Only the holder of the writer word stores the sequence: a plain (opaque) store of the odd
        // value, ordered before the data stores by the fence, is enough; no locked instruction.
        INT.setOpaque(memory, sequence, current + 1);
        VarHandle.storeStoreFence();
        // A dead writer that held the word outside a write left the data whole: nothing to report.
        return LockResult.ACQUIRED;
    }

    /** Completes the write begun by this thread: the sequence becomes even, readers are woken. */
    public void endWrite() {
        try {
            if (!writer.heldByCurrentThread()) {
                writer.checkOpen(); // not holding it because it is closed: say so
                throw new IllegalMonitorStateException(writer.what() + ": endWrite without beginWrite on this thread");
            }
            int current = (int) INT.getVolatile(memory, sequence);
            Waiting.set(memory, sequence, current + 1);
            writer.release(OwnedWord.threadTag());
        } catch (IllegalStateException e) {
            throw writer.closed(e);
        }
    }

    /** Holds a write until {@link #close()}. */
    public LockGuard writeGuard() {
        return LockGuard.of(beginWrite(), release);
    }

    /** As {@link #writeGuard()}, waiting at most {@code timeout} for other writers; null when it passed first. */
    public @Nullable LockGuard tryWriteGuard(Duration timeout) throws InterruptedException {
        return LockGuard.orNull(tryBeginWrite(timeout), release);
    }

    /** The current sequence (odd: a write is in progress, or was torn). */
    public int sequence() {
        writer.checkOpen();
        return (int) INT.getVolatile(memory, sequence);
    }

    /** True when a writer died mid-write and nobody has rewritten the data since. */
    public boolean isTorn() {
        writer.checkOpen();
        int stamp = sequence();
        return (stamp & 1) != 0 && writer.owner() == 0 && sequence() == stamp;
    }

    /** Frees the writer word if its holder is dead; true when it did. */
    public boolean recoverIfDead() {
        writer.checkOpen();
        return writer.releaseIfDead();
    }

    public int recoveries() {
        writer.checkOpen();
        return writer.recoveries();
    }

    public @Nullable Segment segment() {
        return segment;
    }

    /**
     * Closes a standalone seqlock's segment; nothing for an embedded one. Releases nothing. Afterwards
     * (for an embedded one: once its segment is closed) every method but {@link #segment()} throws
     * {@link IllegalStateException} naming it and its segment.
     */
    @Override
    public void close() {
        if (segment != null) {
            segment.close();
        }
    }
}
