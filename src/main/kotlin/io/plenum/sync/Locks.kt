@file:JvmName("LocksKt")
@file:OptIn(ExperimentalContracts::class)

package io.plenum.sync

import java.util.concurrent.CompletableFuture
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

// Naming (API.md, "Verbs"): in Kotlin the plain verb suspends, as in kotlinx.coroutines. The Java
// `lock()`, `readLock()`, `writeLock()` block, so they carry Kotlin's hidden deprecation
// (KotlinVerbs): Kotlin does not see them and calls these extensions. Thread-blocking forms end in
// Blocking. Timed suspending forms take a Duration and answer NOT_ACQUIRED (LockTimeouts.kt).

/**
 * Acquires the mutex without blocking a thread: suspends until it is held by this process.
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled (or a `withTimeout` expires) while
 * suspended, the wait is withdrawn at once and the mutex is left alone; if the mutex was granted
 * at the moment of cancellation, it is released, never leaked. For a bounded wait prefer
 * `lock(timeout)`, which never loses a hold granted at the deadline (a `withTimeoutOrNull { lock() }`
 * may return null for a lock it got, and leave it held).
 *
 * The hold belongs to the process, not to a thread: unlock it from wherever the coroutine resumes.
 */
suspend fun SharedMutex.lock(): LockResult = lockAsync().awaitHeld { unlock() }

/** Suspends for a read lock; same cancellation guarantee as [lock]. Release with [SharedRwLock.readUnlock]. */
suspend fun SharedRwLock.readLock(): LockResult = readLockAsync().awaitHeld { readUnlock() }

/** Suspends for the write lock; same cancellation guarantee as [lock]. Release with [SharedRwLock.writeUnlock]. */
suspend fun SharedRwLock.writeLock(): LockResult = writeLockAsync().awaitHeld { writeUnlock() }

/** As [lock], blocking the calling thread (Java's `lock()`): ignores interrupts, and keeps the flag. */
fun SharedMutex.lockBlocking(): LockResult = lockUninterruptibly()

/** As [readLock], blocking the calling thread (Java's `readLock()`). */
fun SharedRwLock.readLockBlocking(): LockResult = readLockUninterruptibly()

/** As [writeLock], blocking the calling thread (Java's `writeLock()`). */
fun SharedRwLock.writeLockBlocking(): LockResult = writeLockUninterruptibly()

/**
 * Runs [block] holding the mutex, suspending (not blocking a thread) to get it, and releases it
 * however [block] ends. [block] receives how the lock was acquired: [LockResult.recovered] tells
 * that a previous holder died holding it. Cancellation while waiting: as [lock]; [block] then
 * never runs.
 */
suspend inline fun <T> SharedMutex.withLock(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return lock().holding({ unlock() }, block)
}

/** Runs [block] holding a read lock, suspending (not blocking a thread) to get it; cancellation as [lock]. */
suspend inline fun <T> SharedRwLock.read(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return readLock().holding({ readUnlock() }, block)
}

/** Runs [block] holding the write lock, suspending (not blocking a thread) to get it; cancellation as [lock]. */
suspend inline fun <T> SharedRwLock.write(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return writeLock().holding({ writeUnlock() }, block)
}

/** As [withLock], but blocks the calling thread to get the mutex (for code outside coroutines). */
inline fun <T> SharedMutex.withLockBlocking(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return guard().use { block(it.result()) }
}

/** As [read], but blocks the calling thread to get the read lock. */
inline fun <T> SharedRwLock.readBlocking(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return readGuard().use { block(it.result()) }
}

/** As [write], but blocks the calling thread to get the write lock. */
inline fun <T> SharedRwLock.writeBlocking(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return writeGuard().use { block(it.result()) }
}

/**
 * Runs [block] as one seqlock write and returns what it returned; [block] receives RECOVERED when
 * a dead writer had torn the data (write all of it then).
 *
 * Not suspending, by nature: a seqlock write belongs to the thread that began it (its end is
 * checked against that thread), and it is meant to be a few stores long; another writer is waited
 * for on this thread. Do not suspend inside [block]. (Java has no `write` member, so this
 * extension is the one Kotlin calls; Java writes with [Seqlock.writeGuard].)
 */
inline fun <T> Seqlock.write(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return writeGuard().use { block(it.result()) }
}

/** Runs [block] with this acquisition's result and then [release]s the hold, however [block] ends. */
@PublishedApi
internal inline fun <T> LockResult.holding(release: () -> Unit, block: (LockResult) -> T): T {
    try {
        return block(this)
    } finally {
        release()
    }
}

/**
 * Awaits an acquisition future ([awaitGranted]); a lock that arrives for a cancelled coroutine is
 * given back through [release]. A timeout's result holds nothing and counts as NOT_ACQUIRED.
 */
internal suspend fun <R : LockResult?> CompletableFuture<R>.awaitHeld(release: () -> Unit): LockResult =
    awaitGranted { if (it.acquired()) release() } ?: LockResult.NOT_ACQUIRED
