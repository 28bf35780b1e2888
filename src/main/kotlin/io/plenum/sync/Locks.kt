@file:JvmName("LocksKt")
@file:OptIn(ExperimentalContracts::class)

package io.plenum.sync

import java.util.concurrent.CompletableFuture
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * Runs [block] holding the mutex (blocking the thread to get it), and releases it however [block]
 * ends. [block] receives how the lock was acquired: [LockResult.recovered] tells that a previous
 * holder died holding it.
 */
inline fun <T> SharedMutex.withLock(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = lock()
    try {
        return block(result)
    } finally {
        unlock()
    }
}

/** Runs [block] holding a read lock (blocking the thread to get it). */
inline fun <T> SharedRwLock.read(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = readLock()
    try {
        return block(result)
    } finally {
        readUnlock()
    }
}

/** Runs [block] holding the write lock (blocking the thread to get it). */
inline fun <T> SharedRwLock.write(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = writeLock()
    try {
        return block(result)
    } finally {
        writeUnlock()
    }
}

/** Runs [block] as one seqlock write; [block] receives RECOVERED when a dead writer had torn the data. */
inline fun <T> Seqlock.write(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = beginWrite()
    try {
        return block(result)
    } finally {
        endWrite()
    }
}

/**
 * Acquires the mutex without blocking a thread: suspends until it is held by this process.
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled (or a `withTimeout` expires) while
 * suspended, the wait is withdrawn at once and the mutex is left alone; if the mutex was granted
 * at the moment of cancellation, it is released, never leaked.
 *
 * The hold belongs to the process, not to a thread: unlock it from wherever the coroutine resumes.
 */
suspend fun SharedMutex.lockSuspending(): LockResult = lockAsync().awaitHeld { unlock() }

/** Suspends for a read lock; same cancellation guarantee as [lockSuspending]. Release with [SharedRwLock.readUnlock]. */
suspend fun SharedRwLock.readLockSuspending(): LockResult = readLockAsync().awaitHeld { readUnlock() }

/** Suspends for the write lock; same cancellation guarantee as [lockSuspending]. */
suspend fun SharedRwLock.writeLockSuspending(): LockResult = writeLockAsync().awaitHeld { writeUnlock() }

/** Runs [block] holding the mutex, suspending (not blocking) to get it. */
suspend inline fun <T> SharedMutex.withLockSuspending(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = lockSuspending()
    try {
        return block(result)
    } finally {
        unlock()
    }
}

/** Runs [block] holding a read lock, suspending (not blocking) to get it. */
suspend inline fun <T> SharedRwLock.readSuspending(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = readLockSuspending()
    try {
        return block(result)
    } finally {
        readUnlock()
    }
}

/** Runs [block] holding the write lock, suspending (not blocking) to get it. */
suspend inline fun <T> SharedRwLock.writeSuspending(block: (LockResult) -> T): T {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val result = writeLockSuspending()
    try {
        return block(result)
    } finally {
        writeUnlock()
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
