package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;

/**
 * {@code plenum} column of {@code wake.park}: the sleeping path of {@code Waiting.await} without
 * its spin phase, so that every message goes through the futex: the waiter repeats
 * {@link Waiting#sleep} (count itself as a waiter, re-check, {@code FUTEX_WAIT}) until the word
 * changed; the waker uses {@link Waiting#set}, which then always finds a waiter to wake.
 */
public final class WakeParkPlenum extends PingPongScenario {

    @Override
    public String row() {
        return "wake.park";
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
                while (Waiting.value(memory, offset) == expected) {
                    Waiting.sleep(memory, offset, expected, Waiting.SLICE_NANOS);
                }
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
            }
        };
    }
}
