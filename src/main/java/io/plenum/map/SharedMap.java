package io.plenum.map;

import io.plenum.codec.Codec;
import io.plenum.codec.Codecs;
import io.plenum.segment.Segment;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A key-value map in shared memory that any number of processes open at once by name, and that
 * grows by itself: keys and values of any length up to the map's maximum, no sizes to guess.
 *
 * <pre>{@code
 * try (SharedMap<String, String> config = SharedMap.open(Codecs.STRING, Codecs.STRING,
 *         MapOptions.of("/dev/shm/config"))) {
 *     config.put("mode", "fast");
 *     String mode = config.get("mode");
 * }
 * }</pre>
 *
 * <h2>Concurrency</h2>
 * Reads ({@link #get}, {@link #containsKey}, {@link #getLong}, iteration) take no lock and write
 * nothing to shared memory. Writes take the lock of the key's stripe (keys spread over
 * {@link MapStats#stripes()} stripes), so writers of different keys rarely wait for each other.
 * {@link #compute}, {@link #merge}, {@link #putIfAbsent}, the conditional {@link #replace} and
 * {@link #remove}, and {@link #addAndGet} are atomic across processes. The functions given to
 * {@code compute}/{@code merge} run under the stripe lock: keep them short, and never touch the
 * map from them (the lock is not reentrant: that throws {@link IllegalStateException}).
 * Iteration is weakly consistent (each stripe is read as of one moment, never fails under
 * concurrent writers); {@link #snapshot()} is one consistent copy of the whole map.
 *
 * <h2>Crash safety</h2>
 * A process killed at any instruction leaves every key with its old or its new value, whole. The
 * next writer of a stripe whose writer died takes its lock over within about a second and puts the
 * stripe right; nothing has to be called.
 *
 * <h2>Memory</h2>
 * Each entry takes a record of 16 bytes + key + value rounded up to 8, plus a table slot of 8 bytes
 * at a load of 3/8 to 3/4 (about 11 to 21 bytes per entry). Replaced and removed records are
 * reclaimed when their stripe is rebuilt, and whole blocks are reused across stripes.
 *
 * <h2>Nulls</h2>
 * Null keys and values are refused with a {@link NullPointerException}, as {@link ConcurrentMap}
 * specifies; over-long keys and values with an {@link IllegalArgumentException} naming the limit.
 */
public final class SharedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, AutoCloseable {
    private final Segment segment;
    private final MapStore store;
    private final String name;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final boolean longKeys;
    private final boolean longValues;
    private final MapWaits waits;
    private Set<Entry<K, V>> entries;

    private SharedMap(MapOpener.Opened opened, Codec<K> keys, Codec<V> values) {
        this.segment = opened.segment();
        this.store = opened.store();
        this.name = opened.name();
        this.keys = keys;
        this.values = values;
        this.longKeys = isLong(keys);
        this.longValues = isLong(values);
        this.waits = new MapWaits(store, name);
    }

    /**
     * Opens or creates a map (see {@link MapOptions} for modes and sizes).
     *
     * @throws io.plenum.segment.SegmentException      the segment cannot be opened or created
     * @throws io.plenum.segment.SegmentFormatException it exists but is not such a map
     * @throws IllegalArgumentException                a codec differs from the map's
     */
    public static <K, V> SharedMap<K, V> open(Codec<K> keys, Codec<V> values, MapOptions options) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(options, "options");
        SharedMap<K, V> map = new SharedMap<>(MapOpener.open(keys, values, options), keys, values);
        if (map.segment.created() && options.initialCapacity() > 0) {
            map.presize(options.initialCapacity());
        }
        return map;
    }

    /** A String to String map. */
    public static SharedMap<String, String> ofStrings(MapOptions options) {
        return open(Codecs.STRING, Codecs.STRING, options);
    }

    /** A Long to Long map, whose {@link #getLong(long)} allocates nothing. */
    public static SharedMap<Long, Long> ofLongs(MapOptions options) {
        return open(Codecs.LONG, Codecs.LONG, options);
    }

    private static boolean isLong(Codec<?> codec) {
        return codec == Codecs.LONG;
    }

    private void presize(int capacity) {
        int stripes = store.stripes();
        int perStripe = (int) Math.min(Integer.MAX_VALUE / 4, (long) capacity * 5 / 4 / stripes + 1);
        long entryBytes = MapLayout.recordSize(keys.fixedSize() > 0 ? keys.fixedSize() : 24,
                values.fixedSize() > 0 ? values.fixedSize() : 24);
        for (int i = 0; i < stripes; i++) {
            store.lock(i);
            try {
                store.presizeLocked(i, perStripe, perStripe * entryBytes);
            } finally {
                store.unlock(i);
            }
        }
    }

    // ---- keys and values ----------------------------------------------------------------------

    private byte[] keyBytes(Object key) {
        if (key == null) {
            throw new NullPointerException(name + ": null keys are not allowed");
        }
        @SuppressWarnings("unchecked")
        byte[] bytes = keys.encode((K) key);
        if (bytes.length > store.maxKeySize) {
            throw new IllegalArgumentException(name + ": key of " + bytes.length + " bytes exceeds maxKeySize "
                    + store.maxKeySize);
        }
        return bytes;
    }

    private byte[] valueBytes(V value) {
        if (value == null) {
            throw new NullPointerException(name + ": null values are not allowed");
        }
        byte[] bytes = values.encode(value);
        if (bytes.length > store.maxValueSize) {
            throw new IllegalArgumentException(name + ": value of " + bytes.length + " bytes exceeds maxValueSize "
                    + store.maxValueSize);
        }
        return bytes;
    }

    private long hash(byte[] key) {
        return MapHash.of(store.seed, key, key.length);
    }

    private V decode(byte[] bytes) {
        return bytes == null ? null : values.decode(bytes);
    }

    // ---- reads --------------------------------------------------------------------------------

    @Override
    public @Nullable V get(Object key) {
        byte[] k = keyBytes(key);
        return decode(store.get(k, k.length, hash(k)));
    }

    @Override
    public boolean containsKey(Object key) {
        byte[] k = keyBytes(key);
        return store.get(k, k.length, hash(k)) != null;
    }

    /**
     * The value of a long key in a Long to Long map, 0 when absent (counters by name start at 0).
     * Allocates nothing.
     */
    public long getLong(long key) {
        return getLong(key, 0L);
    }

    /** The value of a long key in a Long to Long map, or {@code absent}. Allocates nothing. */
    public long getLong(long key, long absent) {
        requireLongs();
        return store.getLong(key, MapHash.ofLong(store.seed, key), absent);
    }

    /** Stores a long value under a long key (Long to Long maps). */
    public void putLong(long key, long value) {
        requireLongs();
        store.putLong(key, MapHash.ofLong(store.seed, key), value);
    }

    /** The waiters counted on the change word of a long key's stripe (for tests and diagnostics). */
    int changeWaitersOfLong(long key) {
        return store.changeWaiters(store.stripeOf(MapHash.ofLong(store.seed, key)));
    }

    private void requireLongs() {
        if (!longKeys || !longValues) {
            throw new UnsupportedOperationException(name + ": getLong/putLong need Codecs.LONG keys and values, not "
                    + keys.name() + " -> " + values.name());
        }
    }

    private static long longOf(byte[] bytes, String name) {
        if (bytes.length != 8) {
            throw new io.plenum.codec.CodecException(name + ": a value of " + bytes.length + " bytes is not a long");
        }
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xFFL);
        }
        return value;
    }

    @Override
    public int size() {
        long total = 0;
        for (int i = 0; i < store.stripes(); i++) {
            total += store.count(i);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    @Override
    public boolean isEmpty() {
        for (int i = 0; i < store.stripes(); i++) {
            if (store.count(i) > 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (V v : values()) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of the whole map as of one moment: every stripe is locked (in order) while it is
     * copied, so writers wait for the copy, readers do not.
     */
    public Map<K, V> snapshot() {
        Map<K, V> copy = new HashMap<>();
        int stripes = store.stripes();
        int locked = 0;
        try {
            for (; locked < stripes; locked++) {
                store.lock(locked);
            }
            for (int i = 0; i < stripes; i++) {
                store.readLocked(i, (k, v) -> copy.put(keys.decode(k), values.decode(v)));
            }
        } finally {
            for (int i = locked - 1; i >= 0; i--) {
                store.unlock(i);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        for (int i = 0; i < store.stripes(); i++) {
            store.readStripe(i, (k, v) -> action.accept(keys.decode(k), values.decode(v)));
        }
    }

    /** A weakly consistent view: iteration reads each stripe as of one moment and never fails. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        if (entries == null) {
            entries = new EntryView();
        }
        return entries;
    }

    // ---- writes -------------------------------------------------------------------------------

    @Override
    public @Nullable V put(K key, V value) {
        byte[] k = keyBytes(key);
        byte[] v = valueBytes(value);
        return decode(store.write(k, k.length, hash(k), current -> v));
    }

    @Override
    public @Nullable V putIfAbsent(K key, V value) {
        byte[] k = keyBytes(key);
        byte[] v = valueBytes(value);
        return decode(store.write(k, k.length, hash(k), current -> current == null ? v : MapStore.KEEP));
    }

    @Override
    public @Nullable V remove(Object key) {
        byte[] k = keyBytes(key);
        return decode(store.write(k, k.length, hash(k), current -> null));
    }

    /** Removes the key if its value equals {@code value} (compared by encoding). */
    @Override
    public boolean remove(Object key, Object value) {
        if (value == null) {
            return false;
        }
        byte[] k = keyBytes(key);
        @SuppressWarnings("unchecked")
        byte[] v = valueBytes((V) value);
        boolean[] removed = new boolean[1];
        store.write(k, k.length, hash(k), current -> {
            removed[0] = Arrays.equals(current, v);
            return removed[0] ? null : MapStore.KEEP;
        });
        return removed[0];
    }

    @Override
    public @Nullable V replace(K key, V value) {
        byte[] k = keyBytes(key);
        byte[] v = valueBytes(value);
        return decode(store.write(k, k.length, hash(k), current -> current == null ? MapStore.KEEP : v));
    }

    /** Replaces the value if it equals {@code oldValue} (compared by encoding). */
    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        byte[] k = keyBytes(key);
        byte[] expected = valueBytes(oldValue);
        byte[] v = valueBytes(newValue);
        boolean[] replaced = new boolean[1];
        store.write(k, k.length, hash(k), current -> {
            replaced[0] = Arrays.equals(current, expected);
            return replaced[0] ? v : MapStore.KEEP;
        });
        return replaced[0];
    }

    /** Atomic across processes: {@code remapping} runs once, under the key's stripe lock. */
    @Override
    public @Nullable V compute(K key, BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remapping) {
        Objects.requireNonNull(remapping, "remapping");
        return locked(key, current -> remapping.apply(key, current));
    }

    @Override
    public @Nullable V computeIfAbsent(K key, Function<? super K, ? extends @Nullable V> mapping) {
        Objects.requireNonNull(mapping, "mapping");
        return locked(key, current -> current != null ? current : mapping.apply(key));
    }

    @Override
    public @Nullable V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends @Nullable V> remapping) {
        Objects.requireNonNull(remapping, "remapping");
        return locked(key, current -> current == null ? null : remapping.apply(key, current));
    }

    @Override
    public @Nullable V merge(K key, V value, BiFunction<? super V, ? super V, ? extends @Nullable V> remapping) {
        Objects.requireNonNull(remapping, "remapping");
        valueBytes(value);
        return locked(key, current -> current == null ? value : remapping.apply(current, value));
    }

    /** Runs {@code function} on the current value under the stripe lock; null removes. Returns the new value. */
    private V locked(K key, Function<V, V> function) {
        byte[] k = keyBytes(key);
        Object[] result = new Object[1];
        store.write(k, k.length, hash(k), currentBytes -> {
            V current = decode(currentBytes);
            V next = function.apply(current);
            result[0] = next;
            if (next == null) {
                return currentBytes == null ? MapStore.KEEP : null;
            }
            if (next == current) {
                return MapStore.KEEP;
            }
            return valueBytes(next);
        });
        @SuppressWarnings("unchecked")
        V next = (V) result[0];
        return next;
    }

    /**
     * Adds {@code delta} to the long value of {@code key} (absent counts as 0) atomically across
     * processes, and returns the sum. The map's values must use {@link Codecs#LONG}.
     */
    public long addAndGet(K key, long delta) {
        if (!longValues) {
            throw new UnsupportedOperationException(name + ": addAndGet needs Codecs.LONG values, not " + values.name());
        }
        byte[] k = keyBytes(key);
        long[] sum = new long[1];
        store.write(k, k.length, hash(k), current -> {
            sum[0] = (current == null ? 0 : longOf(current, name)) + delta;
            return MapStore.longBytes(sum[0]);
        });
        return sum[0];
    }

    /** Removes every entry, stripe by stripe (weakly consistent, like {@link ConcurrentMap} clear). */
    @Override
    public void clear() {
        for (int i = 0; i < store.stripes(); i++) {
            store.lock(i);
            try {
                store.clearLocked(i);
            } finally {
                store.unlock(i);
            }
        }
    }

    // ---- waiting ------------------------------------------------------------------------------

    /**
     * Blocks until the value of {@code key} differs from {@code current} (null: absent) and returns
     * the new value (null: removed). Returns at once if it differs already. (Kotlin: the suspending
     * {@code awaitChange} extension, and {@code changes(key)} as a Flow.)
     *
     * @throws InterruptedException the thread was interrupted (noticed within 50 ms)
     */
    public @Nullable V waitForChange(K key, @Nullable V current) throws InterruptedException {
        byte[] k = keyBytes(key);
        return decode(waits.await(k, hash(k), current == null ? null : valueBytes(current), Long.MAX_VALUE).value());
    }

    /** As {@link #waitForChange(Object, Object)}, waiting at most {@code timeout}: false when it passed first. */
    public boolean waitForChange(K key, @Nullable V current, Duration timeout) throws InterruptedException {
        byte[] k = keyBytes(key);
        long deadline = io.plenum.map.MapWaits.deadline(timeout);
        return waits.await(k, hash(k), current == null ? null : valueBytes(current), deadline).changed();
    }

    /**
     * Completes with the value of {@code key} once it differs from {@code current} (null: removed),
     * on a thread of the JVM's {@link io.plenum.sync.Reactor}, without blocking a thread meanwhile.
     * Cancel the future to stop waiting; {@link #close()} fails it with an {@link IllegalStateException}.
     */
    public CompletableFuture<@Nullable V> waitForChangeAsync(K key, @Nullable V current) {
        byte[] k = keyBytes(key);
        return waits.async(k, hash(k), current == null ? null : valueBytes(current)).thenApply(this::decode);
    }

    // ---- handle -------------------------------------------------------------------------------

    public MapStats stats() {
        long entries = 0;
        long live = 0;
        long blocks = 0;
        long tables = 0;
        long recoveries = store.heap().recoveries();
        for (int i = 0; i < store.stripes(); i++) {
            entries += store.count(i);
            live += store.liveBytes(i);
            blocks += store.blockBytes(i);
            tables += store.tableBytes(i);
            recoveries += store.lockOf(i).recoveries();
        }
        BlockHeap heap = store.heap();
        return new MapStats(entries, store.stripes(), store.memory.current().byteSize(), heap.top() - store.heapOffset,
                blocks, tables, live, heap.freeBytes(), heap.counter(MapLayout.GROWTHS_OFFSET),
                heap.counter(MapLayout.BLOCKS_OFFSET), recoveries, heap.counter(MapLayout.REBUILDS_OFFSET));
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return segment.isClosed();
    }

    /** The segment under the map (its path, fd, size). */
    public Segment segment() {
        return segment;
    }

    /** Removes the map's name from the file system (see {@link Segment#unlink()}); processes that have it open keep it. */
    public boolean unlink() {
        return segment.unlink();
    }

    /** Releases this process's handle; other processes go on. Pending waits fail promptly. Idempotent. */
    @Override
    public void close() {
        waits.close();
        segment.close();
    }

    @Override
    public String toString() {
        return "SharedMap[" + name + "]";
    }

    // ---- views --------------------------------------------------------------------------------

    private final class EntryView extends AbstractSet<Entry<K, V>> {
        @Override
        public Iterator<Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        public int size() {
            return SharedMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return SharedMap.this.isEmpty();
        }

        @Override
        public void clear() {
            SharedMap.this.clear();
        }
    }

    /** Reads one stripe at a time (consistent per stripe); removal goes through {@link #remove(Object, Object)}. */
    private final class EntryIterator implements Iterator<Entry<K, V>> {
        private final java.util.ArrayDeque<Entry<K, V>> batch = new java.util.ArrayDeque<>();
        private int nextStripe;
        private Entry<K, V> last;

        @Override
        public boolean hasNext() {
            while (batch.isEmpty() && nextStripe < store.stripes()) {
                store.readStripe(nextStripe++, (k, v) ->
                        batch.add(new SimpleImmutableEntry<>(keys.decode(k), values.decode(v))));
            }
            return !batch.isEmpty();
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = batch.poll();
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() first");
            }
            SharedMap.this.remove(last.getKey(), last.getValue());
            last = null;
        }
    }
}
