package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.sync.Waiting;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * {@code agrona} column of {@code channel.I64.handoff_spin}: the protocol of
 * {@link ChannelHandoffPlenum} between two JVMs, each inbox an Agrona {@link OneToOneRingBuffer}
 * over a mapped file of its own (room for {@link ChannelHandoffPlenum#CAPACITY} records of an
 * 8-byte header and an 8-byte message); the receiver spins on {@code read(handler, 1)} with
 * {@link Thread#onSpinWait()} (Agrona's {@code BusySpinIdleStrategy}).
 */
public final class ChannelHandoffAgrona extends PingPongScenario {
    private static final long BYTES = ChannelHandoffPlenum.CAPACITY * 16L + RingBufferDescriptor.TRAILER_LENGTH;

    static String ringFile(int inbox) {
        return "agrona-ring-" + inbox + ".bin";
    }

    @Override
    public String row() {
        return "channel.I64.handoff_spin";
    }

    @Override
    public String column() {
        return "agrona";
    }

    @Override
    public void setup(Path dir) throws IOException {
        super.setup(dir);
        for (int inbox = 0; inbox < 2; inbox++) {
            ShmFiles.create(dir.resolve(ringFile(inbox)), BYTES);
        }
    }

    private static OneToOneRingBuffer ring(WorkerContext ctx, int inbox) throws IOException {
        // The mapping lives as long as the worker JVM, which ends with the ping-pong.
        MemorySegment memory = ShmFiles.mapSegment(ctx.dir().resolve(ringFile(inbox)), BYTES, Arena.global());
        return new OneToOneRingBuffer(new UnsafeBuffer(memory.address(), (int) BYTES));
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) throws IOException {
        OneToOneRingBuffer mine = ring(ctx, ctx.worker());
        OneToOneRingBuffer theirs = ring(ctx, 1 - ctx.worker());
        UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        long[] taken = new long[1];
        MessageHandler take = (type, buffer, index, length) -> taken[0] = buffer.getLong(index);
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) {
                while (mine.read(take, 1) == 0) {
                    Thread.onSpinWait();
                }
                ChannelHandoffPlenum.check(taken[0], memory, offset, expected);
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
                message.putLong(0, value);
                if (!theirs.write(1, message, 0, 8)) {
                    throw new IllegalStateException(row() + ": the peer's inbox ring is full");
                }
            }
        };
    }
}
