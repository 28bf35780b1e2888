package io.plenum.bench.heap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The heap peer of Plenum's slot pools: a lock-free bitmap pool over {@link AtomicLongArray}, in
 * one JVM only. Allocation scans for a clear bit and sets it with a CAS (a bit per slot, 64 slots
 * per word, like Plenum and Data::Pool::Shared); free clears it with an atomic add of minus the
 * bit (exact, since the bit is known to be set). No owners, no recovery, no waiting: what a pool
 * costs without shared memory and crash safety. Values are an {@link AtomicLongArray} too.
 */
public final class HeapBitmapPool {
    private final AtomicLongArray bitmap;
    private final AtomicLongArray values;
    private final int capacity;
    private final int words;

    public HeapBitmapPool(int capacity) {
        this.capacity = capacity;
        this.words = (capacity + 63) >>> 6;
        this.bitmap = new AtomicLongArray(words);
        this.values = new AtomicLongArray(capacity);
        int used = capacity & 63;
        if (used != 0) {
            bitmap.set(words - 1, -1L << used);
        }
    }

    public int capacity() {
        return capacity;
    }

    /** A free slot's index, or -1 when full. */
    public int tryAlloc() {
        for (int word = 0; word < words; word++) {
            long bits = bitmap.get(word);
            while (bits != -1L) {
                long bit = Long.lowestOneBit(~bits);
                long witness = bitmap.compareAndExchange(word, bits, bits | bit);
                if (witness == bits) {
                    return (word << 6) | Long.numberOfTrailingZeros(bit);
                }
                bits = witness;
            }
        }
        return -1;
    }

    /** Frees a slot; false when it was not allocated. */
    public boolean free(int slot) {
        int word = slot >>> 6;
        long bit = 1L << (slot & 63);
        long bits = bitmap.get(word);
        while ((bits & bit) != 0) {
            long witness = bitmap.compareAndExchange(word, bits, bits & ~bit);
            if (witness == bits) {
                return true;
            }
            bits = witness;
        }
        return false;
    }

    /** {@code count} slots, all or nothing; null when not that many are free. */
    public int[] tryAllocN(int count) {
        int[] slots = new int[count];
        for (int i = 0; i < count; i++) {
            int slot = tryAlloc();
            if (slot < 0) {
                for (int j = 0; j < i; j++) {
                    free(slots[j]);
                }
                return null;
            }
            slots[i] = slot;
        }
        return slots;
    }

    public int freeN(int[] slots) {
        int freed = 0;
        for (int slot : slots) {
            if (free(slot)) {
                freed++;
            }
        }
        return freed;
    }

    public long get(int slot) {
        return values.get(slot);
    }

    public void set(int slot, long value) {
        values.set(slot, value);
    }

    public long addAndGet(int slot, long delta) {
        return values.addAndGet(slot, delta);
    }

    public boolean compareAndSet(int slot, long expected, long value) {
        return values.compareAndSet(slot, expected, value);
    }
}
