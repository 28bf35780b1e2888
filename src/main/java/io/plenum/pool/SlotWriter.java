package io.plenum.pool;

/** Writes a value into a slot that is claimed but not yet visible as allocated. */
@FunctionalInterface
interface SlotWriter {
    /** Writes at {@code offset}, the slot's first byte in the pool's mapping. */
    void write(long offset);
}
