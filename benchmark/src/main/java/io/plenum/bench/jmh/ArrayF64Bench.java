package io.plenum.bench.jmh;

import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedDoubleArray;
import io.plenum.bench.JvmArgs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-element operations of a {@link SharedDoubleArray} of 1024 elements in {@code /dev/shm}
 * ({@code plenum}), against a heap {@code double[]} through an array-element VarHandle, the JDK's
 * atomic double array ({@code heap}), and Agrona's {@link UnsafeBuffer} over a mapped file of the
 * same kind, through the bit patterns ({@code agrona}). "increment" adds 1.0 with a CAS loop in
 * every column; "cas" compares bit patterns in every column.
 */
@RowPrefix("array.F64")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.OPEN_INTERNAL_MISC, JvmArgs.OPEN_NIO,
        JvmArgs.EXPORT_INTERNAL_REF, JvmArgs.UNSAFE_ALLOWED, JvmArgs.SERIAL_GC})
public class ArrayF64Bench extends ArrayPeers {
    private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);

    private SharedDoubleArray array;
    private double[] heap;

    @Override
    protected AutoCloseable openArray(ArrayOptions options) {
        array = SharedDoubleArray.open(options);
        heap = new double[MappedI64Bench.LENGTH];
        return array;
    }

    @TearDown(Level.Trial)
    public void close() {
        array.close();
    }

    @Benchmark
    public double get_plenum(StrideCursor c) {
        return array.get(c.next());
    }

    @Benchmark
    public double get_heap(StrideCursor c) {
        return (double) DOUBLES.getAcquire(heap, c.next());
    }

    @Benchmark
    public double get_agrona(StrideCursor c) {
        return Double.longBitsToDouble(agrona.getLongVolatile(c.next() << 3));
    }

    @Benchmark
    public void set_plenum(StrideCursor c) {
        double value = c.lap();
        array.set(c.next(), value);
    }

    @Benchmark
    public void set_heap(StrideCursor c) {
        double value = c.lap();
        DOUBLES.setRelease(heap, c.next(), value);
    }

    @Benchmark
    public void set_agrona(StrideCursor c) {
        double value = c.lap();
        agrona.putLongRelease(c.next() << 3, Double.doubleToRawLongBits(value));
    }

    @Benchmark
    public double increment_plenum(StrideCursor c) {
        return array.addAndGet(c.next(), 1.0);
    }

    @Benchmark
    public double increment_heap(StrideCursor c) {
        int index = c.next();
        double current = (double) DOUBLES.getVolatile(heap, index);
        while (true) {
            double witness = (double) DOUBLES.compareAndExchange(heap, index, current, current + 1.0);
            if (Double.doubleToRawLongBits(witness) == Double.doubleToRawLongBits(current)) {
                return current + 1.0;
            }
            current = witness;
        }
    }

    @Benchmark
    public double increment_agrona(StrideCursor c) {
        int offset = c.next() << 3;
        while (true) {
            long bits = agrona.getLongVolatile(offset);
            double next = Double.longBitsToDouble(bits) + 1.0;
            if (agrona.compareAndSetLong(offset, bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    @Benchmark
    public boolean cas_plenum(StrideCursor c) {
        double expected = c.lap();
        return c.checked(array.compareAndSet(c.next(), expected, expected + 1));
    }

    @Benchmark
    public boolean cas_heap(StrideCursor c) {
        double expected = c.lap();
        return c.checked(DOUBLES.compareAndSet(heap, c.next(), expected, expected + 1));
    }

    @Benchmark
    public boolean cas_agrona(StrideCursor c) {
        double expected = c.lap();
        return c.checked(agrona.compareAndSetLong(c.next() << 3, Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(expected + 1)));
    }
}
