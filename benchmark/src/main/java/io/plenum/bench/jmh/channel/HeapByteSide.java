package io.plenum.bench.jmh.channel;

import java.util.concurrent.ArrayBlockingQueue;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code heap}: an {@code ArrayBlockingQueue<byte[]>} of {@link ByteSide#CAPACITY}, {@code offer} /
 * {@code poll}, with the same two copies as the shared-memory peers and no allocation per message:
 * the sender copies its message into the next array of a preallocated pool and offers that array;
 * the consumer copies the array it polled into its own. The pool has {@code CAPACITY + 2} arrays:
 * while the sender fills one, at most {@code CAPACITY} sit in the queue and the consumer copies
 * out of at most one more, so the array being filled is never one still being read.
 */
@State(Scope.Benchmark)
public abstract class HeapByteSide extends ByteSide {
    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final byte[][] pool = new byte[CAPACITY + 2][];
    /** The message number whose copy is in its pool array (a full queue makes the sender retry). */
    private long copied;

    protected HeapByteSide(int size) {
        super(size);
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new byte[size];
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        startConsumer();
    }

    @Override
    boolean trySend() {
        long n = sent.count + 1;
        byte[] slot = pool[(int) (n % pool.length)];
        if (copied != n) {
            System.arraycopy(message, 0, slot, 0, size);
            copied = n;
        }
        return queue.offer(slot);
    }

    @Override
    int drain() {
        byte[] slot = queue.poll();
        if (slot == null) {
            return 0;
        }
        System.arraycopy(slot, 0, target, 0, slot.length);
        received(slot.length);
        return 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        finish("heap");
    }
}
