package io.plenum.value;

/**
 * A snapshot of a shared value. Cumulative counters never decrease.
 *
 * @param version        the version of the value now (0: no value yet)
 * @param size           the encoded size of the value now, in bytes (0 with no value)
 * @param present        false while there is no value yet
 * @param mappedSize     the segment's size now, in bytes
 * @param grows          times a writer, in any process, moved a buffer to a larger area
 * @param lockRecoveries times a writer lock was taken back from a dead holder, by any process
 */
public record ValueStats(long version, int size, boolean present, long mappedSize, long grows, long lockRecoveries) {
}
