package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentHeader
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.mappedWaiters
import java.nio.file.Path
import kotlin.time.Duration.Companion.seconds

/**
 * A waiter killed asleep on a lock word leaves its count behind: every later release of every
 * process would then make a FUTEX_WAKE syscall that wakes nobody, for ever. The releases restart
 * such a count (see OwnedWord.staleCountSeen), and live waiters are still woken afterwards.
 */
class LockWaiterCountSpec : FunSpec({
    val paths = TempPaths("lock-waiters")
    afterSpec { paths.close() }

    fun waiters(path: Path, offset: Long): Int = mappedWaiters(path, offset)

    fun awaitWaiters(path: Path, offset: Long, expected: Int) {
        val deadline = System.nanoTime() + 30.seconds.inWholeNanoseconds
        while (waiters(path, offset) != expected) {
            check(System.nanoTime() < deadline) { "the count of $path never became $expected: ${waiters(path, offset)}" }
            Thread.sleep(5)
        }
    }

    /**
     * Starts waiter JVMs with [start] until one is killed while counted on the word at [offset],
     * and returns with its count left there. A waiter sleeps in slices and counts itself out and
     * in again between them, so a kill can land in that gap (a loaded machine widens it); such a
     * kill leaves no count, which is not the state under test, and the next waiter is tried.
     */
    fun killCounted(path: Path, offset: Long, start: () -> ChildJvm) {
        repeat(5) {
            start().use { waiter ->
                awaitWaiters(path, offset, 1)
                Thread.sleep(100) // past its spin: asleep in FUTEX_WAIT, but for the gaps between slices
                waiter.kill9()
            }
            if (waiters(path, offset) == 1) return
        }
        error("five waiters in a row were killed between two sleeps, never counted")
    }

    /** One lock word under test, as this JVM uses it. */
    abstract class Word(val handle: AutoCloseable) : AutoCloseable by handle {
        abstract fun lock()
        abstract fun unlock()
    }

    class Kind(val name: String, val offset: Long, val open: (Path) -> Word)

    val kinds = listOf(
        Kind("mutex", SegmentHeader.BODY_OFFSET) { path ->
            val mutex = SharedMutex(Backing.file(path)) { mode = OpenMode.CREATE_NEW }
            object : Word(mutex) {
                override fun lock() { mutex.lockBlocking() }
                override fun unlock() = mutex.unlock()
            }
        },
        Kind("write", SegmentHeader.BODY_OFFSET + SharedRwLock.WRITER_OFFSET) { path ->
            val rw = SharedRwLock(Backing.file(path)) { mode = OpenMode.CREATE_NEW }
            object : Word(rw) {
                override fun lock() { rw.writeLockBlocking() }
                override fun unlock() = rw.writeUnlock()
            }
        },
    )

    for (kind in kinds) {
        test("${kind.name} lock: a waiter JVM killed asleep is counted out by later releases, and a later waiter JVM is still woken") {
            val path = paths.next(kind.name)
            kind.open(path).use { word ->
                word.lock()
                // Blocked behind this JVM's hold, counted, and killed so; nobody counts it out.
                killCounted(path, kind.offset) { ChildJvm.start(HoldAndSleep::class, kind.name, path) }
                waiters(path, kind.offset) shouldBe 1
                word.unlock()
                // Releases that keep finding the count stale for the restart interval restart it.
                val until = System.nanoTime() + 3 * RestartThrottle.INTERVAL_NANOS
                while (System.nanoTime() < until) {
                    word.lock()
                    word.unlock()
                    Thread.sleep(1)
                }
                waiters(path, kind.offset) shouldBe 0

                word.lock()
                ChildJvm.start(HoldAndSleep::class, kind.name, path).use { next ->
                    awaitWaiters(path, kind.offset, 1)
                    word.unlock()
                    next.awaitLine(30.seconds) { it == "HELD" } // woken by the release, or its slice
                }
            }
        }
    }

    test("rw-lock: a writer JVM killed asleep waiting for readers to drain is counted out by the next reader release, and a later writer JVM still gets in") {
        val path = paths.next("drained")
        val drained = SegmentHeader.BODY_OFFSET + SharedRwLock.DRAINED_OFFSET
        SharedRwLock(Backing.file(path)) { mode = OpenMode.CREATE_NEW }.use { rw ->
            rw.readLockBlocking()
            // Each writer takes the writer word (a later one recovers it from the one killed
            // before it) and waits for this JVM's read hold to drain.
            killCounted(path, drained) { ChildJvm.start(HoldAndSleep::class, "write", path) }
            waiters(path, drained) shouldBe 1
            rw.readUnlock() // its wake of the dead writer finds nobody: the count restarts
            waiters(path, drained) shouldBe 0

            rw.readLockBlocking() shouldBe LockResult.RECOVERED // the dead writer's word, taken back
            ChildJvm.start(HoldAndSleep::class, "write", path).use { next ->
                awaitWaiters(path, drained, 1)
                rw.readUnlock()
                next.awaitLine(30.seconds) { it == "HELD" }
            }
        }
    }
})
