package io.plenum.value;

import io.plenum.codec.Codec;
import io.plenum.sync.KotlinVerbs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One value of any type, shared by every process that opens the same segment: stored through a
 * {@link Codec}, read without a lock, written under a robust writer lock, grown as values grow.
 *
 * <pre>{@code
 * try (SharedValue<String> motd = SharedValue.open(Codecs.STRING, ValueOptions.of("/dev/shm/motd"))) {
 *     motd.set("hello");
 *     long seen = motd.version();
 *     motd.waitForChange(seen);         // blocks until another process sets a value
 *     String now = motd.get();
 * }
 * }</pre>
 *
 * <h2>Reads</h2>
 * {@link #get()} takes no lock and never waits for a writer: it copies the last published value
 * and checks that no writer overwrote it meanwhile. It never returns a torn value, and a writer
 * killed mid-write leaves readers the last complete value. "No value yet" is its own state
 * ({@code null}, version 0); {@code 0}, {@code ""} and empty arrays store and load exactly.
 *
 * <h2>Writes</h2>
 * Every write takes the writer lock, bumps the version by one, and wakes the processes waiting for
 * a change. A writer that finds the lock held by a dead process takes it over (counted in
 * {@link ValueStats#lockRecoveries()}, and told by {@link ValueLock#recovered()}). A value larger
 * than the buffers grows the segment; readers of other processes remap when they see it.
 *
 * <h2>Threads</h2>
 * A handle is safe for any number of threads. {@link #close()} releases this process's handle
 * only; waits of this handle then fail with an {@link IllegalStateException}.
 *
 * @param <T> the value type
 */
public interface SharedValue<T> extends AutoCloseable {

    /**
     * Opens or creates the value {@code options} describe.
     *
     * @throws IllegalArgumentException bad options, naming the field
     * @throws io.plenum.segment.SegmentException the segment cannot be opened or is not a value
     */
    static <T> SharedValue<T> open(Codec<T> codec, ValueOptions options) {
        return MappedValue.open(codec, options);
    }

    /** The value now, or null when no value was ever set. Never blocks. */
    @Nullable T get();

    /** The version of the value now: 0 before the first write, then one more per write. Never blocks. */
    long version();

    /**
     * Stores {@code value} as the next version and returns that version.
     *
     * @throws IllegalArgumentException {@code value} is null or encodes to more than the maximum size
     * @throws IllegalStateException    the calling thread holds this value's {@link #lock()}
     */
    long set(T value);

    /**
     * Replaces the value by {@code function(old)} atomically: no other writer, in any process, writes
     * between the read and the write. {@code old} is null when there is no value yet. If the function
     * throws, nothing is written. Returns the new value.
     */
    T update(Function<? super @Nullable T, ? extends T> function);

    /** Stores {@code value} only if the version is still {@code expectedVersion}; true when it did. */
    boolean compareAndSet(long expectedVersion, T value);

    /**
     * Takes the writer lock for a batch of reads and writes: {@code try (var batch = value.lock()) { … }}.
     * Blocks until it is held; ignores interrupts (the flag stays set). Hidden from Kotlin
     * ({@link KotlinVerbs}), where {@code lock()} suspends and {@code lockBlocking()} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    ValueLock<T> lock();

    /** As {@link #lock()}, waiting at most {@code timeout}; null when the timeout passed. */
    @Nullable ValueLock<T> tryLock(Duration timeout) throws InterruptedException;

    /**
     * Takes the writer lock without blocking a thread. The future completes on the per-JVM reactor's
     * thread; the lock then belongs to this process (any thread may close it). Cancelling the future
     * withdraws the request (a lock that arrives too late is released).
     */
    CompletableFuture<ValueLock<T>> lockAsync();

    /**
     * Blocks until the version is no longer {@code afterVersion} and returns the new one (at once
     * when it already differs).
     *
     * @throws InterruptedException  the thread was interrupted (noticed within 50 ms)
     * @throws IllegalStateException the handle was closed
     */
    long waitForChange(long afterVersion) throws InterruptedException;

    /** As {@link #waitForChange(long)}, at most {@code timeout}; false when it passed with no change. */
    boolean waitForChange(long afterVersion, Duration timeout) throws InterruptedException;

    /**
     * A future of the first version other than {@code afterVersion}. It completes on a reactor
     * thread (dependent stages run there unless added with an {@code …Async} method); cancelling it
     * withdraws the wait. It fails with an {@link IllegalStateException} when the handle is closed.
     */
    CompletableFuture<Long> awaitChangeAsync(long afterVersion);

    /** A snapshot of the version, size, growths and lock recoveries. */
    ValueStats stats();

    /** The codec values are stored with. */
    Codec<T> codec();

    /** Names the value in messages: "shared value" and its backing. */
    String describe();

    /** True after {@link #close()}. */
    boolean isClosed();

    /** Releases this process's handle; other processes go on. Idempotent. */
    @Override
    void close();
}
