package io.plenum.bench.xp.scenario;

import io.plenum.bench.report.Row;
import io.plenum.bench.xp.Handoff;
import io.plenum.bench.xp.PingPongScenario;
import io.plenum.bench.xp.WorkerContext;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import io.plenum.segment.OpenMode;
import io.plenum.sync.Waiting;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@code plenum} column of {@code channel.I64.handoff_{spin,block}}: one-way handoff latency of a
 * {@code SharedChannel} between two JVMs. Each side's inbox is a channel of its own (8-byte
 * messages): the sender stores the ping-pong word (bookkeeping, nobody waits on it) and then sends
 * the word's new value; the receiver takes that message, then sees the word. {@code spin}: the
 * receiver spins on {@code tryPollLongOr}; {@code block}: it blocks in {@code takeLong} (spin, then
 * futex). One message is in flight at a time, so a send never finds the channel full.
 */
public final class ChannelHandoffPlenum extends PingPongScenario {
    /** Slots per inbox channel: the ping-pong has one message in flight. */
    static final int CAPACITY = 64;

    private final boolean blocking;

    public ChannelHandoffPlenum(boolean blocking) {
        this.blocking = blocking;
    }

    static String channelFile(int inbox) {
        return "channel-" + inbox + ".bin";
    }

    @Override
    public String row() {
        return "channel.I64.handoff_" + (blocking ? "block" : "spin");
    }

    @Override
    public String column() {
        return Row.PLENUM;
    }

    @Override
    public void setup(Path dir) throws IOException {
        super.setup(dir);
        createChannels(dir);
    }

    /** The two inbox channels, next to the ping-pong file. */
    static void createChannels(Path dir) {
        for (int inbox = 0; inbox < 2; inbox++) {
            SharedChannel.open(Codecs.LONG, ChannelOptions.of(dir.resolve(channelFile(inbox))).withCapacity(CAPACITY)
                    .withMaxMessageSize(8).withMode(OpenMode.CREATE_NEW)).close();
        }
    }

    /** The inbox channel of worker {@code worker}, opened by this process. */
    static SharedChannel<Long> inbox(WorkerContext ctx, int worker) {
        return SharedChannel.open(Codecs.LONG, ChannelOptions.of(ctx.dir().resolve(channelFile(worker)))
                .withMode(OpenMode.OPEN_EXISTING));
    }

    @Override
    public Handoff handoff(WorkerContext ctx, MemorySegment memory) {
        SharedChannel<Long> mine = inbox(ctx, ctx.worker());
        SharedChannel<Long> theirs = inbox(ctx, 1 - ctx.worker());
        return new Handoff.Blocking() {
            @Override
            public void await(long offset, int expected) throws InterruptedException {
                long value = blocking ? mine.takeLong() : spinPoll();
                check(value, memory, offset, expected);
            }

            private long spinPoll() {
                long value;
                while ((value = mine.tryPollLongOr(-1)) < 0) {
                    Thread.onSpinWait();
                }
                return value;
            }

            @Override
            public void signal(long offset, int value) {
                Waiting.set(memory, offset, value);
                if (!theirs.tryOfferLong(value)) {
                    throw new IllegalStateException(row() + ": the peer's inbox channel is full");
                }
            }
        };
    }

    /** The message taken must be the word's new value: the ping-pong's own check then holds. */
    static void check(long message, MemorySegment memory, long offset, int expected) {
        if (message != expected + 1L || Waiting.value(memory, offset) != expected + 1) {
            throw new IllegalStateException("handoff: took " + message + " while the inbox word went from "
                    + expected + " to " + Waiting.value(memory, offset));
        }
    }
}
