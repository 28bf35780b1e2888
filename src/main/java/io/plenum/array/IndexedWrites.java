package io.plenum.array;

/**
 * Why Kotlin refuses {@code a[i] = v} on a shared array, in the words its compiler prints.
 *
 * <p>Kotlin compiles {@code a[i] += d} to {@code a.set(i, a.get(i) + d)}: a read, then a write,
 * which silently loses every update another thread or process makes in between (two JVMs adding
 * 2,000,000 times each once lost a quarter of them). It cannot be made one atomic add, and it calls
 * the same {@code set} as {@code a[i] = v}, so both are refused: each numeric array's {@code set}
 * carries Kotlin's deprecation at error level, which javac ignores. Java keeps {@code set}; Kotlin
 * writes with {@code setRelease}, the same release store, and adds with {@code addAndGet}. Reads
 * ({@code a[i]}) stay operators in both. (Kotlin's own {@code AtomicLongArray} has no indexing
 * operators for the same reason.)
 */
final class IndexedWrites {
    /** What the Kotlin compiler says to {@code a[i] = v} and {@code a[i] += d}. */
    static final String REFUSED = "Kotlin refuses a[i] = v and a[i] += d on a shared array: a compound assignment compiles to a "
            + "separate read and write that loses other processes' updates. Add atomically with addAndGet(i, d) or "
            + "incrementAndGet(i); write with setRelease(i, v)";

    private IndexedWrites() {
    }
}
