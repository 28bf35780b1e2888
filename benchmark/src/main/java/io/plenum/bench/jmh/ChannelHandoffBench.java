package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
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
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
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

/**
 * One producer thread (the benchmark thread) hands 8-byte messages to one consumer thread that
 * drains in the background, in one JVM: the rate of sends a 1024-message channel sustains. Each
 * column has its own state, so only the measured peer's consumer runs.
 *
 * <p>{@code spsc_spin}: both sides spin on the non-waiting forms: {@code plenum}
 * {@code SharedChannel} {@code tryOfferLong} / {@code tryPollLongOr} on a {@code /dev/shm} file;
 * {@code agrona} {@code OneToOneRingBuffer} over a mapped {@code /dev/shm} file of the same
 * capacity; {@code jctools} {@code MpmcArrayQueue} (the in-heap limit of a many-to-many queue);
 * {@code heap} {@code ArrayBlockingQueue} {@code offer} / {@code poll}.
 * {@code spsc_block}: both sides block ({@code putLong} / {@code takeLong}; {@code heap}
 * {@code put} / {@code take}).
 */
@RowPrefix("channel.I64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class ChannelHandoffBench {
    static final int CAPACITY = 1024;

    /** A background consumer thread, stopped at tear-down. */
    abstract static class Side {
        /** The consumer's count and stop flag, on a line of their own (see {@link Tally}). */
        final Tally received = new Tally();
        Thread consumer;

        abstract void drain();

        void startConsumer() {
            consumer = Thread.ofPlatform().daemon().name("bench-consumer").start(() -> {
                while (!received.stop) {
                    drain();
                }
            });
        }

        void stopConsumer() throws InterruptedException {
            received.stop = true;
            consumer.interrupt();
            consumer.join(5_000);
        }
    }

    @State(Scope.Benchmark)
    public static class PlenumSide extends Side {
        SharedChannel<Long> channel;
        Path path;
        boolean blocking;

        @Setup(Level.Trial)
        public void setUp() {
            path = ShmFiles.freshPath("bench-channel-");
            try {
                channel = SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withCapacity(CAPACITY)
                        .withMaxMessageSize(8).withMode(OpenMode.CREATE_NEW));
            } finally {
                // Only this JVM uses the channel, and its mapping outlives the name: unlinking now
                // leaves no file behind whatever happens at tear-down (the blocking row's did).
                deleteQuietly(path);
            }
            startConsumer();
        }

        @Override
        void drain() {
            if (blocking) {
                try {
                    received.count += channel.takeLong();
                } catch (InterruptedException e) {
                    return;
                }
            } else if (channel.tryPollLongOr(-1) < 0) {
                Thread.onSpinWait();
            } else {
                received.count++;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            received.stop = true;
            channel.tryOfferLong(1); // wake a blocked consumer
            stopConsumer();
            channel.close();
        }

        private static void deleteQuietly(Path path) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class PlenumBlockingSide extends PlenumSide {
        @Override
        @Setup(Level.Trial)
        public void setUp() {
            blocking = true;
            super.setUp();
        }
    }

    @State(Scope.Benchmark)
    public static class AgronaSide extends Side {
        OneToOneRingBuffer ring;
        UnsafeBuffer message;
        Arena arena;
        Path path;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            long bytes = CAPACITY * 16L + RingBufferDescriptor.TRAILER_LENGTH; // 8-byte header + 8-byte message
            path = ShmFiles.createTemp(ShmFiles.root(), "bench-agrona-ring-", bytes);
            arena = Arena.ofShared();
            var memory = ShmFiles.mapSegment(path, bytes, arena);
            ring = new OneToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) bytes));
            message = new UnsafeBuffer(new byte[8]);
            startConsumer();
        }

        @Override
        void drain() {
            if (ring.read((type, buffer, index, length) -> received.count++) == 0) {
                Thread.onSpinWait();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            stopConsumer();
            arena.close();
            Files.deleteIfExists(path);
        }
    }

    @State(Scope.Benchmark)
    public static class HeapSide extends Side {
        final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);
        boolean blocking;

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @Override
        void drain() {
            if (blocking) {
                try {
                    received.count += queue.take();
                } catch (InterruptedException e) {
                    return;
                }
            } else if (queue.poll() == null) {
                Thread.onSpinWait();
            } else {
                received.count++;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            received.stop = true;
            queue.offer(1L);
            stopConsumer();
        }
    }

    @State(Scope.Benchmark)
    public static class JctoolsSide extends Side {
        final MpmcArrayQueue<Long> queue = new MpmcArrayQueue<>(CAPACITY);

        @Setup(Level.Trial)
        public void setUp() {
            startConsumer();
        }

        @Override
        void drain() {
            if (queue.relaxedPoll() == null) {
                Thread.onSpinWait();
            } else {
                received.count++;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            stopConsumer();
        }
    }

    @State(Scope.Benchmark)
    public static class HeapBlockingSide extends HeapSide {
        @Override
        @Setup(Level.Trial)
        public void setUp() {
            blocking = true;
            super.setUp();
        }
    }

    @Benchmark
    public void spsc_spin_plenum(PlenumSide side) {
        while (!side.channel.tryOfferLong(1)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void spsc_spin_agrona(AgronaSide side) {
        while (!side.ring.write(1, side.message, 0, 8)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void spsc_spin_heap(HeapSide side) {
        while (!side.queue.offer(1L)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void spsc_spin_jctools(JctoolsSide side) {
        while (!side.queue.relaxedOffer(1L)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void spsc_block_plenum(PlenumBlockingSide side) throws InterruptedException {
        side.channel.putLong(1);
    }

    @Benchmark
    public void spsc_block_heap(HeapBlockingSide side) throws InterruptedException {
        side.queue.put(1L);
    }
}
