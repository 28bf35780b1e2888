package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code heap} column of {@code channel.I64.transfer_{spin,block}[P->C]}: P producer and C
 * consumer threads of one JVM (threads 0..C-1 consume) pass longs through one 1024-element
 * {@link ArrayBlockingQueue}, the peer of the 1p×1t {@code channel.I64.spsc_*} rows. {@code spin}:
 * {@code offer}/{@code poll} in a spin loop; {@code block}: {@code offer}/{@code poll} with the
 * Plenum column's 10 ms bound. The values are the producers' indexes, cached {@code Long}s: no
 * allocation. Verified: the queue holds no more than its capacity.
 */
public final class ChannelTransferHeap extends HeapThreadsScenario {
    private static final long BOUND_MS = 10;
    private static final int CAPACITY = 1024;

    private final int consumers;
    private final boolean blocking;
    private final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);

    public ChannelTransferHeap(int producers, int consumers, boolean blocking) {
        super("channel.I64.transfer_" + (blocking ? "block" : "spin") + "[" + producers + "to" + consumers + "]",
                producers + consumers, 1);
        this.consumers = consumers;
        this.blocking = blocking;
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        if (ctx.thread() < consumers) {
            return blocking ? this::poll : () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    Long value = queue.poll();
                    if (value != null) {
                        return value;
                    }
                    Thread.onSpinWait();
                }
                return -1;
            };
        }
        Long self = (long) ctx.thread();
        return blocking ? () -> offer(self) : () -> {
            for (int i = 0; i < 1_000_000; i++) {
                if (queue.offer(self)) {
                    return 1;
                }
                Thread.onSpinWait();
            }
            return 0;
        };
    }

    private long poll() {
        try {
            Long value = queue.poll(BOUND_MS, TimeUnit.MILLISECONDS);
            return value == null ? -1 : value;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private long offer(Long value) {
        try {
            return queue.offer(value, BOUND_MS, TimeUnit.MILLISECONDS) ? 1 : 0;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    long result() {
        return queue.size();
    }

    @Override
    void check(long size, long totalOps) {
        if (size < 0 || size > CAPACITY) {
            throw new IllegalStateException(id() + ": the queue holds " + size + " elements, capacity " + CAPACITY);
        }
    }
}
