package io.plenum.bench.xp;

import io.plenum.bench.NanoClock;
import io.plenum.bench.Suites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Entry point of a worker JVM started by {@link CrossProcessRunner}:
 * {@code WorkerMain <scenario id> <dir> <barrier file> <worker index> <warm-up ms> <measure ms>}.
 * Repeats the scenario's {@link Operation} on each thread, or, for a {@link PingPongScenario},
 * plays its role in the ping-pong ({@link PingPong#measure}).
 * Prints one {@link WorkerReport} line per thread on stdout and exits 0, or exits 1 with
 * the error on stderr.
 */
public final class WorkerMain {

    /** During warm-up one call in this many is timed, to warm the timing code up too. */
    private static final int WARMUP_SAMPLE_EVERY = 64;
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(60);
    /** Where the results of the operations end up, so that none can be optimised away. */
    private static volatile long consumed;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        try {
            if (args.length != 6) {
                throw new IllegalArgumentException("usage: WorkerMain <scenario> <dir> <barrier> <worker> <warmupMs> <measureMs>");
            }
            CrossProcessScenario scenario = Suites.scenario(args[0]);
            Path dir = Path.of(args[1]);
            Path barrierFile = Path.of(args[2]);
            int worker = Integer.parseInt(args[3]);
            long warmupNs = Duration.ofMillis(Long.parseLong(args[4])).toNanos();
            long measureNs = Duration.ofMillis(Long.parseLong(args[5])).toNanos();
            for (WorkerReport report : run(scenario, dir, barrierFile, worker, warmupNs, measureNs)) {
                System.out.println(report.toLine());
            }
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            System.err.println("worker " + String.join(" ", args) + " failed:");
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static List<WorkerReport> run(CrossProcessScenario scenario, Path dir, Path barrierFile, int worker,
                                          long warmupNs, long measureNs) throws Exception {
        int threads = scenario.threads();
        WorkerReport[] reports = new WorkerReport[threads];
        try (StartBarrier barrier = StartBarrier.open(barrierFile, scenario.processes() * threads)) {
            if (scenario instanceof PingPongScenario pingPong && threads == 1) { // two roles that drive each other
                WorkerContext ctx = new WorkerContext(dir, worker, 0, scenario.processes(), threads);
                return List.of(PingPong.measure(pingPong, ctx, barrier, warmupNs, measureNs));
            }
            if (scenario instanceof PingPongScenario pingPong) { // both roles, as two threads of this JVM
                return pingPongInOneJvm(pingPong, dir, barrier, warmupNs, measureNs);
            }
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                WorkerContext ctx = new WorkerContext(dir, worker, thread, scenario.processes(), threads);
                running.add(Thread.ofPlatform().name("worker-" + worker + "-" + thread).start(() -> {
                    try {
                        reports[thread] = measure(scenario.prepare(ctx), ctx, barrier, warmupNs, measureNs);
                    } catch (Throwable e) {
                        // Fail the whole worker at once: the others would wait at the barrier for nothing.
                        System.err.println("worker " + worker + " thread " + thread + " of " + scenario.id() + " failed:");
                        e.printStackTrace();
                        System.exit(1);
                    }
                }));
            }
            for (Thread t : running) {
                t.join();
            }
            scenario.workerDone(dir, worker);
        }
        return List.of(reports);
    }

    /**
     * Ping and pong as threads 0 and 1 of this JVM, each seeing itself as worker 0 or 1 of a
     * two-process ping-pong (so {@link PingPong#measure} and the scenario's handoff are unchanged).
     */
    private static List<WorkerReport> pingPongInOneJvm(PingPongScenario scenario, Path dir, StartBarrier barrier,
                                                       long warmupNs, long measureNs) throws InterruptedException {
        WorkerReport[] reports = new WorkerReport[2];
        List<Thread> roles = new ArrayList<>();
        for (int role = 0; role < 2; role++) {
            int w = role;
            WorkerContext ctx = new WorkerContext(dir, w, 0, 2, 1);
            roles.add(Thread.ofPlatform().name(w == 0 ? "ping" : "pong").start(() -> {
                try {
                    reports[w] = PingPong.measure(scenario, ctx, barrier, warmupNs, measureNs);
                } catch (Throwable e) {
                    System.err.println((w == 0 ? "ping" : "pong") + " of " + scenario.id() + " failed:");
                    e.printStackTrace();
                    System.exit(1);
                }
            }));
        }
        for (Thread t : roles) {
            t.join();
        }
        return List.of(reports);
    }

    private static WorkerReport measure(Operation op, WorkerContext ctx, StartBarrier barrier,
                                        long warmupNs, long measureNs) throws Exception {
        Meter meter = new Meter();
        long clockNs = NanoClock.cost();
        long warmupOps = 0;
        long warmupStart = System.nanoTime();
        long secondHalfOps = 0; // the operation's cost is estimated once it is compiled
        long secondHalfStart = 0;
        do {
            meter.batch(op, WARMUP_SAMPLE_EVERY);
            warmupOps += WARMUP_SAMPLE_EVERY;
            if (meter.now - warmupStart >= warmupNs / 2) {
                secondHalfStart = secondHalfOps == 0 ? meter.now : secondHalfStart;
                secondHalfOps += WARMUP_SAMPLE_EVERY;
            }
        } while (meter.now - warmupStart < warmupNs || secondHalfOps < 2 * WARMUP_SAMPLE_EVERY);
        double operationNs = (double) (meter.now - secondHalfStart) / (secondHalfOps - WARMUP_SAMPLE_EVERY);
        int sampleEvery = NanoClock.sampleEvery(operationNs, clockNs);
        meter.histogram.reset();

        barrier.arriveAndAwait(BARRIER_TIMEOUT);
        long ops = 0;
        long start = System.nanoTime();
        do {
            meter.batch(op, sampleEvery);
            ops += sampleEvery;
        } while (meter.now - start < measureNs);
        consumed += meter.sink;
        return new WorkerReport(ctx.worker(), ctx.thread(), ops, meter.now - start, warmupOps, sampleEvery,
                meter.histogram);
    }

    /** Runs batches of operations, timing the last of each; the same code warms up and measures. */
    private static final class Meter {
        final Histogram histogram = new Histogram(3);
        long now;
        long sink;

        void batch(Operation op, int size) {
            long s = sink;
            for (int i = 1; i < size; i++) {
                s += op.run();
            }
            long t0 = System.nanoTime();
            s += op.run();
            long t1 = System.nanoTime();
            histogram.recordValue(t1 - t0);
            now = t1;
            sink = s;
        }
    }
}
