package io.plenum.bench.jmh.channel;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.jmh.RowPrefix;
import io.plenum.bench.memory.ShmFiles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code channel.I64.spsc_suspend}: a producer coroutine on the benchmark thread sends 8-byte
 * messages to a consumer coroutine on a thread of its own, both suspending (never spinning or
 * blocking) while the 1024-message channel is full or empty; the send rate. One invocation is a
 * batch of {@link #BATCH} sends in one {@code runBlocking}, so entering it costs under 0.1% of a
 * batch. The coroutines are Kotlin ({@link SuspendPipe}); this suite only drives them.
 */
@RowPrefix("channel.I64")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class ChannelSuspendBench {
    static final int BATCH = 4096;

    @State(Scope.Benchmark)
    public static class PlenumSide {
        PlenumSuspendPipe pipe;

        @Setup(Level.Trial)
        public void setUp() {
            pipe = new PlenumSuspendPipe(ShmFiles.freshPath("bench-channel-suspend-"));
            pipe.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                pipe.finish();
            } finally {
                pipe.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class HeapSide {
        final HeapSuspendPipe pipe = new HeapSuspendPipe();

        @Setup(Level.Trial)
        public void setUp() {
            pipe.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pipe.finish();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void spsc_suspend_plenum(PlenumSide side) {
        side.pipe.sendBatch(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void spsc_suspend_heap(HeapSide side) {
        side.pipe.sendBatch(BATCH);
    }
}
