package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.report.Row;
import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.SharedMutex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * {@code plenum} column of the cross-process {@code lock.mutex.contended} row: every thread of
 * every worker takes one {@link SharedMutex}, embedded in a mapped file with the counter it
 * guards, and increments the counter with a plain read and write inside. Afterwards the counter
 * must equal the operations counted: a lost increment would mean two holders at once. No peer
 * locks across processes; {@code MutexContendedBench} is the single-process reference.
 *
 * <pre>
 *  0               16              64              72              128
 *  +---------------+---------------+---------------+---------------+-----------------------+
 *  | SharedMutex   | (padding)     | counter i64   | (padding)     | OwnerTable, 8 entries |
 *  +---------------+---------------+---------------+---------------+-----------------------+
 * </pre>
 */
public final class MutexContendedPlenum implements CrossProcessScenario {

    static final String FILE = "mutex.bin";
    static final long COUNTER = 64;
    static final long OWNERS = 128;
    static final int OWNER_ENTRIES = 8;
    static final long BYTES = OWNERS + OwnerTable.bytesFor(OWNER_ENTRIES);

    private final int processes;
    private final int threads;

    public MutexContendedPlenum(int processes, int threads) {
        this.processes = processes;
        this.threads = threads;
    }

    @Override
    public String row() {
        return "lock.mutex.contended";
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void setup(Path dir) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = ShmFiles.mapSegment(ShmFiles.create(dir.resolve(FILE), BYTES), BYTES, arena);
            SharedMutex.initialize(memory, 0);
            OwnerTable.initialize(memory, OWNERS, OWNER_ENTRIES);
        }
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        // Mapped for the life of the worker JVM, which exits when it has reported.
        MemorySegment memory = ShmFiles.mapSegment(ctx.dir().resolve(FILE), BYTES, Arena.ofShared());
        SharedMutex mutex = SharedMutex.embedded(memory, 0,
                new OwnerTable(memory, OWNERS, OWNER_ENTRIES, ctx.dir().resolve(FILE).toString()));
        return () -> {
            mutex.lock();
            try {
                long next = memory.get(ValueLayout.JAVA_LONG, COUNTER) + 1;
                memory.set(ValueLayout.JAVA_LONG, COUNTER, next);
                return next;
            } finally {
                mutex.unlock();
            }
        };
    }

    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = ShmFiles.mapSegment(dir.resolve(FILE), BYTES, arena);
            long counter = memory.get(ValueLayout.JAVA_LONG, COUNTER);
            if (counter != totalOps) {
                throw new IllegalStateException(id() + ": the counter guarded by the mutex is " + counter
                        + " but the workers counted " + totalOps + " increments (lost increments: two holders)");
            }
        }
    }
}
