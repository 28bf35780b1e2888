package io.plenum.bench.xp.scenario;

import io.plenum.bench.memory.ShmFiles;
import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.agrona.BitUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * {@code agrona} column of {@code channel.B64.transfer_spin[Pto1]}: the work of
 * {@link ChannelBytesPlenum} through Agrona's {@link OneToOneRingBuffer} (1→1) or
 * {@link ManyToOneRingBuffer} (P→1) over one mapped file, whose data area is the smallest power of
 * two holding {@link ChannelBytesPlenum#CAPACITY} records (8-byte header plus 64 bytes), so Agrona
 * never has less room than Plenum. Producers {@code write} spinning; the consumer
 * {@code read(handler, 1)}s spinning: one message per operation, as Plenum's {@code tryPollBytes}
 * (Agrona's batch read would move more per call, and would count as one operation). Verified: every
 * message read was 64 bytes (checked in the handler).
 */
public final class ChannelBytesAgrona implements CrossProcessScenario {
    private static final String FILE = "agrona-ring.bin";
    private static final int RECORD = BitUtil.align(RecordDescriptor.HEADER_LENGTH + ChannelBytesPlenum.SIZE,
            RecordDescriptor.ALIGNMENT);
    private static final int BYTES = BitUtil.findNextPositivePowerOfTwo(ChannelBytesPlenum.CAPACITY * RECORD)
            + RingBufferDescriptor.TRAILER_LENGTH;
    private final int producers;

    public ChannelBytesAgrona(int producers) {
        this.producers = producers;
    }

    @Override
    public String row() {
        return ChannelBytesPlenum.row(producers);
    }

    @Override
    public String column() {
        return "agrona";
    }

    @Override
    public int processes() {
        return producers + 1;
    }

    @Override
    public void setup(Path dir) throws IOException {
        ShmFiles.create(dir.resolve(FILE), BYTES);
    }

    @Override
    public Operation prepare(WorkerContext ctx) throws IOException {
        // The mapping lives as long as the worker JVM.
        MemorySegment memory = ShmFiles.mapSegment(ctx.dir().resolve(FILE), BYTES, Arena.global());
        UnsafeBuffer shared = new UnsafeBuffer(memory.address(), BYTES);
        RingBuffer ring = producers == 1 ? new OneToOneRingBuffer(shared) : new ManyToOneRingBuffer(shared);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[ChannelBytesPlenum.SIZE]);
        if (ctx.worker() == 0) {
            MessageHandler copy = (type, source, index, length) -> {
                if (length != ChannelBytesPlenum.SIZE) {
                    throw new IllegalStateException(row() + ": read " + length + " bytes, written " + ChannelBytesPlenum.SIZE);
                }
                source.getBytes(index, buffer, 0, length);
            };
            return () -> {
                for (int i = 0; i < ChannelBytesPlenum.SPINS; i++) {
                    if (ring.read(copy, 1) != 0) {
                        return buffer.getByte(0);
                    }
                    Thread.onSpinWait();
                }
                return -1;
            };
        }
        buffer.putByte(0, (byte) ctx.worker());
        return () -> {
            for (int i = 0; i < ChannelBytesPlenum.SPINS; i++) {
                if (ring.write(1, buffer, 0, ChannelBytesPlenum.SIZE)) {
                    return 1;
                }
                Thread.onSpinWait();
            }
            return 0;
        };
    }
}
