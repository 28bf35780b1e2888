package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapWatchedValue;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.codec.Codecs;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;

/**
 * {@code heap} column of {@code value.wake_blocking}: the protocol of {@link WakeValuePlenum} by
 * two threads of one JVM, each inbox a {@link HeapWatchedValue} (an {@code AtomicReference} of the
 * value encoded with {@code Codecs.LONG}, a version, spin then park/unpark): what a change-to-wake
 * costs without shared memory. The ping-pong word in the file is bookkeeping only, as in the
 * Plenum column.
 */
public final class WakeValueHeap extends PingPongScenario {
    /** The two inboxes, shared by the two role threads of the one worker JVM. */
    private final HeapWatchedValue<Long>[] inboxes = inboxes();

    @SuppressWarnings("unchecked")
    private static HeapWatchedValue<Long>[] inboxes() {
        return new HeapWatchedValue[] {new HeapWatchedValue<>(Codecs.LONG), new HeapWatchedValue<>(Codecs.LONG)};
    }

    @Override
    protected boolean inOneJvm() {
        return true;
    }

    @Override
    public String row() {
        return "value.wake_blocking";
    }

    @Override
    public String column() {
        return "heap";
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        HeapWatchedValue<Long> mine = inboxes[ctx.worker()];
        HeapWatchedValue<Long> theirs = inboxes[1 - ctx.worker()];
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) throws InterruptedException {
                while (true) {
                    long version = mine.version();
                    if (Waiting.value(memory, offset) != expected) {
                        return;
                    }
                    mine.awaitChange(version);
                }
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
                theirs.set((long) value);
            }
        };
    }
}
