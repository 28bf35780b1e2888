package io.plenum.bench.jmh.channel;

import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.BitUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code agrona}: a {@link OneToOneRingBuffer} over a mapped {@code /dev/shm} file. {@code write}
 * copies the sender's array (an {@link UnsafeBuffer} over it) into the ring; {@code read} hands each
 * record to a handler that copies it into the consumer's array. The ring's data size must be a power
 * of two: it is the smallest one that holds {@link ByteSide#CAPACITY} records (8-byte header plus
 * the message, 8-aligned), so Agrona never has fewer messages of room than Plenum (up to twice as many).
 */
@State(Scope.Benchmark)
public abstract class AgronaByteSide extends ByteSide {
    private OneToOneRingBuffer ring;
    private UnsafeBuffer out;
    private Arena arena;
    private Path path;
    private final MessageHandler copyOut = (type, buffer, index, length) -> {
        buffer.getBytes(index, target, 0, length);
        received(length);
    };

    protected AgronaByteSide(int size) {
        super(size);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int record = BitUtil.align(RecordDescriptor.HEADER_LENGTH + size, RecordDescriptor.ALIGNMENT);
        long bytes = BitUtil.findNextPositivePowerOfTwo(CAPACITY * record) + RingBufferDescriptor.TRAILER_LENGTH;
        path = ShmFiles.createTemp(ShmFiles.root(), "bench-agrona-ring-", bytes);
        arena = Arena.ofShared();
        var memory = ShmFiles.mapSegment(path, bytes, arena);
        ring = new OneToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) bytes));
        out = new UnsafeBuffer(message);
        startConsumer();
    }

    @Override
    boolean trySend() {
        return ring.write(1, out, 0, size);
    }

    @Override
    int drain() {
        return ring.read(copyOut);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            finish("agrona");
        } finally {
            arena.close();
            Files.deleteIfExists(path);
        }
    }
}
