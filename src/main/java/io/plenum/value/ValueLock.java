package io.plenum.value;

import io.plenum.sync.Guard;
import org.jspecify.annotations.Nullable;

/**
 * The writer lock of a {@link SharedValue}, held for a batch: reads and writes through it see no
 * other writer. Close it to release the lock (idempotent). A guard from {@link SharedValue#lock()}
 * belongs to its thread; one from {@link SharedValue#lockAsync()} to the process.
 *
 * @param <T> the value type
 */
public interface ValueLock<T> extends Guard {
    /** True when taking the lock recovered it from a dead holder (whose write, if any, was not published). */
    @Override
    boolean recovered();

    /** The value now, or null when there is none yet. */
    @Nullable T get();

    /** The version now. */
    long version();

    /** Writes {@code value} as the next version and returns it. */
    long set(T value);

    /** Releases the lock. */
    @Override
    void close();
}
