package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.linux.Futex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code futex} column of {@code wake.park} and {@code wake.suspend}: the kernel's floor, a raw
 * futex ping-pong with no waiter bookkeeping. The waiter calls {@link Futex#await} while the word
 * holds the old value; the waker stores (volatile) and always calls {@link Futex#wake}.
 */
public final class WakeFutex extends PingPongScenario {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private final String row;

    /** @param row {@code wake.park} or {@code wake.suspend}: the row this column is the peer in */
    public WakeFutex(String row) {
        this.row = row;
    }

    @Override
    public String row() {
        return row;
    }

    @Override
    public String column() {
        return "futex";
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) {
                while ((int) INT.getVolatile(memory, offset) == expected) {
                    Futex.await(memory, offset, expected, -1);
                }
            }

            @Override
            public void signal(long offset, int value) {
                INT.setVolatile(memory, offset, value);
                Futex.wake(memory, offset, 1);
            }
        };
    }
}
