package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * {@code heap} column of {@code channel.I64.handoff_{spin,block}}: the protocol of
 * {@link ChannelHandoffPlenum} by two threads of one JVM, each inbox an {@link ArrayBlockingQueue}
 * of the same capacity: {@code spin} polls in a spin loop, {@code block} waits in {@code take}.
 * What a handoff costs without shared memory.
 */
public final class ChannelHandoffHeap extends PingPongScenario {
    private final boolean blocking;
    private final ArrayBlockingQueue<Long>[] inboxes = inboxes();

    public ChannelHandoffHeap(boolean blocking) {
        this.blocking = blocking;
    }

    @SuppressWarnings("unchecked")
    private static ArrayBlockingQueue<Long>[] inboxes() {
        return new ArrayBlockingQueue[] {
            new ArrayBlockingQueue<Long>(ChannelHandoffPlenum.CAPACITY),
            new ArrayBlockingQueue<Long>(ChannelHandoffPlenum.CAPACITY)
        };
    }

    @Override
    protected boolean inOneJvm() {
        return true;
    }

    @Override
    public String row() {
        return "channel.I64.handoff_" + (blocking ? "block" : "spin");
    }

    @Override
    public String column() {
        return "heap";
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        ArrayBlockingQueue<Long> mine = inboxes[ctx.worker()];
        ArrayBlockingQueue<Long> theirs = inboxes[1 - ctx.worker()];
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) throws InterruptedException {
                Long value;
                if (blocking) {
                    value = mine.take();
                } else {
                    while ((value = mine.poll()) == null) {
                        Thread.onSpinWait();
                    }
                }
                ChannelHandoffPlenum.check(value, memory, offset, expected);
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
                if (!theirs.offer((long) value)) {
                    throw new IllegalStateException(row() + ": the peer's inbox queue is full");
                }
            }
        };
    }
}
