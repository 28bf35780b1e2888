package io.plenum.samples.pool;

import io.plenum.pool.PoolSlot;
import io.plenum.pool.PoolOptions;
import io.plenum.pool.SharedStringPool;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection-pool-style use of a slot pool: at most {@code CONNECTIONS} requests may hold a
 * "connection" at once, across every thread and process that opens the same pool. Each request
 * takes a slot with try-with-resources, records in it what it is doing (anyone can list the busy
 * connections), and gives it back however it ends, exceptions included. A request that cannot get
 * a connection within its timeout is turned away instead of queueing for ever. If a process dies
 * holding connections, the next request that finds the pool full takes them back.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp … io.plenum.samples.pool.ConnectionPoolSample [requests]
 * </pre>
 */
public final class ConnectionPoolSample {
    static final int CONNECTIONS = 4;

    private ConnectionPoolSample() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        // A pool every process on the machine could open by name; this sample removes it at the end.
        Backing backing = Backing.shm("plenum-sample-connections-" + ProcessHandle.current().pid());
        try (SharedStringPool connections = SharedStringPool.open(PoolOptions.of(backing).withMode(OpenMode.CREATE_NEW).withCapacity(CONNECTIONS).withMaxLength(64))) {
            AtomicInteger served = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger turnedAway = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int request = i;
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        handle(connections, request);
                        served.incrementAndGet();
                    } catch (TimeoutException e) {
                        turnedAway.incrementAndGet();
                    } catch (IllegalStateException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread client : clients) {
                client.join();
            }
            System.out.printf("%d requests: %d served, %d failed (connection given back), %d turned away; "
                    + "connections in use now: %d of %d%n", requests, served.get(), failed.get(), turnedAway.get(),
                    connections.used(), connections.capacity());
            connections.unlink();
        }
    }

    /** One request: borrow a connection for a moment; every 7th request fails half-way. */
    static void handle(SharedStringPool connections, int request) throws InterruptedException, TimeoutException {
        try (PoolSlot connection = connections.allocSlot(Duration.ofMillis(500))) {
            if (connection == null) {
                throw new TimeoutException("no connection free within 500 ms for request " + request);
            }
            connections.set(connection.index(), "request " + request + " (thread " + Thread.currentThread().threadId() + ")");
            if (connections.used() > CONNECTIONS) {
                throw new AssertionError("more connections in use than exist");
            }
            Thread.sleep(5);
            if (request % 7 == 6) {
                throw new IllegalStateException("request " + request + " failed while holding connection "
                        + connection.index());
            }
        }
    }

    /** A request that could not get a connection in time. */
    static final class TimeoutException extends Exception {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }
}
