package io.plenum.bench.jmh.channel;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.jmh.RowPrefix;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Row;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import io.plenum.segment.OpenMode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code channel.I64.mpsc_spin}: two benchmark threads send 8-byte messages, one background thread
 * of the same JVM receives and checks them (see {@link MpscSide}), through a 1024-message
 * structure, all spinning on the non-waiting forms; the send rate of both producers together.
 * {@code plenum}: {@code SharedChannel} {@code tryOfferLong} / {@code tryPollLongOr} on a
 * {@code /dev/shm} file; {@code agrona}: {@code ManyToOneRingBuffer} over a mapped {@code /dev/shm}
 * file of the same capacity; {@code jctools}: {@code MpmcArrayQueue}; {@code heap}:
 * {@code ArrayBlockingQueue} {@code offer} / {@code poll}.
 */
@RowPrefix("channel.I64")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(MpscSide.PRODUCERS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class ChannelMpscBench {

    @State(Scope.Benchmark)
    public static class PlenumSide extends MpscSide {
        SharedChannel<Long> channel;
        Path path;

        @Setup(Level.Trial)
        public void setUp() {
            path = ShmFiles.freshPath("bench-channel-mpsc-");
            channel = SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withCapacity(CAPACITY)
                    .withMaxMessageSize(8).withMode(OpenMode.CREATE_NEW));
            startConsumer();
        }

        @Override
        int drain() {
            long value = channel.tryPollLongOr(-1);
            if (value < 0) {
                return 0;
            }
            received(value);
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

    @State(Scope.Benchmark)
    public static class AgronaSide extends MpscSide {
        ManyToOneRingBuffer ring;
        Arena arena;
        Path path;
        private final MessageHandler check = (type, buffer, index, length) -> received(buffer.getLong(index));

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            long bytes = CAPACITY * 16L + RingBufferDescriptor.TRAILER_LENGTH; // 8-byte header + 8-byte message
            path = ShmFiles.createTemp(ShmFiles.root(), "bench-agrona-mpsc-", bytes);
            arena = Arena.ofShared();
            var memory = ShmFiles.mapSegment(path, bytes, arena);
            ring = new ManyToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) bytes));
            startConsumer();
        }

        @Override
        int drain() {
            return ring.read(check);
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

    @State(Scope.Benchmark)
    public static class JctoolsSide extends MpscSide {
        final MpmcArrayQueue<Long> queue = new MpmcArrayQueue<>(CAPACITY);

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @Override
        int drain() {
            Long value = queue.relaxedPoll();
            if (value == null) {
                return 0;
            }
            received(value);
            return 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            finish("jctools");
        }
    }

    @State(Scope.Benchmark)
    public static class HeapSide extends MpscSide {
        final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @Override
        int drain() {
            Long value = queue.poll();
            if (value == null) {
                return 0;
            }
            received(value);
            return 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            finish("heap");
        }
    }

    @Benchmark
    public void mpsc_spin_plenum(PlenumSide side, Producer producer) {
        long value = producer.next(side);
        while (!side.channel.tryOfferLong(value)) {
            Thread.onSpinWait();
        }
        producer.sent(side);
    }

    @Benchmark
    public void mpsc_spin_agrona(AgronaSide side, Producer producer) {
        producer.scratch.putLong(0, producer.next(side));
        while (!side.ring.write(1, producer.scratch, 0, 8)) {
            Thread.onSpinWait();
        }
        producer.sent(side);
    }

    @Benchmark
    public void mpsc_spin_jctools(JctoolsSide side, Producer producer) {
        Long value = producer.nextBoxed(side);
        while (!side.queue.relaxedOffer(value)) {
            Thread.onSpinWait();
        }
        producer.sent(side);
    }

    @Benchmark
    public void mpsc_spin_heap(HeapSide side, Producer producer) {
        Long value = producer.nextBoxed(side);
        while (!side.queue.offer(value)) {
            Thread.onSpinWait();
        }
        producer.sent(side);
    }
}
