package io.plenum.bench.jmh;

import io.plenum.bench.JvmArgs;
import io.plenum.bench.memory.ShmFiles;
import io.plenum.map.MapOptions;
import io.plenum.map.SharedMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-thread map operations on {@link #KEYS} present keys, visited in a fixed random order: a
 * {@code SharedMap} on a {@code /dev/shm} file ({@code plenum}) against a
 * {@link ConcurrentHashMap} ({@code heap}) and a Chronicle Map persisted to {@code /dev/shm}
 * ({@code chronicle}, presized to the keys, as it must be). Long to Long through the
 * allocation-free {@code getLong}/{@code putLong} (boxed {@code get}/{@code put} for the peers);
 * 16-char String keys to 32-char String values; 1 KiB byte values.
 *
 * <p>The order is random because a walk in key order favours {@code ConcurrentHashMap} unfairly:
 * {@code Long.hashCode} of small keys is the key itself, so a stride through the keys is a stride
 * through its table and through nodes allocated in that order, which the CPU prefetches, while
 * every hashing map (Plenum's, Chronicle's) takes a cache miss per lookup.
 */
@RowPrefix("map")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.NATIVE_ACCESS, JvmArgs.SERIAL_GC,
        MapBench.CHRONICLE_1, MapBench.CHRONICLE_2, MapBench.CHRONICLE_3, MapBench.CHRONICLE_4,
        MapBench.CHRONICLE_5, MapBench.CHRONICLE_6, MapBench.CHRONICLE_7, MapBench.CHRONICLE_8, MapBench.CHRONICLE_QUIET})
public class MapBench {
    static final int KEYS = 1 << 16;

    // What Chronicle Map needs on JDK 25 (its documented list: it reaches into JDK internals).
    static final String CHRONICLE_1 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String CHRONICLE_2 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String CHRONICLE_3 = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    static final String CHRONICLE_4 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    static final String CHRONICLE_5 = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    static final String CHRONICLE_6 = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String CHRONICLE_7 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String CHRONICLE_8 = "--add-opens=java.base/java.util=ALL-UNNAMED";
    /** Chronicle otherwise phones home (Google Analytics) from every fork. */
    static final String CHRONICLE_QUIET = "-Dchronicle.analytics.disable=true";

    private Path longPath;
    private Path stringPath;
    private Path bytesPath;
    private SharedMap<Long, Long> longs;
    private SharedMap<String, String> strings;
    private SharedMap<String, byte[]> kib;
    private ConcurrentHashMap<Long, Long> heapLongs;
    private ConcurrentHashMap<String, String> heapStrings;
    private ConcurrentHashMap<String, byte[]> heapKib;
    private Path chronicleDir;
    private ChronicleMap<Long, Long> chronLongs;
    private ChronicleMap<String, String> chronStrings;
    private ChronicleMap<String, byte[]> chronKib;
    private int[] order;
    private String[] keys;
    private String[] values;
    private byte[] value1k;
    private int step;
    private long sink;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path dir = ShmFiles.root();
        long pid = ProcessHandle.current().pid();
        longPath = dir.resolve("plenum-bench-map-longs-" + pid);
        stringPath = dir.resolve("plenum-bench-map-strings-" + pid);
        bytesPath = dir.resolve("plenum-bench-map-kib-" + pid);
        for (Path p : new Path[] {longPath, stringPath, bytesPath}) {
            Files.deleteIfExists(p);
        }
        longs = SharedMap.ofLongs(MapOptions.of(longPath));
        strings = SharedMap.ofStrings(MapOptions.of(stringPath));
        kib = SharedMap.open(io.plenum.codec.Codecs.STRING, io.plenum.codec.Codecs.BYTES, MapOptions.of(bytesPath));
        heapLongs = new ConcurrentHashMap<>();
        heapStrings = new ConcurrentHashMap<>();
        heapKib = new ConcurrentHashMap<>();
        chronicleDir = Files.createTempDirectory(dir, "plenum-bench-chronicle-");
        chronLongs = ChronicleMap.of(Long.class, Long.class).name("longs").entries(KEYS)
                .createPersistedTo(chronicleDir.resolve("longs").toFile());
        chronStrings = ChronicleMap.of(String.class, String.class).name("strings").entries(KEYS)
                .averageKey(String.format("key-%012d", 0)).averageValue(String.format("value-%026d", 0))
                .createPersistedTo(chronicleDir.resolve("strings").toFile());
        chronKib = ChronicleMap.of(String.class, byte[].class).name("kib").entries(4096)
                .averageKey(String.format("key-%012d", 0)).averageValueSize(1024)
                .createPersistedTo(chronicleDir.resolve("kib").toFile());
        order = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = KEYS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        keys = new String[KEYS];
        values = new String[KEYS];
        value1k = new byte[1024];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("key-%012d", i);
            values[i] = String.format("value-%026d", i);
            longs.putLong(i, i);
            heapLongs.put((long) i, (long) i);
            chronLongs.put((long) i, (long) i);
            strings.put(keys[i], values[i]);
            heapStrings.put(keys[i], values[i]);
            chronStrings.put(keys[i], values[i]);
            if (i < 4096) {
                kib.put(keys[i], value1k);
                heapKib.put(keys[i], value1k);
                chronKib.put(keys[i], value1k);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        longs.close();
        strings.close();
        kib.close();
        chronLongs.close();
        chronStrings.close();
        chronKib.close();
        for (Path p : new Path[] {longPath, stringPath, bytesPath, chronicleDir.resolve("longs"),
                chronicleDir.resolve("strings"), chronicleDir.resolve("kib"), chronicleDir}) {
            Files.deleteIfExists(p);
        }
        if (sink == 42) {
            System.out.println("sink");
        }
    }

    private int next() {
        return order[(step += 9) & (KEYS - 1)];
    }

    @Benchmark
    public long long_get_plenum() {
        return longs.getLong(next(), -1);
    }

    @Benchmark
    public Long long_get_heap() {
        return heapLongs.get((long) next());
    }

    @Benchmark
    public void long_put_plenum() {
        int i = next();
        longs.putLong(i, i + 1);
    }

    @Benchmark
    public Long long_put_heap() {
        int i = next();
        return heapLongs.put((long) i, (long) i + 1);
    }

    @Benchmark
    public String string_get_plenum() {
        return strings.get(keys[next()]);
    }

    @Benchmark
    public String string_get_heap() {
        return heapStrings.get(keys[next()]);
    }

    @Benchmark
    public String string_put_plenum() {
        int i = next();
        return strings.put(keys[i], values[i]);
    }

    @Benchmark
    public String string_put_heap() {
        int i = next();
        return heapStrings.put(keys[i], values[i]);
    }

    @Benchmark
    public byte[] kib_get_plenum() {
        return kib.get(keys[next() & 4095]);
    }

    @Benchmark
    public byte[] kib_get_heap() {
        return heapKib.get(keys[next() & 4095]);
    }

    @Benchmark
    public byte[] kib_put_plenum() {
        return kib.put(keys[next() & 4095], value1k);
    }

    @Benchmark
    public byte[] kib_put_heap() {
        return heapKib.put(keys[next() & 4095], value1k);
    }

    @Benchmark
    public Long long_get_chronicle() {
        return chronLongs.get((long) next());
    }

    @Benchmark
    public Long long_put_chronicle() {
        int i = next();
        return chronLongs.put((long) i, (long) i + 1);
    }

    @Benchmark
    public String string_get_chronicle() {
        return chronStrings.get(keys[next()]);
    }

    @Benchmark
    public String string_put_chronicle() {
        int i = next();
        return chronStrings.put(keys[i], values[i]);
    }

    @Benchmark
    public byte[] kib_get_chronicle() {
        return chronKib.get(keys[next() & 4095]);
    }

    @Benchmark
    public byte[] kib_put_chronicle() {
        return chronKib.put(keys[next() & 4095], value1k);
    }
}
