package io.plenum.linux

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.testing.TempPaths
import java.lang.foreign.Arena
import java.lang.foreign.ValueLayout
import java.nio.file.Files
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

class LinuxCallsSpec : FunSpec({
    val paths = TempPaths("linux")
    afterSpec { paths.close() }

    test("futex wait times out, sees a changed value, and is woken by another thread") {
        Arena.ofShared().use { arena ->
            val word = arena.allocate(64, 64)
            Futex.await(word, 0, 0, 20_000_000) shouldBe Futex.WaitResult.TIMED_OUT
            Futex.await(word, 0, 1, 20_000_000) shouldBe Futex.WaitResult.VALUE_CHANGED
            val started = CountDownLatch(1)
            var result: Futex.WaitResult? = null
            val waiter = Thread.ofPlatform().start {
                started.countDown()
                while (word.get(ValueLayout.JAVA_INT, 0) == 0) {
                    result = Futex.await(word, 0, 0, 5_000_000_000)
                }
            }
            started.await()
            Thread.sleep(50)
            word.set(ValueLayout.JAVA_INT, 0, 1)
            Futex.wake(word, 0, 1) shouldBeGreaterThanOrEqual 0
            waiter.join(5_000)
            waiter.isAlive shouldBe false
            result shouldBe Futex.WaitResult.WOKEN
        }
    }

    test("futex calls check bounds, alignment and liveness instead of crashing") {
        val arena = Arena.ofShared()
        val word = arena.allocate(64, 64)
        shouldThrow<IndexOutOfBoundsException> { Futex.wake(word, 62, 1) }
        shouldThrow<IllegalArgumentException> { Futex.wake(word, 2, 1) }.message shouldContain "aligned"
        arena.close()
        shouldThrow<IllegalStateException> { Futex.wake(word, 0, 1) }
    }

    test("futex_waitv wakes on any of several words and reports which") {
        Arena.ofShared().use { arena ->
            val words = arena.allocate(256, 64)
            val vector = FutexWaitv(arena)
            repeat(3) { vector.add(words, it * 64L, 0) }
            vector.await(Clock.monotonicNanos() + 20_000_000) shouldBe FutexWaitv.TIMED_OUT
            words.set(ValueLayout.JAVA_INT, 64, 5)
            vector.await(Clock.monotonicNanos() + 1_000_000_000) shouldBe FutexWaitv.VALUE_CHANGED
            words.set(ValueLayout.JAVA_INT, 64, 0)
            val waker = Thread.ofPlatform().start {
                Thread.sleep(50)
                words.set(ValueLayout.JAVA_INT, 128, 1)
                Futex.wake(words, 128, 1)
            }
            vector.await(Clock.monotonicNanos() + 5_000_000_000) shouldBe 2
            waker.join()
        }
    }

    test("memfd_create gives a sealable memory file") {
        val fd = Fs.memfdCreate("plenum-test")
        try {
            Fs.ftruncate(fd, 4096)
            Fs.addSeals(fd, Fs.F_SEAL_SHRINK or Fs.F_SEAL_GROW)
            (Fs.seals(fd) and (Fs.F_SEAL_SHRINK or Fs.F_SEAL_GROW)) shouldBe (Fs.F_SEAL_SHRINK or Fs.F_SEAL_GROW)
            shouldThrow<LinuxException> { Fs.ftruncate(fd, 8192) }.errno() shouldBe Errno.EPERM
            shouldThrow<LinuxException> { Fs.ftruncate(fd, 0) }.errno() shouldBe Errno.EPERM
            Fs.fstat(fd).size() shouldBe 4096
        } finally {
            Fs.close(fd)
        }
    }

    test("eventfd counts writes and drains on read") {
        val fd = EventFd.create(0, 0)
        try {
            EventFd.read(fd) shouldBe 0
            EventFd.write(fd, 2) shouldBe true
            EventFd.write(fd, 3) shouldBe true
            EventFd.read(fd) shouldBe 5
            EventFd.read(fd) shouldBe 0
        } finally {
            Fs.close(fd)
        }
    }

    test("epoll reports a ready eventfd with its data") {
        val fd = EventFd.create(0, 0)
        Epoll(8).use { epoll ->
            epoll.add(fd, Epoll.EPOLLIN, 42)
            epoll.await(0) shouldBe 0
            EventFd.write(fd, 1)
            epoll.await(1000) shouldBe 1
            epoll.data(0) shouldBe 42
            (epoll.events(0) and Epoll.EPOLLIN) shouldBe Epoll.EPOLLIN
            epoll.remove(fd)
        }
        Fs.close(fd)
    }

    test("getpid, kill(pid, 0), start time and pid namespace describe processes") {
        Processes.getpid().toLong() shouldBe ProcessHandle.current().pid()
        Processes.currentPid() shouldBe Processes.getpid()
        Processes.exists(Processes.currentPid()) shouldBe true
        Processes.currentStartTime() shouldBeGreaterThan 0
        Processes.isAlive(Processes.currentPid(), Processes.currentStartTime()) shouldBe true
        Processes.isAlive(Processes.currentPid(), Processes.currentStartTime() + 1) shouldBe false
        Processes.currentPidNamespace() shouldBeGreaterThan 0
        val child = ProcessBuilder("true").start()
        val pid = child.pid().toInt()
        child.waitFor()
        Processes.exists(pid) shouldBe false
        Processes.startTime(pid) shouldBe -1
    }

    test("pidfd_open and pidfd_getfd take another process's fd") {
        val memfd = Fs.memfdCreate("plenum-pidfd")
        try {
            Fs.ftruncate(memfd, 12345)
            val taken = Processes.takeFd(Processes.currentPid(), memfd)
            Fs.fstat(taken).sameFile(Fs.fstat(memfd)) shouldBe true
            Fs.close(taken)
            shouldThrow<LinuxException> { Processes.pidfdOpen(Int.MAX_VALUE) }.call() shouldBe "pidfd_open"
        } finally {
            Fs.close(memfd)
        }
    }

    test("open refuses symbolic links with O_NOFOLLOW, and errors name call, path and errno") {
        val target = paths.next("target")
        Files.writeString(target, "decoy")
        val link = paths.next("link")
        Files.createSymbolicLink(link, target)
        val error = shouldThrow<LinuxException> { Fs.open(link.toString(), Fs.O_RDWR or Fs.O_NOFOLLOW, 0) }
        error.errno() shouldBe Errno.ELOOP
        error.message shouldContain "open($link)"
        error.message shouldContain "ELOOP"
        shouldThrow<LinuxException> { Fs.open(paths.next().toString(), Fs.O_RDWR, 0) }.errno() shouldBe Errno.ENOENT
    }

    test("create exclusively, fchmod, ftruncate, fstat, lstat") {
        val path = paths.next().toString()
        val fd = Fs.open(path, Fs.O_RDWR or Fs.O_CREAT or Fs.O_EXCL or Fs.O_CLOEXEC, "600".toInt(8))
        try {
            shouldThrow<LinuxException> { Fs.open(path, Fs.O_RDWR or Fs.O_CREAT or Fs.O_EXCL, "600".toInt(8)) }
                .errno() shouldBe Errno.EEXIST
            Fs.fchmod(fd, "640".toInt(8))
            Fs.ftruncate(fd, 1000)
            val stat = Fs.fstat(fd)
            stat.size() shouldBe 1000
            stat.isRegularFile shouldBe true
            (stat.mode() and "777".toInt(8)) shouldBe "640".toInt(8)
            Fs.lstat(path).sameFile(stat) shouldBe true
        } finally {
            Fs.close(fd)
        }
    }

    test("link, linkat of an unnamed file, renameat2 NOREPLACE, unlink") {
        val a = paths.next("a").toString()
        val b = paths.next("b").toString()
        val c = paths.next("c").toString()
        Files.writeString(java.nio.file.Path.of(a), "a")
        Fs.link(a, b)
        shouldThrow<LinuxException> { Fs.link(a, b) }.errno() shouldBe Errno.EEXIST
        shouldThrow<LinuxException> { Fs.rename(a, b, Fs.RENAME_NOREPLACE) }.errno() shouldBe Errno.EEXIST
        Fs.rename(a, c, Fs.RENAME_NOREPLACE)
        Files.exists(java.nio.file.Path.of(a)) shouldBe false
        Fs.unlink(c)
        shouldThrow<LinuxException> { Fs.unlink(c) }.errno() shouldBe Errno.ENOENT
        val unnamed = Fs.open(paths.root.toString(), Fs.O_TMPFILE or Fs.O_RDWR, "600".toInt(8))
        val named = paths.next("named").toString()
        Fs.linkFd(unnamed, named)
        shouldThrow<LinuxException> { Fs.linkFd(unnamed, b) }.errno() shouldBe Errno.EEXIST
        Fs.lstat(named).sameFile(Fs.fstat(unnamed)) shouldBe true
        Fs.close(unnamed)
    }

    test("flock excludes another open file description") {
        val path = paths.next().toString()
        val first = Fs.open(path, Fs.O_RDWR or Fs.O_CREAT, "600".toInt(8))
        val second = Fs.open(path, Fs.O_RDWR, 0)
        try {
            Fs.flock(first, Fs.LOCK_EX) shouldBe true
            Fs.flock(second, Fs.LOCK_EX or Fs.LOCK_NB) shouldBe false
            Fs.flock(first, Fs.LOCK_UN)
            Fs.flock(second, Fs.LOCK_EX or Fs.LOCK_NB) shouldBe true
        } finally {
            Fs.close(first)
            Fs.close(second)
        }
    }

    test("mmap shares memory between two mappings of one file; msync flushes") {
        val fd = Fs.memfdCreate("plenum-mmap")
        Fs.ftruncate(fd, 4096)
        Arena.ofShared().use { arena ->
            val one = Fs.mmap(fd, 4096, arena)
            val two = Fs.mmap(fd, 4096, arena)
            one.set(ValueLayout.JAVA_LONG, 8, 77)
            two.get(ValueLayout.JAVA_LONG, 8) shouldBe 77
            Fs.msync(one)
            val anonymous = Fs.mmap(-1, 8192, arena)
            anonymous.byteSize() shouldBe 8192
        }
        Fs.close(fd)
    }

    test("clock_gettime(CLOCK_MONOTONIC) agrees with System.nanoTime") {
        val before = System.nanoTime()
        val now = Clock.monotonicNanos()
        val after = System.nanoTime()
        (now in (before - 1_000_000)..(after + 1_000_000)) shouldBe true
        TimeUnit.NANOSECONDS.toSeconds(now) shouldBeGreaterThan 0
    }
})
