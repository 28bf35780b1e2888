package io.plenum.bench.xp;

import java.nio.file.Path;

/**
 * What a worker thread knows when it prepares its operation.
 *
 * @param dir       the scenario's directory in tmpfs: the files {@link CrossProcessScenario#setup} created
 * @param worker    this process's index, 0 to processes − 1
 * @param thread    this thread's index in its process, 0 to threads − 1
 * @param processes how many worker processes run the scenario
 * @param threads   how many threads each worker process runs
 */
public record WorkerContext(Path dir, int worker, int thread, int processes, int threads) {
}
