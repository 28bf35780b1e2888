package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code agrona} column of {@code wake.spin}: Agrona's way, an {@link UnsafeBuffer} over the
 * same mapping, the waiter busy-spinning on {@code getIntVolatile} with {@link Thread#onSpinWait()}
 * (as {@code BusySpinIdleStrategy}), the waker storing with {@code putIntRelease}.
 */
public final class WakeSpinAgrona extends PingPongScenario {

    @Override
    public String row() {
        return "wake.spin";
    }

    @Override
    public String column() {
        return "agrona";
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        UnsafeBuffer buffer = new UnsafeBuffer(memory.address(), Math.toIntExact(memory.byteSize()));
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) {
                int index = (int) offset;
                while (buffer.getIntVolatile(index) == expected) {
                    Thread.onSpinWait();
                }
            }

            @Override
            public void signal(long offset, int value) {
                buffer.putIntRelease((int) offset, value);
            }
        };
    }
}
