package io.plenum.bench.xp;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A workload run by several worker JVMs at once against shared memory. One small class
 * per (row, column); register it in {@link io.plenum.bench.Suites#CROSS_PROCESS}.
 *
 * <p>The runner calls {@link #setup} in the parent, starts {@link #processes()} JVMs with
 * {@link #threads()} threads each, calls {@link #prepare} on every thread, warms the
 * operation up, meets the other threads at a start barrier in shared memory, repeats the
 * operation for the measured time (timing one call in N for the latency histogram, N chosen
 * so that timing costs under 2% of throughput), and
 * finally calls {@link #verify} in the parent with the total of operations done.
 * Each scenario yields a cell in two rows named {@link #row()}: ops/s (summed over
 * every thread) and ns (p50/p99 of one operation).
 */
public interface CrossProcessScenario {

    /** Row name, for example {@code mapped.I64.getAndAdd}. */
    String row();

    /** {@code plenum}, or the peer's name. */
    String column();

    /** How many worker JVMs. */
    int processes();

    /** How many threads in each worker JVM. */
    default int threads() {
        return 1;
    }

    /**
     * The shape of the row this cell belongs to, processes × {@link #rowThreads()}: the scenario's
     * own unless a peer does the row's work in another shape (a {@code heap} peer runs the row's
     * threads in one JVM).
     */
    default int rowProcesses() {
        return processes();
    }

    /** See {@link #rowProcesses()}. */
    default int rowThreads() {
        return threads();
    }

    /**
     * Each worker JVM, after all its threads have finished: save to {@code dir} what {@link #verify}
     * must check that lives in the worker (a heap peer's state).
     */
    default void workerDone(Path dir, int worker) throws IOException {
    }

    /** Parent, before any worker starts: create in {@code dir} the files the workers open. */
    default void setup(Path dir) throws IOException {
    }

    /** Each worker thread, before the start barrier: open what it needs and return the operation to repeat. */
    Operation prepare(WorkerContext ctx) throws IOException;

    /**
     * Parent, after every worker exited successfully: check what must hold (a shared counter
     * equals the operations counted, nothing torn…) and throw if it does not.
     *
     * @param totalOps operations done by all threads of all workers, warm-up included
     */
    default void verify(Path dir, long totalOps) throws IOException {
    }

    /** Unique name, used to pick the scenario in the worker JVM. */
    default String id() {
        return row() + "/" + column() + "/" + processes() + "x" + threads();
    }
}
