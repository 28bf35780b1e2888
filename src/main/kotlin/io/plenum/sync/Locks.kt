@file:JvmName("LocksKt")
@file:OptIn(ExperimentalContracts::class)

package io.plenum.sync

import java.util.concurrent.CompletableFuture
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.suspendCancellableCoroutine

// Naming (API.md, "Verbs"): the plain Kotlin verb suspends. A Java member always wins over a
// Kotlin extension of the same name, and the Java plain verbs `lock()`, `readLock()`,
// `writeLock()` block (as java.util.concurrent does), so the bare suspending acquisitions are
// `awaitLock()`, `awaitReadLock()`, `awaitWriteLock()`; the block forms `withLock { }`,
// `read { }`, `write { }` have no Java namesake and suspend. Thread-blocking forms end in `Blocking`.

/**
 * Acquires the mutex without blocking a thread: suspends until it is held by this process.
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled (or a `withTimeout` expires) while
 * suspended, the wait is withdrawn at once and the mutex is left alone; if the mutex was granted
 * at the moment of cancellation, it is released, never leaked.
 *
 * The hold belongs to the process, not to a thread: unlock it from wherever the coroutine resumes.
 */
suspend fun SharedMutex.awaitLock(): LockResult = lockAsync().awaitHeld { unlock() }

/** Suspends for a read lock; same cancellation guarantee as [awaitLock]. Release with [SharedRwLock.readUnlock]. */
suspend fun SharedRwLock.awaitReadLock(): LockResult = readLockAsync().awaitHeld { readUnlock() }

/** Suspends for the write lock; same cancellation guarantee as [awaitLock]. Release with [SharedRwLock.writeUnlock]. */
suspend fun SharedRwLock.awaitWriteLock(): LockResult = writeLockAsync().awaitHeld { writeUnlock() }

/**
 * Runs [block] holding the mutex, suspending (not blocking a thread) to get it, and releases it
 * however [block] ends. [block] receives how the lock was acquired: [LockResult.recovered] tells
 * that a previous holder died holding it. Cancellation while waiting: as [awaitLock]; [block] then
 * never runs.
 */
suspend inline fun <T> SharedMutex.withLock(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return awaitLock().holding({ unlock() }, block)
}

/** Runs [block] holding a read lock, suspending (not blocking a thread) to get it; cancellation as [awaitLock]. */
suspend inline fun <T> SharedRwLock.read(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return awaitReadLock().holding({ readUnlock() }, block)
}

/** Runs [block] holding the write lock, suspending (not blocking a thread) to get it; cancellation as [awaitLock]. */
suspend inline fun <T> SharedRwLock.write(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return awaitWriteLock().holding({ writeUnlock() }, block)
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
 * Awaits an acquisition future; cancellation cancels it, and a lock that arrives for a cancelled
 * coroutine is given back through [release].
 */
@PublishedApi
internal suspend fun CompletableFuture<LockResult>.awaitHeld(release: () -> Unit): LockResult =
    suspendCancellableCoroutine { continuation ->
        continuation.invokeOnCancellation { cancel(false) }
        whenComplete { result, failure ->
            if (failure != null) {
                continuation.resumeWith(Result.failure(failure.unwrapCompletion()))
            } else {
                continuation.resume(result) { _, _, _ -> release() }
            }
        }
    }

internal fun Throwable.unwrapCompletion(): Throwable =
    if (this is java.util.concurrent.CompletionException && cause != null) cause!! else this
