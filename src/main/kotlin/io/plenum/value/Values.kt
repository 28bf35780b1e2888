package io.plenum.value

import io.plenum.sync.awaitGranted
import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.await
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

/**
 * Suspends until the version is no longer [afterVersion] and returns the new one (at once when it
 * already differs). The wait is served by the per-JVM reactor: no thread is blocked.
 *
 * Prompt cancellation guarantee: if the coroutine is cancelled while suspended, this throws
 * [kotlinx.coroutines.CancellationException] and the wait is withdrawn, even if the version
 * changed meanwhile. Fails with [IllegalStateException] when the handle is closed.
 */
suspend fun <T : Any> SharedValue<T>.awaitChange(afterVersion: Long): Long = awaitChangeAsync(afterVersion).await()

/**
 * Takes the writer lock for a batch, suspending (not blocking a thread) until it is free: close the
 * [ValueLock] to release it (`value.lock().use { batch -> … }`). Prompt cancellation guarantee: as
 * [withLock]; a lock that arrives for a cancelled coroutine is released.
 */
suspend fun <T : Any> SharedValue<T>.lock(): ValueLock<T> = acquireLock()

/** As [lock], blocking the calling thread (Java's `lock()`): ignores interrupts, and keeps the flag. */
fun <T : Any> SharedValue<T>.lockBlocking(): ValueLock<T> = (this as MappedValue<T>).lockUninterruptibly()

/**
 * Runs [block] holding the writer lock, suspending (not blocking) until it is free; the lock is
 * released when the block ends, also by an exception. Write through the [ValueLock] the block gets:
 * `SharedValue.set` from inside the block would wait for the lock the block holds.
 *
 * Prompt cancellation guarantee: cancelled while waiting, it throws and never runs the block; a
 * lock that arrives too late is released.
 */
@OptIn(ExperimentalContracts::class)
suspend inline fun <T : Any, R> SharedValue<T>.withLock(block: (ValueLock<T>) -> R): R {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    val lock = acquireLock()
    try {
        return block(lock)
    } finally {
        lock.close()
    }
}

/**
 * Suspends for the writer lock. A lock that arrives while the coroutine is being cancelled is
 * released (a plain `await()` would drop it and leave it held).
 */
@PublishedApi
internal suspend fun <T : Any> SharedValue<T>.acquireLock(): ValueLock<T> = lockAsync().awaitValueLock()

/** Awaits a lock future ([awaitGranted]): a lock that arrives for a cancelled coroutine is closed. */
internal suspend fun <L : ValueLock<*>?> CompletableFuture<L>.awaitValueLock(): L = awaitGranted { it.close() }

/**
 * The values as a conflated flow, like a `StateFlow`: a new collector gets the current value (or
 * waits for the first one), then every later value it has time to see; a slow collector skips to
 * the newest. Equal consecutive versions are never emitted twice. The flow completes when the
 * handle is closed.
 */
fun <T : Any> SharedValue<T>.asFlow(): Flow<T> = flow {
    var seen = -1L
    while (true) {
        val (version, value) = try {
            consistentRead()
        } catch (e: IllegalStateException) {
            if (isClosed) return@flow
            throw e
        }
        if (version != seen && value != null) {
            emit(value)
        }
        seen = version
        try {
            awaitChange(seen)
        } catch (e: IllegalStateException) {
            if (isClosed) return@flow
            throw e
        }
    }
}

/** A value with the version it was read at: the version is read before and after the value. */
private fun <T : Any> SharedValue<T>.consistentRead(): Pair<Long, T?> {
    while (true) {
        val before = version()
        val value = get()
        if (version() == before) return before to value
    }
}
