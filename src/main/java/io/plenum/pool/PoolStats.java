package io.plenum.pool;

/**
 * A snapshot of a pool's counters. Each value is read atomically; taken together they are
 * approximate while other threads work on the pool. The cumulative counters ({@code allocs},
 * {@code frees}, {@code waits}, {@code timeouts}, {@code recoveries}) never decrease from one
 * snapshot to a later one, in any process: under concurrency they may lag, never go back.
 *
 * @param capacity    slots (fixed)
 * @param elementSize bytes per slot (fixed)
 * @param used        slots allocated now
 * @param available   slots free now ({@code capacity - used})
 * @param waiters     threads (and per-JVM waiters) sleeping on the pool now
 * @param mappedSize  bytes of the whole mapping
 * @param allocs      successful allocations since creation (a batch counts each slot): derived from
 *                    {@code frees + used}, exact while nothing changes, else at most behind (a
 *                    batch that fell short in a race, and gave back what it had taken, counts as
 *                    allocated and freed)
 * @param frees       frees since creation, recovered slots included
 * @param waits       allocations that had to wait because the pool was full
 * @param timeouts    waits that ended at their timeout without a slot
 * @param recoveries  slots taken back from dead owners
 */
public record PoolStats(int capacity, int elementSize, int used, int available, int waiters, long mappedSize,
                        long allocs, long frees, long waits, long timeouts, long recoveries) {
}
