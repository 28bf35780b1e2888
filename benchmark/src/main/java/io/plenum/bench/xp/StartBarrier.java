package io.plenum.bench.xp;

import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-shot start barrier for the threads of several worker JVMs, in a small mapped file.
 *
 * <pre>
 *  offset 0   arrived   long  threads that reached the barrier (getAndAdd)
 *  offset 64  released  long  0 until the last thread arrives, then 1 (own cache line)
 * </pre>
 *
 * The last thread to arrive releases everyone; the others spin briefly, then park in
 * short slices, so that on a small machine the late JVMs get CPU time to arrive.
 */
final class StartBarrier implements AutoCloseable {

    private static final long ARRIVED = 0;
    private static final long RELEASED = 64;
    private static final long BYTES = 128;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    private final Arena arena;
    private final MemorySegment segment;
    private final int parties;

    private StartBarrier(Arena arena, MemorySegment segment, int parties) {
        this.arena = arena;
        this.segment = segment;
        this.parties = parties;
    }

    /** Parent: the barrier file for {@code dir}, zero-filled. */
    static Path create(Path dir) throws IOException {
        return ShmFiles.create(dir.resolve("barrier.bin"), BYTES);
    }

    /** A worker's view of the barrier that {@code parties} threads in all will meet at. */
    static StartBarrier open(Path file, int parties) throws IOException {
        Arena arena = Arena.ofShared();
        return new StartBarrier(arena, ShmFiles.mapSegment(file, BYTES, arena), parties);
    }

    /** Arrives, then returns once every party has arrived. */
    void arriveAndAwait(Duration timeout) throws TimeoutException {
        long arrived = (long) LONG.getAndAdd(segment, ARRIVED, 1L) + 1;
        if (arrived == parties) {
            LONG.setVolatile(segment, RELEASED, 1L);
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int spins = 0;
        while ((long) LONG.getVolatile(segment, RELEASED) == 0) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("start barrier: " + (long) LONG.getVolatile(segment, ARRIVED)
                            + " of " + parties + " threads arrived within " + timeout);
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
