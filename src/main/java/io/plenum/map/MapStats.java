package io.plenum.map;

/**
 * A snapshot of a map's counters. The cumulative ones ({@code growths}, {@code blocks},
 * {@code recoveries}, {@code freeListRebuilds}) never decrease.
 *
 * @param entries          keys present (summed stripe by stripe: exact when no writer is active)
 * @param stripes          lock stripes
 * @param mappedSize       bytes of the segment
 * @param heapBytes        bytes of the heap carved so far (blocks in use and free)
 * @param blockBytes       bytes of the blocks the stripes use now (tables, records, room to grow)
 * @param tableBytes       bytes of the stripes' tables (8 a slot), part of {@code blockBytes}
 * @param liveBytes        bytes of the live records (16-byte header, key, value, padding to 8)
 * @param freeBytes        bytes of free blocks, ready for reuse
 * @param growths          times the segment grew
 * @param blocks           blocks handed out (each a stripe rebuild: growth or compaction)
 * @param recoveries       locks taken over from dead holders (stripes and allocator)
 * @param freeListRebuilds times the free lists were recomputed after a crash
 */
public record MapStats(long entries, int stripes, long mappedSize, long heapBytes, long blockBytes, long tableBytes,
                       long liveBytes,
                       long freeBytes, long growths, long blocks, long recoveries, long freeListRebuilds) {
}
