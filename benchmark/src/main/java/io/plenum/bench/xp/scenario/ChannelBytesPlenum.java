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
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code channel.B64.transfer_spin[Pto1]}: P producer JVMs send 64-byte messages through one
 * 1024-message {@code SharedChannel} to one consumer JVM (worker 0), both sides spinning on the
 * raw-bytes forms ({@code tryOfferBytes} from, {@code tryPollBytes} into, a 64-byte array of their
 * own). One operation is one send or one receive, as in the {@code channel.I64.transfer_*} rows;
 * the peer is Agrona's one-to-one ring for 1→1 and its many-to-one ring for P→1
 * ({@link ChannelBytesAgrona}). Verified: every message received was 64 bytes, and the channel
 * never received more than it was sent.
 */
public final class ChannelBytesPlenum implements CrossProcessScenario {
    static final int SIZE = 64;
    static final int CAPACITY = 1024;
    /** Tries of one operation before it gives up (the other side stopped): then it counts as done. */
    static final int SPINS = 1_000_000;
    private static final String FILE = "channel.bin";
    private final int producers;

    public ChannelBytesPlenum(int producers) {
        this.producers = producers;
    }

    static String row(int producers) {
        return "channel.B" + SIZE + ".transfer_spin[" + producers + "to1]";
    }

    @Override
    public String row() {
        return row(producers);
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public int processes() {
        return producers + 1;
    }

    @Override
    public void setup(Path dir) {
        SharedChannel.open(Codecs.BYTES, ChannelOptions.of(dir.resolve(FILE)).withCapacity(CAPACITY)
                .withMaxMessageSize(SIZE).withMode(OpenMode.CREATE_NEW)).close();
    }

    @Override
    public Operation prepare(WorkerContext ctx) {
        SharedChannel<byte[]> channel = SharedChannel.open(Codecs.BYTES, ChannelOptions.of(ctx.dir().resolve(FILE))
                .withMode(OpenMode.OPEN_EXISTING));
        MemorySegment buffer = MemorySegment.ofArray(new byte[SIZE]);
        if (ctx.worker() == 0) {
            return () -> {
                for (int i = 0; i < SPINS; i++) {
                    int length = channel.tryPollBytes(buffer);
                    if (length >= 0) {
                        if (length != SIZE) {
                            throw new IllegalStateException(row() + ": received " + length + " bytes, sent " + SIZE);
                        }
                        return buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
                    }
                    Thread.onSpinWait();
                }
                return -1;
            };
        }
        buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) ctx.worker());
        return () -> {
            for (int i = 0; i < SPINS; i++) {
                if (channel.tryOfferBytes(buffer)) {
                    return 1;
                }
                Thread.onSpinWait();
            }
            return 0;
        };
    }

    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        try (SharedChannel<byte[]> channel = SharedChannel.open(Codecs.BYTES, ChannelOptions.of(dir.resolve(FILE))
                .withMode(OpenMode.OPEN_EXISTING))) {
            var stats = channel.stats();
            if (stats.received() > stats.sent() || stats.sent() - stats.received() > channel.capacity()) {
                throw new IllegalStateException(id() + ": " + stats);
            }
        }
    }
}
