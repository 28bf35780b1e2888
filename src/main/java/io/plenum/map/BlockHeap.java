package io.plenum.map;

import static io.plenum.map.MapLayout.*;

import io.plenum.sync.SharedMutex;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.Set;

/**
 * The map's heap: blocks carved from {@code top} upwards, growing the segment when {@code top}
 * reaches its end, and free lists of whole blocks by size class. Every call holds the allocator
 * lock; block allocation is rare (a stripe rebuild), so one lock for every process is enough.
 *
 * <h2>Crash safety</h2>
 * A block is owned by the stripe whose {@code block}, {@code pending} or {@code retired} names it.
 * {@link #allocate} names the block in the stripe's {@code pending} before it unlinks it from a
 * free list or moves {@code top} past it; {@link #release} pushes a retired block, then clears
 * {@code retired}. A process killed at any instruction leaves at worst a block that is on a free
 * list and also named by a dead stripe's word, or a block named by nothing: both are put right by
 * {@link #merge}, which recomputes every list from the stripes' words and runs when
 * the allocator lock, or a stripe lock whose dead holder named a block, is recovered.
 */
final class BlockHeap {
    private static final VarHandle LONG_HANDLE = LONG.varHandle();
    private static final long GROW_QUANTUM = 64 * 1024;

    private final MapMemory memory;
    private final SharedMutex lock;
    private final int stripes;
    private final long heapOffset;

    BlockHeap(MapMemory memory, SharedMutex lock, int stripes, long heapOffset) {
        this.memory = memory;
        this.lock = lock;
        this.stripes = stripes;
        this.heapOffset = heapOffset;
    }

    /**
     * A block of class {@code c} for {@code stripe}, named in the stripe's {@code pending}. Its header
     * holds magic and class; every other byte is unspecified (a reused block keeps old contents).
     * Taken from the free lists if they can serve it (splitting a larger block, or first merging
     * adjacent free blocks), else carved at {@code top}, growing the segment when needed.
     */
    long allocate(int stripe, int c) {
        lockAllocator();
        try {
            MemorySegment mem = memory.current();
            LONG_HANDLE.getAndAdd(mem, BLOCKS_OFFSET, 1L);
            long block = takeFree(stripe, c);
            long free = (long) LONG_HANDLE.get(mem, FREE_BYTES_OFFSET);
            if (block == 0 && free >= classSize(c) && free != (long) LONG_HANDLE.get(mem, MERGED_AT_OFFSET)) {
                merge(false);
                block = takeFree(stripe, c);
            }
            return block != 0 ? block : carve(stripe, c);
        } finally {
            lock.unlock();
        }
    }

    private long takeFree(int stripe, int c) {
        MemorySegment mem = memory.current();
        for (int k = c; k < CLASSES; k++) {
            long head = (long) LONG_HANDLE.get(mem, FREE_LISTS_OFFSET + 8L * k);
            if (head == 0) {
                continue;
            }
            mem = memory.covering(head, classSize(k), "free list " + k);
            checkBlock(mem, head, k, "free list " + k);
            long next = (long) LONG_HANDLE.get(mem, head + BLOCK_NEXT_FREE);
            // pending first: a crash between the two stores leaves the block named twice, never by nobody.
            LONG_HANDLE.setRelease(mem, stripeOffset(stripe) + STRIPE_PENDING, head);
            LONG_HANDLE.setRelease(mem, FREE_LISTS_OFFSET + 8L * k, next);
            addFreeBytes(mem, -classSize(k));
            if (k > c) {
                split(mem, head, k, c);
            }
            return head;
        }
        return 0;
    }

    /**
     * Cuts block {@code b} of class {@code from} down to class {@code to}; the rest becomes free
     * blocks. Their headers are written before {@code b}'s class shrinks, so a heap walk finds whole
     * blocks at every moment; a crash before they are pushed leaves them named by nobody, which the
     * recovery's merge collects.
     */
    private void split(MemorySegment mem, long b, int from, int to) {
        long end = b + classSize(from);
        long at = b + classSize(to);
        while (at < end) {
            int k = largestClassWithin(end - at);
            header(mem, at, k);
            at += classSize(k);
        }
        mem.set(INT, b + BLOCK_CLASS, to);
        at = b + classSize(to);
        while (at < end) {
            int k = mem.get(INT, at + BLOCK_CLASS);
            push(mem, at, k);
            at += classSize(k);
        }
    }

    private long carve(int stripe, int c) {
        MemorySegment mem = memory.current();
        long top = (long) LONG_HANDLE.get(mem, TOP_OFFSET);
        long size = classSize(c);
        // top never passes the published size: it moves only after the segment grew to cover the block.
        if (top < heapOffset || (top & 7) != 0 || top > memory.refresh().byteSize()) {
            throw memory.corrupt("allocator field top: " + top);
        }
        mem = ensureMapped(top + size);
        header(mem, top, c);
        LONG_HANDLE.setRelease(mem, stripeOffset(stripe) + STRIPE_PENDING, top);
        // top last: a crash before it leaves the block uncarved, its header ignored.
        LONG_HANDLE.setRelease(mem, TOP_OFFSET, top + size);
        return top;
    }

    private static void header(MemorySegment mem, long at, int c) {
        mem.set(INT, at + BLOCK_MAGIC_OFFSET, BLOCK_MAGIC);
        mem.set(INT, at + BLOCK_CLASS, c);
    }

    private void push(MemorySegment mem, long block, int c) {
        long listWord = FREE_LISTS_OFFSET + 8L * c;
        mem.set(LONG, block + BLOCK_NEXT_FREE, (long) LONG_HANDLE.get(mem, listWord));
        LONG_HANDLE.setRelease(mem, listWord, block);
        addFreeBytes(mem, classSize(c));
    }

    private static void addFreeBytes(MemorySegment mem, long delta) {
        LONG_HANDLE.setRelease(mem, FREE_BYTES_OFFSET, (long) LONG_HANDLE.get(mem, FREE_BYTES_OFFSET) + delta);
    }

    /** Puts {@code stripe}'s {@code retired} block on its free list, then clears {@code retired}. */
    void release(int stripe, long block) {
        lockAllocator();
        try {
            MemorySegment mem = memory.covering(block, BLOCK_TABLE, "retired block");
            int c = mem.get(INT, block + BLOCK_CLASS);
            if (c < 0 || c >= CLASSES || mem.get(INT, block + BLOCK_MAGIC_OFFSET) != BLOCK_MAGIC) {
                throw memory.corrupt("block at " + block + " field class: " + c);
            }
            push(mem, block, c);
            LONG_HANDLE.setRelease(mem, stripeOffset(stripe) + STRIPE_RETIRED, 0L);
        } finally {
            lock.unlock();
        }
    }

    /** Hands a pending block back (a rebuild that failed): as {@link #release}, for {@code pending}. */
    void abandon(int stripe, long block) {
        MemorySegment mem = memory.current();
        LONG_HANDLE.setRelease(mem, stripeOffset(stripe) + STRIPE_RETIRED, block);
        LONG_HANDLE.setRelease(mem, stripeOffset(stripe) + STRIPE_PENDING, 0L);
        release(stripe, block);
    }

    /** Recomputes every free list under the allocator lock (after a crash). */
    void rebuild() {
        lock.lock();
        try {
            merge(true);
        } finally {
            lock.unlock();
        }
    }

    private void lockAllocator() {
        if (lock.lock().recovered()) {
            merge(true);
        }
    }

    /**
     * Walks the heap from its start to {@code top} and recomputes the free lists: every run of
     * adjacent blocks that no stripe names is merged and cut into the largest blocks that fit; a run
     * that ends at {@code top} is given back to it. Caller holds the allocator lock.
     */
    private void merge(boolean afterCrash) {
        MemorySegment mem = memory.current();
        Set<Long> owned = new HashSet<>();
        for (int i = 0; i < stripes; i++) {
            long s = stripeOffset(i);
            // In this order, against a rebuild's retired = old, block = new, pending = 0 (stores made
            // without the allocator lock): whichever of them this walk sees, both blocks are named
            // by a word it reads afterwards. (Reading block first could see old, then pending 0:
            // the new block would look free and be handed out twice.)
            owned.add((long) LONG_HANDLE.getVolatile(mem, s + STRIPE_PENDING));
            owned.add((long) LONG_HANDLE.getVolatile(mem, s + STRIPE_BLOCK));
            owned.add((long) LONG_HANDLE.getVolatile(mem, s + STRIPE_RETIRED));
        }
        long top = (long) LONG_HANDLE.get(mem, TOP_OFFSET);
        if (top < heapOffset || (top & 7) != 0 || top > memory.refresh().byteSize()) {
            throw memory.corrupt("allocator field top: " + top);
        }
        mem = memory.covering(heapOffset, top - heapOffset, "allocator field top");
        for (int c = 0; c < CLASSES; c++) {
            LONG_HANDLE.setRelease(mem, FREE_LISTS_OFFSET + 8L * c, 0L);
        }
        LONG_HANDLE.setRelease(mem, FREE_BYTES_OFFSET, 0L);
        long at = heapOffset;
        long run = -1;
        while (at < top) {
            int c = mem.get(INT, at + BLOCK_CLASS);
            if (mem.get(INT, at + BLOCK_MAGIC_OFFSET) != BLOCK_MAGIC || c < 0 || c >= CLASSES
                    || at + classSize(c) > top) {
                throw memory.corrupt("heap block at " + at + ": bad magic or class " + c);
            }
            if (owned.contains(at)) {
                if (run >= 0) {
                    cut(mem, run, at);
                    run = -1;
                }
            } else if (run < 0) {
                run = at;
            }
            at += classSize(c);
        }
        if (run >= 0) {
            LONG_HANDLE.setRelease(mem, TOP_OFFSET, run);
        }
        LONG_HANDLE.setRelease(mem, MERGED_AT_OFFSET, (long) LONG_HANDLE.get(mem, FREE_BYTES_OFFSET));
        if (afterCrash) {
            LONG_HANDLE.getAndAdd(mem, REBUILDS_OFFSET, 1L);
        }
    }

    /** Cuts the free run {@code start .. end} into the largest blocks that fit and pushes them. */
    private void cut(MemorySegment mem, long start, long end) {
        long at = start;
        while (at < end) {
            int k = largestClassWithin(end - at);
            header(mem, at, k);
            push(mem, at, k);
            at += classSize(k);
        }
    }

    private void checkBlock(MemorySegment mem, long block, int c, String field) {
        if (block < heapOffset || (block & 7) != 0 || mem.get(INT, block + BLOCK_MAGIC_OFFSET) != BLOCK_MAGIC
                || mem.get(INT, block + BLOCK_CLASS) != c) {
            throw memory.corrupt(field + ": " + block + " is not a free block of class " + c);
        }
    }

    /** Makes the segment at least {@code end} bytes long, growing it by at least an eighth. */
    private MemorySegment ensureMapped(long end) {
        MemorySegment mem = memory.current();
        if (end <= mem.byteSize()) {
            return mem;
        }
        mem = memory.refresh();
        if (end <= mem.byteSize()) {
            return mem;
        }
        long grown = Math.max(end, mem.byteSize() + mem.byteSize() / 8);
        grown = (grown + GROW_QUANTUM - 1) / GROW_QUANTUM * GROW_QUANTUM;
        mem = memory.grow(grown);
        LONG_HANDLE.getAndAdd(mem, GROWTHS_OFFSET, 1L);
        return mem;
    }

    /** A cumulative allocator counter ({@code GROWTHS_OFFSET}, {@code BLOCKS_OFFSET}, {@code REBUILDS_OFFSET}). */
    long counter(long offset) {
        return (long) LONG_HANDLE.getVolatile(memory.current(), offset);
    }

    int recoveries() {
        return lock.recoveries();
    }

    long top() {
        return (long) LONG_HANDLE.getVolatile(memory.current(), TOP_OFFSET);
    }

    long freeBytes() {
        return counter(FREE_BYTES_OFFSET);
    }
}
