package io.plenum.sync;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open or create a standalone lock ({@link SharedMutex}, {@link SharedRwLock},
 * {@link Seqlock}). Start from {@link #of(String)}, {@link #of(Path)} or {@link #of(Backing)} and
 * refine with the {@code with…} methods; every instance is immutable.
 *
 * <pre>{@code
 * SharedMutex orders = SharedMutex.open(LockOptions.of("/dev/shm/orders.lock"));
 * }</pre>
 *
 * Kotlin: {@code SharedMutex("/dev/shm/orders.lock") { ownerEntries = 128 }}.
 *
 * @param backing       where the lock lives (a path is a file; {@code /dev/shm/NAME} is POSIX shm)
 * @param mode          create, open, or either (default {@link OpenMode#CREATE_OR_OPEN})
 * @param ownerEntries  the most processes that use the lock at once; -1 (the default) takes an
 *                      existing lock's, or {@value SharedMutex#DEFAULT_OWNER_ENTRIES} when creating
 * @param fileMode      permission bits of a new file (default 0600)
 * @param recoveryCheck how often a waiter checks whether the holder died (positive)
 */
public record LockOptions(Backing backing, OpenMode mode, int ownerEntries, int fileMode, Duration recoveryCheck)
        implements SegmentOptions<LockOptions> {
    public LockOptions {
        if (backing == null) {
            throw new IllegalArgumentException("a lock needs a backing (path, shm name, memfd, fd or anonymous)");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (ownerEntries != -1 && ownerEntries < 1) {
            throw new IllegalArgumentException("ownerEntries must be -1 (take the existing lock's) or positive: " + ownerEntries);
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
        if (recoveryCheck == null || recoveryCheck.isNegative() || recoveryCheck.isZero()) {
            throw new IllegalArgumentException("recoveryCheck must be positive: " + recoveryCheck);
        }
    }

    /** Create or open at {@code backing}. */
    public static LockOptions of(Backing backing) {
        return new LockOptions(backing, OpenMode.CREATE_OR_OPEN, -1, SegmentSpec.DEFAULT_FILE_MODE,
                SharedMutex.DEFAULT_RECOVERY_CHECK);
    }

    /** As {@link #of(Backing)} on the file at {@code path} ({@code /dev/shm/NAME} for POSIX shm). */
    public static LockOptions of(String path) {
        return of(Backing.file(path));
    }

    /** As {@link #of(Backing)} on the file at {@code path}. */
    public static LockOptions of(Path path) {
        return of(Backing.file(path));
    }

    public LockOptions withMode(OpenMode mode) {
        return new LockOptions(backing, mode, ownerEntries, fileMode, recoveryCheck);
    }

    public LockOptions withOwnerEntries(int ownerEntries) {
        return new LockOptions(backing, mode, ownerEntries, fileMode, recoveryCheck);
    }

    public LockOptions withFileMode(int fileMode) {
        return new LockOptions(backing, mode, ownerEntries, fileMode, recoveryCheck);
    }

    public LockOptions withRecoveryCheck(Duration recoveryCheck) {
        return new LockOptions(backing, mode, ownerEntries, fileMode, recoveryCheck);
    }

    /** The owner entries to ask the segment for: given, or the default when this open may create. */
    int entriesToOpen() {
        if (ownerEntries != -1) {
            return ownerEntries;
        }
        return mode == OpenMode.OPEN_EXISTING ? -1 : SharedMutex.DEFAULT_OWNER_ENTRIES;
    }
}
