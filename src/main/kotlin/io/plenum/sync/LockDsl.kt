@file:JvmName("LockDsl")

package io.plenum.sync

import io.plenum.PlenumDsl
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec
import kotlin.time.Duration
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * What to open or create, set in the block of a lock factory:
 * ```
 * SharedMutex("/dev/shm/orders.lock").use { mutex -> mutex.withLock { … } }
 * SharedRwLock("/dev/shm/config.lock") { ownerEntries = 256 }
 * Seqlock(Backing.memfd("quotes")) { mode = OpenMode.CREATE_NEW }
 * ```
 * The names are [LockOptions]' own.
 */
@PlenumDsl
class LockBuilder @PublishedApi internal constructor(
    /** Where the lock lives; the factory's path argument sets a file (or /dev/shm) backing. */
    var backing: Backing,
) {
    var mode: OpenMode = OpenMode.CREATE_OR_OPEN

    /** The most processes that use the lock at once (-1: an existing lock's, or the default when creating). */
    var ownerEntries: Int = -1

    /** Permission bits of a newly created file (default 0600). */
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE

    /** How often a waiter checks whether the holder died. */
    var recoveryCheck: Duration = SharedMutex.DEFAULT_RECOVERY_CHECK.toKotlinDuration()

    @PublishedApi
    internal fun options(): LockOptions = LockOptions(backing, mode, ownerEntries, fileMode, recoveryCheck.toJavaDuration())
}

@PublishedApi
internal inline fun lockOptions(backing: Backing, configure: LockBuilder.() -> Unit): LockOptions =
    LockBuilder(backing).apply(configure).options()

/** Opens or creates a standalone mutex at [path]: `SharedMutex("/dev/shm/orders.lock")`. */
inline fun SharedMutex(path: String, configure: LockBuilder.() -> Unit = {}): SharedMutex =
    SharedMutex.open(lockOptions(Backing.file(path), configure))

/** Opens or creates a standalone mutex on any [backing]. */
inline fun SharedMutex(backing: Backing, configure: LockBuilder.() -> Unit = {}): SharedMutex =
    SharedMutex.open(lockOptions(backing, configure))

/** Opens or creates a standalone reader-writer lock at [path]. */
inline fun SharedRwLock(path: String, configure: LockBuilder.() -> Unit = {}): SharedRwLock =
    SharedRwLock.open(lockOptions(Backing.file(path), configure))

/** Opens or creates a standalone reader-writer lock on any [backing]. */
inline fun SharedRwLock(backing: Backing, configure: LockBuilder.() -> Unit = {}): SharedRwLock =
    SharedRwLock.open(lockOptions(backing, configure))

/** Opens or creates a standalone seqlock at [path]. */
inline fun Seqlock(path: String, configure: LockBuilder.() -> Unit = {}): Seqlock =
    Seqlock.open(lockOptions(Backing.file(path), configure))

/** Opens or creates a standalone seqlock on any [backing]. */
inline fun Seqlock(backing: Backing, configure: LockBuilder.() -> Unit = {}): Seqlock =
    Seqlock.open(lockOptions(backing, configure))
