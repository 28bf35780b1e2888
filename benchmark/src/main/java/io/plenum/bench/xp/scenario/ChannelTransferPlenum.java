package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import io.plenum.segment.OpenMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code channel.I64.transfer_{spin,block}[P->C]}: P producer JVMs send 8-byte messages through one
 * 1024-message {@code SharedChannel} to C consumer JVMs (workers 0..C-1 consume, the others
 * produce). One operation is one send or one receive, so the ops/s cell counts every message twice
 * (once sent, once received). {@code spin}: the non-waiting forms in a spin loop; {@code block}:
 * {@code offerLong}/{@code pollLongOr} with a 10 ms bound (so a side never waits for good once the
 * other has stopped). Verified: the channel never received more than it was sent.
 */
public final class ChannelTransferPlenum implements CrossProcessScenario {
    private static final String FILE = "channel.bin";
    private static final Duration BOUND = Duration.ofMillis(10);
    private final int producers;
    private final int consumers;
    private final boolean blocking;

    public ChannelTransferPlenum(int producers, int consumers, boolean blocking) {
        this.producers = producers;
        this.consumers = consumers;
        this.blocking = blocking;
    }

    @Override
    public String row() {
        return "channel.I64.transfer_" + (blocking ? "block" : "spin") + "[" + producers + "to" + consumers + "]";
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public int processes() {
        return producers + consumers;
    }

    @Override
    public void setup(Path dir) {
        SharedChannel.open(Codecs.LONG, ChannelOptions.of(dir.resolve(FILE)).withCapacity(1024)
                .withMaxMessageSize(8).withMode(OpenMode.CREATE_NEW)).close();
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        SharedChannel<Long> channel = SharedChannel.open(Codecs.LONG, ChannelOptions.of(ctx.dir().resolve(FILE))
                .withMode(OpenMode.OPEN_EXISTING));
        if (ctx.worker() < consumers) {
            return blocking ? () -> poll(channel) : () -> {
                for (int i = 0; i < 1_000_000; i++) {
                    long value = channel.tryPollLongOr(-1);
                    if (value >= 0) {
                        return value;
                    }
                    Thread.onSpinWait();
                }
                return -1;
            };
        }
        long self = ctx.worker();
        return blocking ? () -> offer(channel, self) : () -> {
            for (int i = 0; i < 1_000_000; i++) {
                if (channel.tryOfferLong(self)) {
                    return 1;
                }
                Thread.onSpinWait();
            }
            return 0;
        };
    }

    private static long poll(SharedChannel<Long> channel) {
        try {
            return channel.pollLongOr(BOUND, -1);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long offer(SharedChannel<Long> channel, long value) {
        try {
            return channel.offerLong(value, BOUND) ? 1 : 0;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        try (SharedChannel<Long> channel = SharedChannel.open(Codecs.LONG, ChannelOptions.of(dir.resolve(FILE))
                .withMode(OpenMode.OPEN_EXISTING))) {
            var stats = channel.stats();
            if (stats.received() > stats.sent() || stats.sent() - stats.received() > channel.capacity()) {
                throw new IllegalStateException(id() + ": " + stats);
            }
        }
    }
}
