package io.plenum.bench.xp;

import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A cross-process scenario in two roles: worker 0 (ping) and worker 1 (pong) hand a message
 * back and forth through {@link PingPong}'s two wait words, each side waiting with the
 * {@link Handoff} that {@link #handoff} returns, and each timing every message it receives,
 * one way. The runner starts it like any scenario (2 processes × 1 thread) and reads the same
 * reports; {@link WorkerMain} runs it through {@link PingPong#measure} instead of repeating an
 * {@link Operation}, because neither side can make progress on its own.
 *
 * <p>Cells: ns = p50/p99 of the one-way time (every message timed); ops/s = messages per
 * second, both directions together.
 *
 * <p>A heap peer, whose wait cannot cross processes, plays both roles as two threads of one
 * worker JVM ({@link #inOneJvm()}): the same protocol, the same file for the bookkeeping, the cell
 * in the row's 2p×1t shape.
 */
public abstract class PingPongScenario implements CrossProcessScenario {

    public static final String FILE = "pingpong.bin";

    /** True for a peer that runs ping and pong as two threads of one JVM (a heap reference). */
    protected boolean inOneJvm() {
        return false;
    }

    @Override
    public final int processes() {
        return inOneJvm() ? 1 : 2;
    }

    @Override
    public final int threads() {
        return inOneJvm() ? 2 : 1;
    }

    @Override
    public final int rowProcesses() {
        return 2;
    }

    @Override
    public final int rowThreads() {
        return 1;
    }

    @Override
    public void setup(Path dir) throws IOException {
        ShmFiles.create(dir.resolve(FILE), PingPong.BYTES);
    }

    /** Each worker: this side's way of waiting and waking, over {@code memory} (the mapped {@value #FILE}). */
    public abstract Handoff handoff(WorkerContext ctx, MemorySegment memory) throws IOException;

    /** Not used: a ping-pong is run by {@link PingPong#measure}. */
    @Override
    public final Operation prepare(WorkerContext ctx) {
        throw new UnsupportedOperationException(id() + " is a ping-pong: WorkerMain runs it through PingPong");
    }

    /** Every message was received exactly once: each inbox counts half of the messages counted. */
    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = ShmFiles.mapSegment(dir.resolve(FILE), PingPong.BYTES, arena);
            long toPing = memory.get(ValueLayout.JAVA_INT, PingPong.inboxOffset(0) + PingPong.VALUE_OFFSET);
            long toPong = memory.get(ValueLayout.JAVA_INT, PingPong.inboxOffset(1) + PingPong.VALUE_OFFSET);
            if (toPing != toPong || toPing + toPong != totalOps) {
                throw new IllegalStateException(id() + ": inboxes count " + toPong + " messages to pong and "
                        + toPing + " to ping, but the workers received " + totalOps + " in all");
            }
        }
    }
}
