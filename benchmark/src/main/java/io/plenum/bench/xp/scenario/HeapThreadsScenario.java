package io.plenum.bench.xp.scenario;

import io.plenum.bench.heap.HeapBitmapPool;
import io.plenum.bench.xp.CrossProcessScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code heap} peer of a cross-process row: the same work, done by the row's
 * processes × threads as threads of one worker JVM on the JDK's heap equivalent. The shape
 * differs (one JVM, no shared memory), the work is the same; the cell goes in the row's own
 * shape ({@link #rowProcesses()} × {@link #rowThreads()}).
 *
 * <p>The heap state lives in the worker JVM (this object, one per JVM, built by
 * {@code Suites}; each round is a fresh worker). When its threads are done the worker writes
 * {@link #result()} to a file, and {@link #verify} in the parent checks it against the
 * operations counted.
 */
abstract class HeapThreadsScenario implements CrossProcessScenario {
    static final String HEAP_COLUMN = "heap";
    private static final String RESULT = "heap.result";

    private final String row;
    private final int rowProcesses;
    private final int rowThreads;

    HeapThreadsScenario(String row, int rowProcesses, int rowThreads) {
        this.row = row;
        this.rowProcesses = rowProcesses;
        this.rowThreads = rowThreads;
    }

    @Override
    public String row() {
        return row;
    }

    @Override
    public String column() {
        return HEAP_COLUMN;
    }

    @Override
    public int processes() {
        return 1;
    }

    @Override
    public int threads() {
        return rowProcesses * rowThreads;
    }

    @Override
    public int rowProcesses() {
        return rowProcesses;
    }

    @Override
    public int rowThreads() {
        return rowThreads;
    }

    /** The worker's heap state to check, read once every thread has stopped. */
    abstract long result();

    /** Throws if {@code result} is not what {@code totalOps} operations must leave. */
    abstract void check(long result, long totalOps);

    @Override
    public void workerDone(Path dir, int worker) throws IOException {
        Files.writeString(dir.resolve(RESULT), Long.toString(result()));
    }

    @Override
    public void verify(Path dir, long totalOps) throws IOException {
        check(Long.parseLong(Files.readString(dir.resolve(RESULT)).trim()), totalOps);
    }

    /** A slot of {@code pool}, spinning while it is full (as Plenum's {@code alloc()} waits). */
    static int alloc(HeapBitmapPool pool) {
        int slot;
        while ((slot = pool.tryAlloc()) < 0) {
            Thread.onSpinWait();
        }
        return slot;
    }

    /** How many slots of {@code pool} are in use; only once no thread uses it. */
    static int used(HeapBitmapPool pool) {
        int free = 0;
        while (pool.tryAlloc() >= 0) {
            free++;
        }
        return pool.capacity() - free;
    }
}
