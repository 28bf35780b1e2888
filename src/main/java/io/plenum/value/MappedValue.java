package io.plenum.value;

import io.plenum.codec.Codec;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentFormatException;
import io.plenum.sync.LockResult;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.SharedMutex;
import io.plenum.sync.Waiting;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The {@link SharedValue} over one segment; see {@link ValueLayout} for the memory and its protocols. */
final class MappedValue<T> implements SharedValue<T> {
    private final Codec<T> codec;
    private final Segment segment;
    private final ValueBuffers buffers;
    private final SharedMutex writer;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Asynchronous waits of this handle, failed by {@link #close()}. */
    private final Set<ChangeWait> waits = ConcurrentHashMap.newKeySet();

    private MappedValue(Codec<T> codec, Segment segment) {
        this.codec = codec;
        this.segment = segment;
        this.where = "shared value " + segment.describe();
        long maxSize = segment.header().capacity();
        this.buffers = new ValueBuffers(segment, (int) maxSize, where);
        OwnerTable owners;
        try {
            owners = new OwnerTable(buffers.control(), ValueLayout.OWNER_TABLE_OFFSET, ValueLayout.OWNER_ENTRIES, where);
        } catch (IllegalArgumentException e) {
            throw new SegmentFormatException(where + ": " + e.getMessage() + "; the segment is corrupt");
        }
        this.writer = SharedMutex.embedded(buffers.control(), ValueLayout.WRITER_OFFSET, owners);
    }

    static <T> SharedValue<T> open(Codec<T> codec, ValueOptions options) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        Segment segment = ValueOpener.open(options);
        try {
            return new MappedValue<>(codec, segment);
        } catch (RuntimeException | Error e) {
            segment.close();
            throw e;
        }
    }

    @Override
    public T get() {
        checkOpen();
        return buffers.read(codec);
    }

    @Override
    public long version() {
        checkOpen();
        return buffers.version();
    }

    @Override
    public long set(T value) {
        requireValue(value);
        checkOpen();
        writer.lock();
        try {
            return buffers.write(codec, value);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public T update(Function<? super @Nullable T, ? extends T> function) {
        Objects.requireNonNull(function, "function");
        checkOpen();
        writer.lock();
        try {
            T updated = function.apply(buffers.read(codec));
            requireValue(updated);
            buffers.write(codec, updated);
            return updated;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public boolean compareAndSet(long expectedVersion, T value) {
        requireValue(value);
        checkOpen();
        writer.lock();
        try {
            if (buffers.version() != expectedVersion) {
                return false;
            }
            buffers.write(codec, value);
            return true;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public ValueLock<T> lock() {
        return lockUninterruptibly();
    }

    /** {@link #lock()}, under a name Kotlin sees (for its {@code lockBlocking()}). */
    ValueLock<T> lockUninterruptibly() {
        checkOpen();
        return new Held(writer.lock());
    }

    @Override
    public @Nullable ValueLock<T> tryLock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        LockResult result = writer.tryLock(timeout);
        return result.acquired() ? new Held(result) : null;
    }

    @Override
    public CompletableFuture<ValueLock<T>> lockAsync() {
        checkOpen();
        CompletableFuture<LockResult> acquisition = writer.lockAsync();
        CompletableFuture<ValueLock<T>> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                // The mutex releases a lock that arrives for a cancelled acquisition.
                acquisition.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }

            // A completion from outside (completeOnTimeout, orTimeout) ends the request as a cancel
            // does: the wait is withdrawn, and a lock granted meanwhile is unlocked below.
            @Override
            public boolean complete(ValueLock<T> value) {
                boolean completed = super.complete(value);
                if (completed) {
                    acquisition.cancel(false);
                }
                return completed;
            }

            @Override
            public boolean completeExceptionally(Throwable failure) {
                boolean completed = super.completeExceptionally(failure);
                if (completed) {
                    acquisition.cancel(false);
                }
                return completed;
            }
        };
        acquisition.whenComplete((lockResult, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (!result.complete(new Held(lockResult))) {
                writer.unlock(); // cancelled meanwhile: nobody will close this guard
            }
        });
        return result;
    }

    @Override
    public long waitForChange(long afterVersion) throws InterruptedException {
        return waitUntil(afterVersion, Waiting.NO_DEADLINE);
    }

    @Override
    public boolean waitForChange(long afterVersion, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long now = System.nanoTime();
        long nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        long deadline = nanos >= Long.MAX_VALUE - now ? Waiting.NO_DEADLINE : now + nanos;
        return waitUntil(afterVersion, deadline) >= 0;
    }

    /**
     * The change protocol: read the change word, then the version; sleep on the change word only
     * while the version is still {@code afterVersion}. Writers store the version before the change
     * word, so a change between the two reads makes the sleep return at once; a writer that died
     * between the two stores leaves a new version, which the read sees. Returns -1 at the deadline.
     */
    private long waitUntil(long afterVersion, long deadline) throws InterruptedException {
        while (true) {
            checkOpen();
            int signal;
            long version;
            try {
                signal = Waiting.value(buffers.control(), ValueLayout.CHANGE_OFFSET);
                version = buffers.version();
                if (version != afterVersion) {
                    return version;
                }
                long now = System.nanoTime();
                if (deadline != Waiting.NO_DEADLINE && now - deadline >= 0) {
                    return -1;
                }
                // A bounded sleep, so that close() by another thread is noticed within one slice.
                long slice = now + Waiting.SLICE_NANOS;
                Waiting.await(buffers.control(), ValueLayout.CHANGE_OFFSET, signal,
                        deadline == Waiting.NO_DEADLINE ? slice : Math.min(deadline, slice));
            } catch (IllegalStateException e) {
                checkOpen();
                throw e;
            }
        }
    }

    @Override
    public CompletableFuture<Long> awaitChangeAsync(long afterVersion) {
        checkOpen();
        ChangeWait wait = new ChangeWait(this, afterVersion);
        waits.add(wait);
        wait.arm();
        return wait;
    }

    void forget(ChangeWait wait) {
        waits.remove(wait);
    }

    ValueBuffers buffers() {
        return buffers;
    }

    @Override
    public ValueStats stats() {
        checkOpen();
        long descriptor = buffers.descriptor();
        return new ValueStats(buffers.version(), ValueLayout.lengthOf(descriptor), descriptor != 0,
                buffers.publishedSize(), buffers.grows(), writer.recoveries());
    }

    @Override
    public Codec<T> codec() {
        return codec;
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    void checkOpen() {
        if (closed.get()) {
            throw closedException();
        }
    }

    IllegalStateException closedException() {
        return new IllegalStateException(where + " is closed");
    }

    private void requireValue(T value) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": value: null; a shared value holds non-null values "
                    + "(\"no value yet\" is the state before the first write)");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ChangeWait wait : waits) {
            wait.fail(closedException());
        }
        waits.clear();
        segment.close();
    }

    @Override
    public String toString() {
        return "SharedValue[" + segment.describe() + ", " + codec.name() + (closed.get() ? ", closed]" : "]");
    }

    /** A held writer lock. */
    private final class Held implements ValueLock<T> {
        private final boolean recovered;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(LockResult result) {
            this.recovered = result.recovered();
        }

        @Override
        public boolean recovered() {
            return recovered;
        }

        @Override
        public T get() {
            checkHeld();
            return buffers.read(codec);
        }

        @Override
        public long version() {
            checkHeld();
            return buffers.version();
        }

        @Override
        public long set(T value) {
            requireValue(value);
            checkHeld();
            return buffers.write(codec, value);
        }

        private void checkHeld() {
            checkOpen();
            if (released.get()) {
                throw new IllegalStateException(where + ": this lock was released");
            }
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true) && !closed.get()) {
                writer.unlock();
            }
        }
    }

    static boolean isCancellation(Throwable failure) {
        return failure instanceof CancellationException
                || (failure != null && failure.getCause() instanceof CancellationException);
    }
}
