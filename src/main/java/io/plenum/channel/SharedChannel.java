package io.plenum.channel;

import static io.plenum.channel.ChannelLayout.*;

import io.plenum.codec.Codec;
import io.plenum.codec.CodecException;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentSpec;
import io.plenum.sync.Deadlines;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A bounded FIFO channel in shared memory, used by any number of producer and consumer processes
 * and threads at once. Consumers compete: each message goes to exactly one receiver, and every
 * receiver sees each producer's messages in the order they were sent.
 *
 * <h2>Verbs</h2>
 * <table>
 *   <caption>The verb families of a channel</caption>
 *   <tr><th></th><th>send</th><th>receive</th></tr>
 *   <tr><td>blocks (InterruptedException)</td><td>{@link #put}</td><td>{@link #take}</td></tr>
 *   <tr><td>bounded wait</td><td>{@link #offer(Object, Duration)}</td><td>{@link #poll(Duration)}</td></tr>
 *   <tr><td>never waits</td><td>{@link #tryOffer}</td><td>{@link #tryPoll}</td></tr>
 *   <tr><td>future</td><td>{@link #sendAsync}</td><td>{@link #receiveAsync}</td></tr>
 * </table>
 * Allocation-free forms for 8-, 4- and 8-byte numbers ({@link #putLong}, {@link #takeInt},
 * {@link #tryOfferDouble}, … wire-compatible with {@code Codecs.LONG}, {@code INT}, {@code DOUBLE})
 * and for raw bytes ({@link #putBytes}, {@link #takeBytes}, …). Kotlin adds the suspending
 * {@code send}/{@code receive} family with kotlinx names.
 *
 * <h2>Ending</h2>
 * {@link #closeForSend(String)} ends the channel for every process: sends fail from then on,
 * receivers drain what was sent and then see it closed ({@link #isClosedForReceive()}).
 * {@link #close()} only releases this handle: other processes go on as before.
 *
 * <h2>Crash safety</h2>
 * A producer killed at any instruction of a send leaves at most one slot WRITING; whoever waits
 * behind it skips it once the writer is seen dead (checked after the recovery interval, 1 s by
 * default), counted in {@link ChannelStats#abandoned()}. A receiver takes a message with one CAS
 * after copying it: killed before, it took nothing. See {@link SlotWord} and {@link ChannelRing}.
 *
 * <p>A handle is thread-safe. Closing it while its own threads are in the middle of a send may leave
 * that send's slot WRITING until this process exits (then it is recovered): close after your
 * senders finished.
 */
public final class SharedChannel<T> implements AutoCloseable {
    /** {@link #sendPosition}: the overflow policy dropped the message; the send succeeded. */
    private static final long DROPPED = -4;
    private static final Object NOTHING = new Object();
    private static final Object ENDED = new Object();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Segment segment;
    final ChannelRing ring;
    private final Codec<T> codec;
    private final ChannelOverflow overflow;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();
    final ChannelAsync receivers;
    final ChannelAsync senders;
    private final ChannelWait.Attempt claimAttempt;
    private final ChannelWait.Attempt findAttempt;
    private final ChannelNumbers numberForms;
    private final ChannelBytes byteForms;

    private SharedChannel(Segment segment, Codec<T> codec, ChannelOptions options) {
        this.segment = segment;
        this.codec = codec;
        this.overflow = options.overflow();
        this.where = segment.describe();
        long capacity = segment.header().capacity();
        int maxMessageSize = segment.header().elementSize();
        if (segment.memory().byteSize() < ChannelLayout.segmentSize((int) capacity, maxMessageSize)) {
            throw ring0Corrupt("segment of " + segment.memory().byteSize() + " bytes is too small for its geometry");
        }
        long recoveryNanos = options.recoveryInterval().toNanos();
        this.ring = new ChannelRing(segment.memory(), (int) capacity, maxMessageSize, where, recoveryNanos);
        this.receivers = new ChannelAsync(this, NOT_EMPTY_OFFSET, false, recoveryNanos);
        this.senders = new ChannelAsync(this, NOT_FULL_OFFSET, true, recoveryNanos);
        this.numberForms = new ChannelNumbers(this);
        this.byteForms = new ChannelBytes(this);
        this.claimAttempt = () -> {
            long result = ring.claim();
            return result == ChannelRing.NONE && ring.closed() ? ChannelRing.CLOSED_NOW : result;
        };
        this.findAttempt = () -> {
            long result = ring.findFull();
            if (result >= 0 || !ring.closed()) {
                return result;
            }
            result = ring.findFull(); // read after `closed`: nothing claimed before the close is missed
            return result == ChannelRing.NONE ? ChannelRing.CLOSED_NOW : result;
        };
    }

    private io.plenum.segment.SegmentFormatException ring0Corrupt(String what) {
        return new io.plenum.segment.SegmentFormatException(where + ": channel " + what);
    }

    /**
     * Opens or creates the channel {@code options} describe, its messages encoded by {@code codec}.
     * Creating needs a capacity and a maxMessageSize; opening checks any given against the header.
     *
     * @throws IllegalArgumentException bad options, naming the field
     * @throws io.plenum.segment.SegmentException the segment cannot be opened or is not a channel
     */
    public static <T> SharedChannel<T> open(Codec<T> codec, ChannelOptions options) {
        if (codec == null) {
            throw new IllegalArgumentException("codec is required");
        }
        if (options == null) {
            throw new IllegalArgumentException("options are required");
        }
        int fixed = codec.fixedSize();
        if (fixed > 0 && options.maxMessageSize() != -1 && options.maxMessageSize() < fixed) {
            throw new IllegalArgumentException("maxMessageSize: " + options.maxMessageSize() + " bytes, codec "
                    + codec.name() + " needs " + fixed);
        }
        int maxMessageSize = options.maxMessageSize() == -1 && fixed > 0 && options.capacity() != -1
                ? fixed : options.maxMessageSize();
        SegmentSpec spec = new SegmentSpec(ChannelLayout.KIND, ChannelLayout.VARIANT, options.capacity(), maxMessageSize,
                options.fileMode());
        Segment segment = Segment.open(options.backing(), options.mode(), spec);
        try {
            return new SharedChannel<>(segment, codec, options);
        } catch (RuntimeException | Error e) {
            segment.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends, waiting while the channel is full (SUSPEND policy). */
    public void put(T element) throws InterruptedException {
        byte[] bytes = encode(element);
        sendBytes(bytes, Waiting.NO_DEADLINE, true);
    }

    /** Sends, waiting at most {@code timeout} for room; false when it timed out (nothing was sent). */
    public boolean offer(T element, Duration timeout) throws InterruptedException {
        byte[] bytes = encode(element);
        return sendBytes(bytes, Deadlines.after(timeout), true);
    }

    /** Sends if there is room now; false when the channel is full (nothing was sent). Never waits. */
    public boolean tryOffer(T element) {
        byte[] bytes = encode(element);
        return sendNow(bytes);
    }

    /**
     * A future of the send: completes once the message is in the channel, fails with
     * {@link ChannelClosedException} if the channel closes first. Bad input throws here. Cancelling it
     * withdraws the send (then nothing was sent). Completes on a reactor thread or in this call.
     */
    public CompletableFuture<Void> sendAsync(T element) {
        byte[] bytes = encode(element);
        ChannelAsync.Waiter<Void> waiter = new ChannelAsync.Waiter<>(senders) {
            @Override
            boolean attempt() {
                if (!sendNow(bytes)) {
                    return false;
                }
                finish(null);
                return true;
            }
        };
        return submit(senders, waiter);
    }

    private boolean sendBytes(byte[] bytes, long deadlineNanos, boolean mayWait) throws InterruptedException {
        long position = sendPosition(deadlineNanos, mayWait);
        if (position >= 0) {
            MemorySegment.copy(bytes, 0, ring.memory, ValueLayout.JAVA_BYTE, ring.payloadOffset(position), bytes.length);
            ring.publish(position, bytes.length);
        }
        return position != ChannelRing.NONE;
    }

    /** Sends already encoded bytes if there is room now (the Kotlin layer encodes once per send). */
    boolean sendNow(byte[] bytes) {
        try {
            return sendBytes(bytes, 0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("a send that never waits was interrupted", e);
        }
    }

    /**
     * A claimed position (the caller writes and publishes it), {@link #DROPPED}, or
     * {@link ChannelRing#NONE} when it timed out or may not wait.
     *
     * @throws ChannelClosedException the channel is closed for send
     */
    long sendPosition(long deadlineNanos, boolean mayWait) throws InterruptedException {
        checkOpen();
        long position = ring.claim();
        return position >= 0 ? position : sendSlow(position, deadlineNanos, mayWait);
    }

    private long sendSlow(long position, long deadlineNanos, boolean mayWait) throws InterruptedException {
        while (true) {
            if (position == ChannelRing.CLOSED_NOW || ring.closed()) {
                throw closedException("closed for send");
            }
            ring.add(FULL_OFFSET, 1);
            switch (overflow) {
                case DROP_LATEST -> {
                    ring.add(DROPPED_LATEST_OFFSET, 1);
                    return DROPPED;
                }
                case DROP_OLDEST -> {
                    long oldest = ring.findFull();
                    if (oldest >= 0 && ring.take(oldest)) {
                        ring.add(DROPPED_OLDEST_OFFSET, 1);
                    } else if (oldest == ChannelRing.BUSY) {
                        Thread.onSpinWait();
                        ring.recoverStalled(false);
                    }
                    position = ring.claim();
                }
                case SUSPEND -> {
                    if (!mayWait) {
                        ring.recoverStalled(true);
                        return ChannelRing.NONE;
                    }
                    position = ChannelWait.await(this, NOT_FULL_OFFSET, true, claimAttempt, deadlineNanos);
                    if (position == ChannelRing.NONE) {
                        return ChannelRing.NONE;
                    }
                }
            }
            if (position >= 0) {
                return position;
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives, waiting while the channel is empty.
     *
     * @throws ChannelClosedException the channel is closed for send and drained
     */
    public T take() throws InterruptedException {
        Object result = receive(Waiting.NO_DEADLINE, true);
        if (result == ENDED) {
            throw closedException("closed for receive");
        }
        return cast(result);
    }

    /**
     * Receives, waiting at most {@code timeout}; null when it timed out, or when the channel is
     * closed and drained ({@link #isClosedForReceive()} tells which).
     */
    public @Nullable T poll(Duration timeout) throws InterruptedException {
        Object result = receive(Deadlines.after(timeout), true);
        return result == ENDED || result == NOTHING ? null : cast(result);
    }

    /** Receives a message if one is there now, else null. Never waits. */
    public @Nullable T tryPoll() {
        Object result = receiveNow();
        return result == ENDED || result == NOTHING ? null : cast(result);
    }

    /**
     * A future of the next message for this handle, served in order with this handle's other
     * asynchronous receives; fails with {@link ChannelClosedException} once the channel is closed and
     * drained. Cancelling it withdraws the wait and takes nothing: a message is taken only for a
     * future that is then completed with it ({@code cancel} answers false in that case). Completes on
     * a reactor thread or in this call.
     */
    public CompletableFuture<T> receiveAsync() {
        ChannelAsync.Waiter<T> waiter = new ChannelAsync.Waiter<>(receivers) {
            @Override
            boolean attempt() {
                Object result = receiveNow();
                if (result == NOTHING) {
                    return false;
                }
                if (result == ENDED) {
                    fail(closedException("closed for receive"));
                } else {
                    finish(cast(result));
                }
                return true;
            }
        };
        return submit(receivers, waiter);
    }

    /** A message, or {@link #nothing()} (empty now), or {@link #ended()} (closed and drained). */
    Object receiveNow() {
        try {
            return receive(0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("a receive that never waits was interrupted", e);
        }
    }

    /** A message, {@link #NOTHING} (timed out), or {@link #ENDED} (closed and drained). */
    private Object receive(long deadlineNanos, boolean mayWait) throws InterruptedException {
        while (true) {
            long position = receivePosition(deadlineNanos, mayWait);
            if (position < 0) {
                return position == ChannelRing.CLOSED_NOW ? ENDED : NOTHING;
            }
            int length = ring.length(position);
            if (length < 0) {
                continue;
            }
            byte[] bytes = new byte[length];
            MemorySegment.copy(ring.memory, ValueLayout.JAVA_BYTE, ring.payloadOffset(position), bytes, 0, length);
            if (ring.take(position)) {
                return decode(bytes);
            }
        }
    }

    /**
     * The position of a FULL message (copy it, then {@link ChannelRing#take}), or
     * {@link ChannelRing#NONE} (timed out, or may not wait), or {@link ChannelRing#CLOSED_NOW}.
     */
    long receivePosition(long deadlineNanos, boolean mayWait) throws InterruptedException {
        checkOpen();
        long position = ring.findFull();
        if (position >= 0) {
            return position;
        }
        position = findAttempt.attempt();
        if (ChannelWait.finished(position)) {
            return position;
        }
        ring.add(EMPTY_OFFSET, 1);
        if (!mayWait) {
            if (position == ChannelRing.BUSY) {
                ring.recoverStalled(false);
            }
            return ChannelRing.NONE;
        }
        return ChannelWait.await(this, NOT_EMPTY_OFFSET, false, findAttempt, deadlineNanos);
    }

    // ---------------------------------------------------------------- allocation-free forms
    // (the number forms live in ChannelNumbers, the byte forms in ChannelBytes)

    /** Sends 8 bytes, little-endian (as {@code Codecs.LONG}), waiting for room. */
    public void putLong(long value) throws InterruptedException {
        numberForms.send(value, Long.BYTES, Waiting.NO_DEADLINE, true);
    }

    /** Sends 8 bytes if there is room now; false when full. */
    public boolean tryOfferLong(long value) {
        return numberForms.sendNow(value, Long.BYTES);
    }

    /** Sends 8 bytes, waiting at most {@code timeout}; false when it timed out. */
    public boolean offerLong(long value, Duration timeout) throws InterruptedException {
        return numberForms.send(value, Long.BYTES, Deadlines.after(timeout), true);
    }

    /**
     * Receives an 8-byte message, waiting while empty.
     *
     * @throws ChannelClosedException closed and drained
     * @throws CodecException the message taken was not 8 bytes long
     */
    public long takeLong() throws InterruptedException {
        return numberForms.receiveLong(Waiting.NO_DEADLINE, true, 0);
    }

    /** Receives an 8-byte message if one is there now, else returns {@code ifEmpty}. */
    public long tryPollLongOr(long ifEmpty) {
        return numberForms.pollLongNow(ifEmpty);
    }

    /** Receives an 8-byte message, waiting at most {@code timeout}; {@code ifNone} when it timed out or the channel ended. */
    public long pollLongOr(Duration timeout, long ifNone) throws InterruptedException {
        try {
            return numberForms.receiveLong(Deadlines.after(timeout), true, ifNone);
        } catch (ChannelClosedException e) {
            return ifNone;
        }
    }

    /** Sends 4 bytes, little-endian (as {@code Codecs.INT}), waiting for room. */
    public void putInt(int value) throws InterruptedException {
        numberForms.send(value, Integer.BYTES, Waiting.NO_DEADLINE, true);
    }

    public boolean tryOfferInt(int value) {
        return numberForms.sendNow(value, Integer.BYTES);
    }

    /** Receives a 4-byte message, waiting while empty (see {@link #takeLong}). */
    public int takeInt() throws InterruptedException {
        return numberForms.receiveInt(Waiting.NO_DEADLINE, true, 0);
    }

    /** Receives a 4-byte message if one is there now, else returns {@code ifEmpty}. */
    public int tryPollIntOr(int ifEmpty) {
        return numberForms.pollIntNow(ifEmpty);
    }

    /** Sends a double's IEEE 754 bits (as {@code Codecs.DOUBLE}), waiting for room. */
    public void putDouble(double value) throws InterruptedException {
        putLong(Double.doubleToRawLongBits(value));
    }

    public boolean tryOfferDouble(double value) {
        return tryOfferLong(Double.doubleToRawLongBits(value));
    }

    public double takeDouble() throws InterruptedException {
        return Double.longBitsToDouble(takeLong());
    }

    /** Receives a double if one is there now, else returns {@code ifEmpty}. */
    public double tryPollDoubleOr(double ifEmpty) {
        long none = Double.doubleToRawLongBits(ifEmpty);
        return Double.longBitsToDouble(numberForms.pollLongNow(none));
    }

    /** Sends the bytes of {@code message} (at most maxMessageSize), waiting for room. */
    public void putBytes(MemorySegment message) throws InterruptedException {
        byteForms.send(message, Waiting.NO_DEADLINE, true);
    }

    /** Sends the bytes of {@code message} if there is room now; false when full. */
    public boolean tryOfferBytes(MemorySegment message) {
        return byteForms.sendNow(message);
    }

    /**
     * Receives a message into {@code target} and returns its length, waiting while empty. A
     * {@code target} smaller than the message is refused before anything is taken.
     */
    public int takeBytes(MemorySegment target) throws InterruptedException {
        return byteForms.receive(target, Waiting.NO_DEADLINE, true);
    }

    /** Receives a message into {@code target} if one is there now: its length, or -1 when empty. */
    public int tryPollBytes(MemorySegment target) {
        return byteForms.receiveNow(target);
    }

    // ---------------------------------------------------------------- ending

    /** Ends the channel for every process, without a reason. See {@link #closeForSend(String)}. */
    public boolean closeForSend() {
        return closeForSend(null);
    }

    /**
     * Ends the channel for every process: sends fail from now on, in every process; receivers get
     * what was sent before, then see the channel closed. The reason (at most 256 bytes of UTF-8 are
     * kept) is shown to them. Returns false when the channel was already closed.
     */
    public boolean closeForSend(@Nullable String reason) {
        checkOpen();
        MemorySegment memory = ring.memory;
        if (!INT.compareAndSet(memory, CLOSED_OFFSET, OPEN, CLOSING)) {
            return false;
        }
        byte[] bytes = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_REASON_BYTES);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, REASON_OFFSET, length);
        INT.set(memory, REASON_LENGTH_OFFSET, length);
        INT.setVolatile(memory, CLOSED_OFFSET, CLOSED);
        ring.signalAll(NOT_EMPTY_OFFSET);
        ring.signalAll(NOT_FULL_OFFSET);
        return true;
    }

    /** True once any process closed the channel for send. */
    public boolean isClosedForSend() {
        checkOpen();
        return ring.closed();
    }

    /** True once the channel is closed for send and every message sent before was received. */
    public boolean isClosedForReceive() {
        checkOpen();
        return ring.closed() && ring.findFull() == ChannelRing.NONE;
    }

    /** The reason given to {@link #closeForSend(String)}, or null (open, or closed without one). */
    public @Nullable String closeReason() {
        checkOpen();
        MemorySegment memory = ring.memory;
        if ((int) INT.getVolatile(memory, CLOSED_OFFSET) != CLOSED) {
            return null;
        }
        int length = (int) INT.get(memory, REASON_LENGTH_OFFSET);
        if (length < 0 || length > MAX_REASON_BYTES) {
            throw ring.corrupt("field reasonLen: " + length + " bytes, must be 0.." + MAX_REASON_BYTES);
        }
        return length == 0 ? null : new String(memory.asSlice(REASON_OFFSET, length).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8);
    }

    /**
     * Releases this handle: unmaps the channel here; other processes go on. Pending asynchronous
     * waits of this handle fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IllegalStateException failure = new IllegalStateException(where + ": channel handle is closed");
        receivers.failAll(failure);
        senders.failAll(failure);
        segment.close();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Removes the channel's name from the file system (see {@link Segment#unlink()}). */
    public boolean unlink() {
        checkOpen();
        return segment.unlink();
    }

    // ---------------------------------------------------------------- facts

    /** A snapshot of the counters, shared by every process. */
    public ChannelStats stats() {
        checkOpen();
        ring.helpHints();
        long withdrawn = ring.counter(WITHDRAWN_OFFSET);
        long abandoned = ring.counter(ABANDONED_OFFSET);
        long droppedOldest = ring.counter(DROPPED_OLDEST_OFFSET);
        long head = ring.head();
        long tail = ring.tail();
        return new ChannelStats(tail - withdrawn, head - abandoned - withdrawn - droppedOldest, Math.max(0, tail - head),
                ring.counter(WAITS_OFFSET), ring.counter(FULL_OFFSET), ring.counter(EMPTY_OFFSET), abandoned,
                ring.counter(RECOVERIES_OFFSET), droppedOldest + ring.counter(DROPPED_LATEST_OFFSET));
    }

    /** Messages in the channel now (published or being written), from the hints. */
    public int size() {
        checkOpen();
        return (int) Math.max(0, Math.min(ring.capacity, ring.tail() - ring.head()));
    }

    public int capacity() {
        return ring.capacity;
    }

    public int maxMessageSize() {
        return ring.maxMessageSize;
    }

    public Codec<T> codec() {
        return codec;
    }

    public ChannelOverflow overflow() {
        return overflow;
    }

    /** Names the channel in messages: its path, memfd name or fd. */
    public String describe() {
        return where;
    }

    @Override
    public String toString() {
        return "SharedChannel[" + where + ", capacity " + ring.capacity + ", maxMessageSize " + ring.maxMessageSize
                + ", codec " + codec.name() + (closed.get() ? ", handle closed" : "") + "]";
    }

    // ---------------------------------------------------------------- internals

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(where + ": channel handle is closed");
        }
    }

    /** Whether a side can probably go on now (for signal waiters): a message, room, or a close. */
    boolean ready(boolean producerSide) {
        if (ring.closed()) {
            return true;
        }
        return producerSide ? overflow != ChannelOverflow.SUSPEND || ring.canClaim() : ring.findFull() >= 0;
    }

    /** A wait for a chance to send or receive (see {@link ChannelAsync.Signal}); release it after trying. */
    CompletableFuture<Boolean> signal(boolean producerSide) {
        ChannelAsync side = producerSide ? senders : receivers;
        return submit(side, new ChannelAsync.Signal(side));
    }

    private <R> CompletableFuture<R> submit(ChannelAsync side, ChannelAsync.Waiter<R> waiter) {
        side.submit(waiter);
        if (!waiter.isDone()) {
            ring.add(WAITS_OFFSET, 1);
        }
        return waiter;
    }

    /** Encodes before anything is claimed, so that bad input leaves nothing in the channel. */
    byte[] encode(T element) {
        if (element == null) {
            throw new IllegalArgumentException(where + ": element is null (a channel holds no nulls)");
        }
        byte[] bytes = codec.encode(element);
        if (bytes == null) {
            throw new CodecException(where + ": codec " + codec.name() + " encoded a value to null");
        }
        checkFits(bytes.length);
        return bytes;
    }

    void checkFits(long length) {
        if (length > ring.maxMessageSize) {
            throw new IllegalArgumentException(where + ": message of " + length + " bytes exceeds maxMessageSize "
                    + ring.maxMessageSize + " (nothing was sent)");
        }
    }

    private T decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            throw new CodecException(where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CodecException(where + ": codec " + codec.name() + " cannot decode " + bytes.length + " bytes: " + e, e);
        }
    }

    static Object nothing() {
        return NOTHING;
    }

    static Object ended() {
        return ENDED;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    ChannelClosedException closedException(String what) {
        String reason = closeReason();
        return new ChannelClosedException(where + ": channel is " + what + (reason == null ? "" : ": " + reason), reason);
    }
}
