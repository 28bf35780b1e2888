@file:JvmName("LockTimeouts")

package io.plenum.sync

import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The bounded waits of the locks with a kotlin.time.Duration. `lock(timeout)`, `readLock(timeout)`
// and `writeLock(timeout)` suspend at most [timeout] and answer NOT_ACQUIRED when it passed first; a
// hold granted at the deadline is never lost, which `withTimeoutOrNull(timeout) { mutex.lock() }`
// cannot promise. The try…(timeout) forms block the calling thread, as their java.time.Duration
// members do (NOT_ACQUIRED or null when the timeout passed).

/** Takes the mutex, suspending at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. Cancellation: as [lock]. */
suspend fun SharedMutex.lock(timeout: Duration): LockResult =
    lockAsync().completeWithin(timeout, LockResult.NOT_ACQUIRED).awaitHeld { unlock() }

/** Takes a read lock, suspending at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. */
suspend fun SharedRwLock.readLock(timeout: Duration): LockResult =
    readLockAsync().completeWithin(timeout, LockResult.NOT_ACQUIRED).awaitHeld { readUnlock() }

/** Takes the write lock, suspending at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. */
suspend fun SharedRwLock.writeLock(timeout: Duration): LockResult =
    writeLockAsync().completeWithin(timeout, LockResult.NOT_ACQUIRED).awaitHeld { writeUnlock() }

/** Takes the mutex, blocking at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. */
fun SharedMutex.tryLock(timeout: Duration): LockResult = tryLock(timeout.toJavaDuration())

/** A guard over the mutex taken within [timeout]; null when it passed first. */
fun SharedMutex.tryGuard(timeout: Duration): LockGuard? = tryGuard(timeout.toJavaDuration())

/** Takes a read lock, blocking at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. */
fun SharedRwLock.tryReadLock(timeout: Duration): LockResult = tryReadLock(timeout.toJavaDuration())

/** Takes the write lock, blocking at most [timeout]; [LockResult.NOT_ACQUIRED] when it passed first. */
fun SharedRwLock.tryWriteLock(timeout: Duration): LockResult = tryWriteLock(timeout.toJavaDuration())

/** A read guard taken within [timeout]; null when it passed first. */
fun SharedRwLock.tryReadGuard(timeout: Duration): LockGuard? = tryReadGuard(timeout.toJavaDuration())

/** A write guard taken within [timeout]; null when it passed first. */
fun SharedRwLock.tryWriteGuard(timeout: Duration): LockGuard? = tryWriteGuard(timeout.toJavaDuration())

/** Begins a write, blocking at most [timeout] for other writers; [LockResult.NOT_ACQUIRED] when it passed first. */
fun Seqlock.tryBeginWrite(timeout: Duration): LockResult = tryBeginWrite(timeout.toJavaDuration())

/** Blocks until the counter is non-zero, consumes and returns it; 0 when [timeout] passed first. */
fun EventNotifier.await(timeout: Duration): Long = await(timeout.toJavaDuration())

/** A seqlock write guard taken within [timeout]; null when it passed first. */
fun Seqlock.tryWriteGuard(timeout: Duration): LockGuard? = tryWriteGuard(timeout.toJavaDuration())
