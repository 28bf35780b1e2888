package io.plenum.bench.jmh.access;

/**
 * Atomic access to the longs of one shared mapping, behind an interface: the shape an array
 * would have if each mapping were served by its own (hidden) class. Every implementation checks
 * the index against its length first, as Plenum's arrays do.
 */
public interface LongCells {

    long get(int index);

    void set(int index, long value);

    boolean cas(int index, long expected, long value);
}
