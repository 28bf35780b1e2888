/**
 * Waiting and locking in shared memory: what every blocking Plenum structure builds on.
 *
 * <h2>For structures that embed these</h2>
 * <ul>
 *   <li>{@link io.plenum.sync.OwnerTable}: a process table at an offset of your segment
 *       ({@code bytesFor(entries)}, {@code initialize} by the creator). {@code currentOwner()} is
 *       this process's 4-byte token (never 0); {@code isDead(token)} / {@code status(token)} tell
 *       whether a recorded owner is gone (pid gone, or pid reused with another start time);
 *       owners in another pid namespace are {@code FOREIGN_NAMESPACE}, never dead.</li>
 *   <li>{@link io.plenum.sync.Waiting}: blocking waits on an 8-byte wait word (value + waiter
 *       count): {@code await(memory, offset, expected, deadlineNanos)} (spin, then futex sleeps of
 *       at most 50 ms, interruptible); wakers change the value and call {@code wakeOne}/{@code
 *       wakeAll} (or {@code set}/{@code add}), which make a syscall only when a waiter is
 *       recorded.</li>
 *   <li>{@link io.plenum.sync.Reactor}: the per-JVM asynchronous waiter ({@code shared()}):
 *       {@code onChange(memory, offset, expected)} futures, {@code watch(…)} registrations with a
 *       listener, {@code onReadable(fd)} for eventfds; at most 4 threads however many waiters.</li>
 *   <li>Locks, standalone ({@code open(LockOptions)}) or embedded ({@code initialize} +
 *       {@code embedded(memory, offset, ownerTable)}):
 *       {@link io.plenum.sync.SharedMutex} ({@code SIZE} = 16 bytes),
 *       {@link io.plenum.sync.SharedRwLock} ({@code bytesFor(ownerEntries)} = 32 + 8 per entry),
 *       {@link io.plenum.sync.Seqlock} ({@code SIZE} = 32 bytes). Each has blocking, timed, try
 *       and {@code CompletableFuture} acquisition, {@code AutoCloseable} guards,
 *       {@code recoveries()} for statistics and {@code recoverIfDead()} for explicit recovery.</li>
 *   <li>{@link io.plenum.sync.LockResult}: {@code ACQUIRED}, {@code RECOVERED} (a dead holder's
 *       hold was removed on the way, like {@code EOWNERDEAD}) or {@code NOT_ACQUIRED}.</li>
 * </ul>
 *
 * <h2>Policies</h2>
 * Locks are not reentrant; relocking from the holding thread throws
 * {@link java.lang.IllegalStateException}. A waiter checks a holder's liveness after 10 ms and
 * then every recovery check interval (default 250 ms, configurable per handle), so a dead holder
 * is recovered well within a second. Kotlin use-blocks and suspending forms are in
 * {@code Locks.kt} and {@code Waits.kt} of this package.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.sync;

import org.jspecify.annotations.NullMarked;
