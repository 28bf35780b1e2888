package io.plenum.array;

/**
 * A snapshot of a shared array's sizes and counters, for diagnostics.
 *
 * @param elementType    the element type
 * @param capacity       the number of elements
 * @param elementSize    bytes of a value (the largest value, for strings)
 * @param stride         bytes from one element to the next
 * @param mappedSize     bytes mapped: header, locks and data
 * @param describe       the path, memfd name or fd
 * @param lockRecoveries times the array's write lock was taken back from a process that died holding it
 */
public record ArrayStats(ElementType elementType, int capacity, int elementSize, int stride, long mappedSize,
                         String describe, long lockRecoveries) {
}
