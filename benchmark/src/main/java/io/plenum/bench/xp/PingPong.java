package io.plenum.bench.xp;

import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The worker side of a {@link PingPongScenario}: two worker JVMs hand a message back and forth
 * through two wait words of one shared file, and each measures how long every message it
 * received took to arrive, one way.
 *
 * <h2>Layout of {@value PingPongScenario#FILE} ({@link #BYTES} bytes)</h2>
 * <pre>
 *  inbox of worker w, at INBOX_0 + w * INBOX_STRIDE (0 or 128: a line pair of its own):
 *  0               4               8                               16              20
 *  +---------------+---------------+-------------------------------+---------------+
 *  | value u32     | waiters u32   | sentAt i64                    | phase u32     |
 *  +---------------+---------------+-------------------------------+---------------+
 * </pre>
 * {@code value} and {@code waiters} are a {@code io.plenum.sync.Waiting} wait word (value is
 * the futex word): {@code value} counts the messages sent to this inbox, so it only grows.
 * {@code sentAt} is the sender's {@link System#nanoTime()} read just before it changed
 * {@code value}; {@code phase} says what the message is for ({@link #WARMUP}, {@link #MEASURE},
 * {@link #STOP}). Both are written before {@code value}, which is stored last with release (or
 * stronger) semantics by every {@link Handoff}, and read after the receiver saw {@code value}
 * change.
 *
 * <h2>Protocol</h2>
 * Both workers meet at the runner's start barrier. Worker 0 (ping) leads: it sends the first
 * message, and answers each reply with a new message whose phase it chooses by time: warm-up
 * for the runner's warm-up time, then measure for its measurement time, then one stop message.
 * Worker 1 (pong) answers each message with a reply of the same phase and ends after answering
 * stop; ping ends when the stop reply arrives. So nobody is ever left waiting, and every
 * message is received exactly once: afterwards both inbox values equal the messages ping sent,
 * which is what {@link PingPongScenario#verify} checks.
 *
 * <h2>What is measured</h2>
 * Each side, for each message of the measure phase it receives: its {@code nanoTime()} read
 * first thing after its wait returned, minus the message's {@code sentAt}. Both JVMs read the
 * same CLOCK_MONOTONIC, so the difference is the one-way time from "the word is about to
 * change" to "the waiter runs", including the waker's store and wake call and one
 * {@code nanoTime()} call. Every message is timed (no sampling). The rate in ops/s is messages
 * per second, both directions together; the elapsed time is each side's measure phase.
 */
public final class PingPong {

    public static final long INBOX_0 = 0;
    public static final long INBOX_STRIDE = 128;
    public static final long VALUE_OFFSET = 0;
    public static final long SENT_AT_OFFSET = 8;
    public static final long PHASE_OFFSET = 16;
    public static final long BYTES = 4096;

    public static final int WARMUP = 0;
    public static final int MEASURE = 1;
    public static final int STOP = 2;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(60);

    private PingPong() {
    }

    /** The offset of worker {@code w}'s inbox wait word. */
    public static long inboxOffset(int w) {
        return INBOX_0 + w * INBOX_STRIDE;
    }

    /** Runs one side of the ping-pong in this worker and returns what it measured. */
    static WorkerReport measure(PingPongScenario scenario, WorkerContext ctx, StartBarrier barrier,
                                long warmupNs, long measureNs) throws Exception {
        if (ctx.processes() != 2 || ctx.threads() != 1) {
            throw new IllegalStateException(scenario.id() + ": a ping-pong runs 2 processes × 1 thread");
        }
        Path file = ctx.dir().resolve(PingPongScenario.FILE);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment memory = ShmFiles.mapSegment(file, BYTES, arena);
            Handoff handoff = scenario.handoff(ctx, memory);
            Side side = new Side(memory, handoff, ctx.worker(), warmupNs, measureNs);
            barrier.arriveAndAwait(BARRIER_TIMEOUT);
            handoff.run(side);
            if (!side.stopped || side.measured == 0) {
                throw new IllegalStateException(scenario.id() + ": worker " + ctx.worker() + " left the ping-pong "
                        + (side.stopped ? "without a message in the measure phase" : "before the stop message"));
            }
            return new WorkerReport(ctx.worker(), 0, side.measured, side.measureEnd - side.measureStart,
                    side.unmeasured, 1, side.histogram);
        }
    }

    /** One worker's state in the ping-pong, driven by its {@link Handoff}. */
    public static final class Side {
        private final MemorySegment memory;
        private final Handoff handoff;
        private final boolean leader;
        private final long inbox;
        private final long outbox;
        private final long warmupNs;
        private final long measureNs;
        final Histogram histogram = new Histogram(3);

        private int expected;     // the inbox value last seen
        private int sent;         // the outbox value last stored
        private int phase = WARMUP;
        private long startedAt;
        long measureStart;
        long measureEnd;
        long measured;
        long unmeasured;
        boolean stopped;

        Side(MemorySegment memory, Handoff handoff, int worker, long warmupNs, long measureNs) {
            this.memory = memory;
            this.handoff = handoff;
            this.leader = worker == 0;
            this.inbox = inboxOffset(worker);
            this.outbox = inboxOffset(1 - worker);
            this.warmupNs = warmupNs;
            this.measureNs = measureNs;
        }

        /** The offset of this side's inbox wait word. */
        public long inbox() {
            return inbox;
        }

        /** The value the inbox word holds until the next message arrives. */
        public int expected() {
            return expected;
        }

        /** Ping sends the first message; pong does nothing. */
        public void start() {
            startedAt = System.nanoTime();
            if (leader) {
                send(nextPhase(startedAt));
            }
        }

        /**
         * Call once the inbox word left {@link #expected()}: times the message, answers it.
         * Returns false when this side is done.
         */
        public boolean received() {
            long now = System.nanoTime();
            int value = (int) INT.getVolatile(memory, inbox + VALUE_OFFSET);
            if (value != expected + 1) {
                throw new IllegalStateException("inbox at " + inbox + " went from " + expected + " to " + value
                        + ": a message was lost or invented");
            }
            expected = value;
            long sentAt = (long) LONG.get(memory, inbox + SENT_AT_OFFSET);
            int got = (int) INT.get(memory, inbox + PHASE_OFFSET);
            if (got == MEASURE) {
                if (measured == 0 && !leader) {
                    measureStart = now;
                }
                histogram.recordValue(Math.max(0, now - sentAt));
                measured++;
            } else {
                unmeasured++;
            }
            if (got == STOP) {
                stopped = true;
                if (!leader) {
                    measureEnd = now;
                    send(STOP);
                }
                return false;
            }
            send(leader ? nextPhase(now) : got);
            return true;
        }

        /** Ping: the phase of its next message. */
        private int nextPhase(long now) {
            if (phase == WARMUP && now - startedAt >= warmupNs) {
                phase = MEASURE;
                measureStart = now;
            } else if (phase == MEASURE && now - measureStart >= measureNs) {
                phase = STOP;
                measureEnd = now;
            }
            return phase;
        }

        private void send(int messagePhase) {
            INT.set(memory, outbox + PHASE_OFFSET, messagePhase);
            LONG.set(memory, outbox + SENT_AT_OFFSET, System.nanoTime());
            handoff.signal(outbox + VALUE_OFFSET, ++sent);
        }
    }
}
