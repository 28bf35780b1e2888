package io.plenum.bench.jmh.channel;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Row;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import io.plenum.segment.OpenMode;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code plenum}: a {@link SharedChannel} on a {@code /dev/shm} file, {@link ByteSide#CAPACITY}
 * messages of at most the message size, through its raw-bytes forms: {@code tryOfferBytes} copies
 * the sender's array (a heap segment over it) into the slot, {@code tryPollBytes} copies the slot
 * into the consumer's array. No array is allocated per message.
 */
@State(Scope.Benchmark)
public abstract class PlenumByteSide extends ByteSide {
    private SharedChannel<byte[]> channel;
    private Path path;
    private MemorySegment out;
    private MemorySegment in;

    protected PlenumByteSide(int size) {
        super(size);
    }

    @Setup(Level.Trial)
    public void setUp() {
        path = ShmFiles.freshPath("bench-channel-bytes-");
        channel = SharedChannel.open(Codecs.BYTES, ChannelOptions.of(path).withCapacity(CAPACITY)
                .withMaxMessageSize(size).withMode(OpenMode.CREATE_NEW));
        out = MemorySegment.ofArray(message);
        in = MemorySegment.ofArray(target);
        startConsumer();
    }

    @Override
    boolean trySend() {
        return channel.tryOfferBytes(out);
    }

    @Override
    int drain() {
        int length = channel.tryPollBytes(in);
        if (length < 0) {
            return 0;
        }
        received(length);
        return 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            finish(Row.PLENUM);
        } finally {
            channel.close();
            Files.deleteIfExists(path);
        }
    }
}
