package io.plenum.samples.demo;

import io.plenum.array.ArrayOptions;
import io.plenum.array.SharedIntArray;
import io.plenum.array.SharedLongArray;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.ChannelStats;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plenum's main job: one producer JVM and two consumer JVMs exchange messages through a
 * {@link SharedChannel} with coroutines (see {@code DemoRoles.kt}), with a live progress line (rate,
 * waits, queue depth). Half-way, one consumer is killed with {@code kill -9} and replaced; at the end
 * every message is accounted for: sent = received + abandoned, none duplicated, none lost but what
 * the killed consumer had taken and not yet counted. (The producer pauses after half of its messages
 * until the kill is done, so that the kill always happens mid-run.) Run it with
 * {@code ./mvnw -q test-compile exec:exec@demo}.
 *
 * <p>Counters (a {@link SharedLongArray}, one cache line each): the producer's sent count, then one
 * per consumer. {@code seen} (a {@link SharedIntArray}) counts the receipts of each message.
 */
public final class Demo {
    static final int STRIDE = 8;
    static final int SENT = 0;
    static final int FIRST_CONSUMER = 1;
    static final int CONSUMERS = 3; // two, and the replacement of the one killed
    /** Set by the lead once it has killed and replaced a consumer; the producer sends its second half after it. */
    static final int GATE = FIRST_CONSUMER + CONSUMERS;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        System.exit(lead(messages) ? 0 : 1);
    }

    private static boolean lead(int messages) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "plenum-demo-");
        Path channelPath = dir.resolve("channel");
        Path countersPath = dir.resolve("counters");
        Path seenPath = dir.resolve("seen");
        try (SharedChannel<Long> channel = SharedChannel.open(Codecs.LONG, ChannelOptions.of(channelPath)
                .withCapacity(1024).withMode(OpenMode.CREATE_NEW));
             SharedLongArray counters = SharedLongArray.open(ArrayOptions.of(Backing.file(countersPath))
                     .withCapacity((GATE + 1) * STRIDE));
             SharedIntArray seen = SharedIntArray.open(Backing.file(seenPath), messages)) {
            System.out.printf("Plenum demo: 1 producer JVM sends %,d messages through a SharedChannel to 2 consumer JVMs%n",
                    messages);
            System.out.printf("channel %s: capacity %d, %d-byte messages%n", channel.describe(), channel.capacity(),
                    channel.maxMessageSize());
            List<Process> consumers = new ArrayList<>();
            consumers.add(start("consumer", channelPath, countersPath, seenPath, 0));
            consumers.add(start("consumer", channelPath, countersPath, seenPath, 1));
            long started = System.nanoTime();
            Process producer = start("producer", channelPath, countersPath, seenPath, messages);
            boolean terminal = System.console() != null && System.console().isTerminal();
            boolean killed = false;
            long lastReceived = 0;
            long lastTime = started;
            for (int tick = 0; consumers.stream().anyMatch(Process::isAlive) || producer.isAlive(); tick++) {
                Thread.sleep(100);
                long received = channel.stats().received();
                if (!killed && received >= messages / 3) {
                    Process victim = consumers.get(1);
                    victim.destroyForcibly().waitFor();
                    System.out.printf("%n  kill -9 consumer 1 (pid %d) after %,d messages received; starting consumer 2%n",
                            victim.pid(), received);
                    consumers.add(start("consumer", channelPath, countersPath, seenPath, 2));
                    counters.set(GATE * STRIDE, 1);
                    killed = true;
                }
                if (terminal || tick % 10 == 0) {
                    long now = System.nanoTime();
                    progress(channel, counters, messages, (received - lastReceived) / ((now - lastTime) / 1e9), terminal);
                    lastReceived = received;
                    lastTime = now;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            progress(channel, counters, messages, messages / seconds, terminal);
            System.out.println();
            return account(channel, counters, seen, messages, producer.exitValue(), seconds);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(path -> path.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    private static boolean account(SharedChannel<Long> channel, SharedLongArray counters, SharedIntArray seen,
                                   int messages, int producerStatus, double seconds) {
        ChannelStats stats = channel.stats();
        long sent = counters.get(SENT * STRIDE);
        long counted = 0;
        for (int c = 0; c < CONSUMERS; c++) {
            long own = counters.get((FIRST_CONSUMER + c) * STRIDE);
            counted += own;
            System.out.printf("  consumer %d counted %,d%s%n", c, own, c == 1 ? " (killed with kill -9)" : "");
        }
        long duplicated = 0;
        long unseen = 0;
        for (int i = 0; i < messages; i++) {
            int times = seen.get(i);
            duplicated += times > 1 ? times - 1 : 0;
            unseen += times == 0 ? 1 : 0;
        }
        long takenByKilled = stats.received() - counted;
        boolean exact = producerStatus == 0 && sent == messages && stats.sent() == sent
                && stats.sent() == stats.received() + stats.abandoned() && duplicated == 0
                // The killed consumer may have taken one message and died before counting it: before
                // marking it seen (then it is unseen) or between marking and counting (then it is not).
                && takenByKilled <= 1 && unseen <= takenByKilled && channel.isClosedForReceive();
        System.out.printf("sent %,d = received %,d + abandoned %,d: %s%n", stats.sent(), stats.received(),
                stats.abandoned(), stats.sent() == stats.received() + stats.abandoned() ? "exact" : "WRONG");
        System.out.printf("duplicated %,d; received and counted %,d; taken by the killed consumer before it could count "
                + "%,d, of them never marked seen %,d (the only way to lose one: the receiver died after receive "
                + "returned)%n", duplicated, counted, takenByKilled, unseen);
        System.out.printf("%,.0f messages/s across 3 JVMs, including JVM start-up and the kill; %s%n", messages / seconds,
                exact ? "accounting exact" : "accounting WRONG");
        System.out.println("channel stats: " + stats);
        return exact;
    }

    private static void progress(SharedChannel<Long> channel, SharedLongArray counters, int messages, double rate,
                                 boolean terminal) {
        ChannelStats stats = channel.stats();
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "\r  received %,11d / %,d (%3d%%) | %,10.0f msg/s | queued %4d | waits %,d |",
                stats.received(), messages, 100 * stats.received() / messages, rate, stats.queued(), stats.waits()));
        for (int c = 0; c < CONSUMERS; c++) {
            line.append(String.format(Locale.ROOT, " c%d %,d", c, counters.get((FIRST_CONSUMER + c) * STRIDE)));
        }
        System.out.print(terminal ? line + "  " : line.substring(1) + System.lineSeparator());
        System.out.flush();
    }

    private static Process start(String role, Path channel, Path counters, Path seen, long argument) throws Exception {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.plenum.samples.demo.DemoRoles", role, channel.toString(),
                counters.toString(), seen.toString(), Long.toString(argument)).inheritIO().start();
    }
}
