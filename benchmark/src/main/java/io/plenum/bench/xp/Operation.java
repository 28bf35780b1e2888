package io.plenum.bench.xp;

/**
 * One operation of a cross-process workload, repeated by the runner for the measured
 * duration. Return something the operation read (or 0): the runner folds it into a sink,
 * so the work cannot be optimised away.
 */
@FunctionalInterface
public interface Operation {
    long run();
}
