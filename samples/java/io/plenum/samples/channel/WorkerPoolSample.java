package io.plenum.samples.channel;

import io.plenum.channel.ChannelClosedException;
import io.plenum.channel.ChannelOptions;
import io.plenum.channel.SharedChannel;
import io.plenum.codec.Codecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Java worker pool over a channel, as over a {@code BlockingQueue}: the main thread {@code put}s
 * jobs, worker threads {@code take} them until the channel is closed for send and drained. The
 * channel could as well be shared with worker threads in other JVMs: only the path changes.
 */
public final class WorkerPoolSample {
    private WorkerPoolSample() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path path = Files.createTempFile(Path.of("/dev/shm"), "plenum-workers-", ".channel");
        Files.delete(path);
        try (SharedChannel<String> channel = SharedChannel.open(Codecs.STRING,
                ChannelOptions.of(path).withCapacity(128).withMaxMessageSize(64))) {
            AtomicLong done = new AtomicLong();
            AtomicLong characters = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                    try {
                        while (true) {
                            String job = channel.take(); // throws once closed and drained
                            characters.addAndGet(job.length());
                            done.incrementAndGet();
                        }
                    } catch (ChannelClosedException end) {
                        // every job was taken
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            long expected = 0;
            for (int i = 0; i < jobs; i++) {
                String job = "job-" + i;
                expected += job.length();
                channel.put(job);
            }
            channel.closeForSend("all jobs queued");
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.printf("workers: %d jobs done (%d characters, expected %d); stats %s%n", done.get(),
                    characters.get(), expected, channel.stats());
            channel.unlink();
        }
    }
}
