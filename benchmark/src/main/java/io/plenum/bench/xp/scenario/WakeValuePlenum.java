package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPong;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.codec.Codecs;
import io.plenum.sync.Waiting;
import io.plenum.value.SharedValue;
import io.plenum.value.ValueOptions;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code plenum} column of {@code value.wake_blocking}: change-to-wake latency of a
 * {@code SharedValue} across JVMs. Each side's inbox is a shared value (a long); the waker stores
 * the ping-pong word (bookkeeping, no waiter) and then {@code set}s the value; the waiter blocks in
 * {@code waitForChange} (spin, then futex) and sees the word once the version moved.
 */
public final class WakeValuePlenum extends PingPongScenario {

    static String valueFile(int inbox) {
        return "value-" + inbox + ".bin";
    }

    @Override
    public String row() {
        return "value.wake_blocking";
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public void setup(Path dir) throws IOException {
        super.setup(dir);
        createValues(dir);
    }

    /** The two inbox values, next to the ping-pong file. */
    static void createValues(Path dir) {
        for (int inbox = 0; inbox < 2; inbox++) {
            SharedValue.open(Codecs.LONG, ValueOptions.of(dir.resolve(valueFile(inbox))).withMaxSize(8)).close();
        }
    }

    /** The shared value behind the ping-pong word at {@code offset}. */
    static SharedValue<Long> valueFor(WorkerContext ctx, long offset) {
        int inbox = offset == PingPong.inboxOffset(0) ? 0 : 1;
        return SharedValue.open(Codecs.LONG, ValueOptions.of(ctx.dir().resolve(valueFile(inbox))));
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        SharedValue<Long> mine = valueFor(ctx, PingPong.inboxOffset(ctx.worker()));
        SharedValue<Long> theirs = valueFor(ctx, PingPong.inboxOffset(1 - ctx.worker()));
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) throws InterruptedException {
                while (true) {
                    long version = mine.version();
                    if (Waiting.value(memory, offset) != expected) {
                        return;
                    }
                    mine.waitForChange(version);
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
