package io.plenum.bench.jmh.access;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.jmh.RowPrefix;
import io.plenum.bench.jmh.StrideCursor;
import io.plenum.bench.memory.ShmFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The segment-as-constant question (issue 11): how a long in a shared mapping is read,
 * written and CASed fastest without {@code Unsafe} or {@code --add-opens}. One row per
 * approach and operation ({@code access.I64.<op>_<approach>}), so the choice can be
 * re-checked on another JDK:
 *
 * <ul>
 *   <li>{@code field}: the slice in an instance field, a mutable bound (Plenum's arrays before);
 *   <li>{@code static}: a {@code static final} segment, the limit;
 *   <li>{@code hidden}: a hidden class per mapping with the segment in its static finals,
 *       behind {@link LongCells}, one implementation at the call site;
 *       {@code hiddenMega}: three such arrays through one call site;
 *       {@code hidden.define}: the cost of defining the class, paid once per open;
 *   <li>{@code record}: the segment in a record's final field;
 *   <li>{@code zeroBased}: one JVM-wide segment over all memory and a base address per array.
 * </ul>
 *
 * Every approach checks the index against the length first. Each call visits the next element
 * of a stride-9 walk over 1024 longs; every access is volatile or a full-fence CAS.
 */
@RowPrefix("access.I64")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC})
public class AccessPatternBench {

    static final int LENGTH = StrideCursor.LENGTH;
    static final long BYTES = LENGTH * Long.BYTES;


    /** One fresh tmpfs mapping, unlinked at once; closed with the trial. */
    @State(Scope.Benchmark)
    public static class Mapping {
        Arena arena;

        MemorySegment map() throws IOException {
            if (arena == null) {
                arena = Arena.ofShared();
            }
            Path file = ShmFiles.createTemp(ShmFiles.root(), "plenum-bench-access-", BYTES);
            try {
                return ShmFiles.mapSegment(file, BYTES, arena);
            } finally {
                Files.deleteIfExists(file);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Field {
        FieldCells cells;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            cells = new FieldCells(m.map(), LENGTH);
        }
    }

    @State(Scope.Benchmark)
    public static class Static {
        StaticCells cells = new StaticCells();
    }

    @State(Scope.Benchmark)
    public static class Hidden {
        LongCells cells;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            cells = HiddenCellsFactory.define(m.map(), LENGTH);
        }
    }

    @State(Scope.Benchmark)
    public static class HiddenMega {
        LongCells[] cells;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            cells = new LongCells[] {
                HiddenCellsFactory.define(m.map(), LENGTH),
                HiddenCellsFactory.define(m.map(), LENGTH),
                HiddenCellsFactory.define(m.map(), LENGTH)
            };
        }
    }

    @State(Scope.Benchmark)
    public static class Record {
        RecordCells cells;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            cells = new RecordCells(m.map(), LENGTH);
        }
    }

    @State(Scope.Benchmark)
    public static class ZeroBased {
        ZeroBasedCells cells;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            cells = new ZeroBasedCells(m.map(), LENGTH);
        }
    }

    // ---- get ----

    @Benchmark
    public long get_field_plenum(Field s, StrideCursor c) {
        return s.cells.get(c.next());
    }

    @Benchmark
    public long get_static_plenum(Static s, StrideCursor c) {
        return s.cells.get(c.next());
    }

    @Benchmark
    public long get_hidden_plenum(Hidden s, StrideCursor c) {
        return s.cells.get(c.next());
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public long get_hiddenMega_plenum(HiddenMega s, StrideCursor c) {
        int i = c.next();
        long sum = 0;
        for (LongCells cells : s.cells) {
            sum += cells.get(i);
        }
        return sum;
    }

    @Benchmark
    public long get_record_plenum(Record s, StrideCursor c) {
        return s.cells.get(c.next());
    }

    @Benchmark
    public long get_zeroBased_plenum(ZeroBased s, StrideCursor c) {
        return s.cells.get(c.next());
    }

    // ---- set ----

    @Benchmark
    public void set_field_plenum(Field s, StrideCursor c) {
        long v = c.step();
        s.cells.set(c.next(), v);
    }

    @Benchmark
    public void set_static_plenum(Static s, StrideCursor c) {
        long v = c.step();
        s.cells.set(c.next(), v);
    }

    @Benchmark
    public void set_hidden_plenum(Hidden s, StrideCursor c) {
        long v = c.step();
        s.cells.set(c.next(), v);
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void set_hiddenMega_plenum(HiddenMega s, StrideCursor c) {
        long v = c.step();
        int i = c.next();
        for (LongCells cells : s.cells) {
            cells.set(i, v);
        }
    }

    @Benchmark
    public void set_record_plenum(Record s, StrideCursor c) {
        long v = c.step();
        s.cells.set(c.next(), v);
    }

    @Benchmark
    public void set_zeroBased_plenum(ZeroBased s, StrideCursor c) {
        long v = c.step();
        s.cells.set(c.next(), v);
    }

    // ---- cas: always succeeds (expected = laps done) ----

    @Benchmark
    public boolean cas_field_plenum(Field s, StrideCursor c) {
        long e = c.lap();
        return c.checked(s.cells.cas(c.next(), e, e + 1));
    }

    @Benchmark
    public boolean cas_static_plenum(Static s, StrideCursor c) {
        long e = c.lap();
        return c.checked(s.cells.cas(c.next(), e, e + 1));
    }

    @Benchmark
    public boolean cas_hidden_plenum(Hidden s, StrideCursor c) {
        long e = c.lap();
        return c.checked(s.cells.cas(c.next(), e, e + 1));
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public boolean cas_hiddenMega_plenum(HiddenMega s, StrideCursor c) {
        long e = c.lap();
        int i = c.next();
        boolean all = true;
        for (LongCells cells : s.cells) {
            all &= cells.cas(i, e, e + 1);
        }
        return c.checked(all);
    }

    @Benchmark
    public boolean cas_record_plenum(Record s, StrideCursor c) {
        long e = c.lap();
        return c.checked(s.cells.cas(c.next(), e, e + 1));
    }

    @Benchmark
    public boolean cas_zeroBased_plenum(ZeroBased s, StrideCursor c) {
        long e = c.lap();
        return c.checked(s.cells.cas(c.next(), e, e + 1));
    }

    // ---- the price of (c): one hidden class defined per open ----

    @Benchmark
    public LongCells define_hidden_plenum(Mapping m, DefineTarget t) {
        return HiddenCellsFactory.define(t.segment, LENGTH);
    }

    /** One mapping every defined class points at (the definition, not the mmap, is measured). */
    @State(Scope.Benchmark)
    public static class DefineTarget {
        MemorySegment segment;

        @Setup(Level.Trial)
        public void open(Mapping m) throws IOException {
            segment = m.map();
        }
    }
}
