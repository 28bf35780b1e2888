package io.plenum.bench.jmh.channel;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.jmh.RowPrefix;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@code channel.B64.spsc_spin}: the benchmark thread sends 64-byte messages, a background thread of
 * the same JVM receives each into its own array and checks it, both spinning on the non-waiting
 * forms; the send rate the peer sustains. See {@link ByteSide} for the checks and each side for its
 * peer. Each column has its own state, so only the measured peer's consumer runs.
 */
@RowPrefix("channel.B64")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class ChannelB64Bench {
    static final int SIZE = 64;

    @State(Scope.Benchmark)
    public static class Plenum extends PlenumByteSide {
        public Plenum() {
            super(SIZE);
        }
    }

    @State(Scope.Benchmark)
    public static class Agrona extends AgronaByteSide {
        public Agrona() {
            super(SIZE);
        }
    }

    @State(Scope.Benchmark)
    public static class Heap extends HeapByteSide {
        public Heap() {
            super(SIZE);
        }
    }

    @Benchmark
    public void spsc_spin_plenum(Plenum side) {
        side.send();
    }

    @Benchmark
    public void spsc_spin_agrona(Agrona side) {
        side.send();
    }

    @Benchmark
    public void spsc_spin_heap(Heap side) {
        side.send();
    }
}
