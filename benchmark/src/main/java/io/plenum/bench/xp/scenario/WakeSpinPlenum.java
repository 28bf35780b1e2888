package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;

/**
 * {@code plenum} column of {@code wake.spin}: the waiter never sleeps, it repeats
 * {@link Waiting#spin} (the spin phase of {@code Waiting.await}) until the word changes; the
 * waker uses {@link Waiting#set}, which makes no syscall when no waiter sleeps.
 */
public final class WakeSpinPlenum extends PingPongScenario {

    @Override
    public String row() {
        return "wake.spin";
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) {
                while (!Waiting.spin(memory, offset, expected)) {
                    // spin again: this mode never sleeps
                }
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
            }
        };
    }
}
