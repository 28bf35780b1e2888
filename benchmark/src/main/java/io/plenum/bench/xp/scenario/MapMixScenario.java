package io.plenum.bench.xp.scenario;

import io.plenum.bench.xp.CrossProcessScenario;
import io.plenum.bench.xp.Operation;
import io.plenum.bench.xp.WorkerContext;
import java.util.SplittableRandom;

/**
 * The {@code map.mix90} rows: every thread repeats, on random keys among {@link #KEYS} present
 * Long keys, 9 {@code get}s out of 10 and one {@code put} that replaces the key's value. Every value
 * ever stored under key {@code k} is {@code k + KEYS * n}, so each read checks that what it got
 * belongs to its key (a torn or misplaced read throws and fails the run). Subclasses say where the
 * map lives.
 */
abstract class MapMixScenario implements CrossProcessScenario {

    static final int KEYS = 1 << 16;
    static final String FILE = "map-mix.shm";

    private final int processes;
    private final int threads;

    MapMixScenario(int processes, int threads) {
        this.processes = processes;
        this.threads = threads;
    }

    @Override
    public String row() {
        return "map.mix90";
    }

    @Override
    public int processes() {
        return processes;
    }

    @Override
    public int threads() {
        return threads;
    }

    /** The map's two operations, as each column does them. */
    interface LongMap {
        long get(long key);

        void put(long key, long value);
    }

    /** The mixed operation on {@code map}, with a random stream of its own per thread. */
    static Operation mix(LongMap map, WorkerContext ctx) {
        SplittableRandom random = new SplittableRandom(31L * ctx.worker() + ctx.thread() + 1);
        int[] op = {0};
        return () -> {
            long key = random.nextInt(KEYS);
            if (++op[0] == 10) {
                op[0] = 0;
                map.put(key, key + (long) KEYS * random.nextInt(1 << 20));
                return key;
            }
            long value = map.get(key);
            if (value % KEYS != key) {
                throw new IllegalStateException("map.mix90: key " + key + " read value " + value
                        + ", which no writer stored under it");
            }
            return value;
        };
    }
}
