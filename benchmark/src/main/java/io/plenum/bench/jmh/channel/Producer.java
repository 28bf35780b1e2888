package io.plenum.bench.jmh.channel;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One benchmark thread's producer of an {@link MpscSide}: its id (taken at its first send), its
 * count, its next message, the same message boxed (from a table filled once, so the heap queues
 * allocate nothing per message) and an 8-byte buffer for Agrona's {@code write}.
 */
@State(Scope.Thread)
public class Producer {
    private int id = -1;
    private long count;
    private Long[] boxes;
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[8]);

    /** The next message for {@code side}: id in the high 32 bits, count modulo LAP in the low ones. */
    long next(MpscSide side) {
        if (id < 0) {
            id = side.register();
            boxes = new Long[MpscSide.LAP];
            for (int i = 0; i < boxes.length; i++) {
                boxes[i] = ((long) id << 32) | i;
            }
        }
        return ((long) id << 32) | (count % MpscSide.LAP);
    }

    /** {@link #next}, boxed. */
    Long nextBoxed(MpscSide side) {
        next(side);
        return boxes[(int) (count % MpscSide.LAP)];
    }

    /** Counts the message just sent. */
    void sent(MpscSide side) {
        side.sent(id, ++count);
    }
}
