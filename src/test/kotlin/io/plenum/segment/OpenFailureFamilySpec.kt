package io.plenum.segment

import io.kotest.assertions.throwables.shouldThrow
import io.plenum.pool.PoolOptions
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.plenum.array.SharedLongArray
import io.plenum.linux.Errno
import io.plenum.linux.Fs
import io.plenum.linux.LinuxException
import io.plenum.pool.SharedLongPool
import io.plenum.sync.OwnerTable
import io.plenum.sync.SharedMutex
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path

/**
 * Every failure to open or create arrives as a [SegmentException] (or a subclass), with what
 * caused it kept as the cause, so that a caller catches one type. (A memory fault while
 * initialising is in [SegmentSpaceSpec]: a sparse create on a full file system.)
 */
class OpenFailureFamilySpec : FunSpec({
    val paths = TempPaths("family")
    afterSpec { paths.close() }

    test("a closed fd: SegmentException naming it, the EBADF kept") {
        val fd = Fs.memfdCreate("soon-closed")
        Fs.close(fd)
        val error = shouldThrow<SegmentException> { TestCounters.open(Backing.fd(fd)) }
        error.message shouldContain "fd $fd"
        error.message shouldContain "not open in this process"
        error.cause.shouldBeInstanceOf<LinuxException>().errno() shouldBe Errno.EBADF
        shouldThrow<SegmentException> { SharedLongArray.open(Backing.fd(fd), 8) }
    }

    test("an fd of a directory, or of a process that does not exist: SegmentException, cause kept") {
        val directory = Fs.open(paths.root.toString(), Fs.O_RDONLY, 0)
        try {
            shouldThrow<SegmentException> { TestCounters.open(Backing.fd(directory)) }.cause.shouldBeInstanceOf<LinuxException>()
        } finally {
            Fs.close(directory)
        }
        shouldThrow<SegmentException> { TestCounters.open(Backing.fromProcess((1L shl 22) + 1, 3)) }
            .cause.shouldBeInstanceOf<LinuxException>().errno() shouldBe Errno.ESRCH
    }

    test("a NUL in a path or a name: SegmentException, not the JDK's InvalidPathException") {
        for (attempt in listOf(
            { Backing.file(paths.root.toString() + "/a\u0000b") },
            { Backing.shm("a\u0000b") },
            { Backing.memfd("a\u0000b") },
            { SharedLongArray.open(Backing.file("/dev/shm/x\u0000y"), 8) },
        )) {
            shouldThrow<SegmentException> { attempt() }.message shouldContain "NUL"
        }
        shouldThrow<SegmentException> { Backing.memfd("x".repeat(250)) }.message shouldContain "memfd name"
    }

    test("a failed memfd_create (or any other failed call while opening) becomes a SegmentException naming the backing") {
        val failure = LinuxException("memfd_create", "plenum", Errno.EMFILE)
        val error = OpenFailures.whileOpening("memfd:plenum", failure)
        error.shouldBeInstanceOf<SegmentException>().message shouldContain "memfd:plenum"
        error.cause shouldBe failure
        OpenFailures.whileOpening("x", InternalError("fault")).shouldBeInstanceOf<SegmentException>().cause
            .shouldBeInstanceOf<InternalError>()
        // A spec no segment can satisfy stays the caller's IllegalArgumentException.
        OpenFailures.whileOpening("x", IllegalArgumentException("capacity")).shouldBeInstanceOf<IllegalArgumentException>()
        shouldThrow<OutOfMemoryError> { OpenFailures.whileOpening("x", OutOfMemoryError()) }
    }

    test("a corrupt owner table in a valid segment: SegmentFormatException naming the path and the table") {
        val mutexPath = paths.next("mutex")
        SharedMutex(Backing.file(mutexPath)) { mode = OpenMode.CREATE_NEW }.close()
        spoilOwnerTable(mutexPath)
        val error = shouldThrow<SegmentFormatException> { SharedMutex(Backing.file(mutexPath)) { mode = OpenMode.OPEN_EXISTING } }
        error.message shouldContain mutexPath.toString()
        error.message shouldContain "owner table"

        val arrayPath = paths.next("array")
        SharedLongArray.open(Backing.file(arrayPath), 16).close()
        spoilOwnerTable(arrayPath)
        shouldThrow<SegmentFormatException> { SharedLongArray.open(Backing.file(arrayPath), 16) }
            .message shouldContain arrayPath.toString()

        val poolPath = paths.next("pool")
        SharedLongPool.open(PoolOptions.of(Backing.file(poolPath)).withMode(OpenMode.CREATE_OR_OPEN).withCapacity(8)).close()
        spoilOwnerTable(poolPath)
        shouldThrow<SegmentFormatException> { SharedLongPool.open(PoolOptions.of(Backing.file(poolPath)).withMode(OpenMode.CREATE_OR_OPEN).withCapacity(8)) }
            .message shouldContain poolPath.toString()
    }
})

/** Overwrites the magic of the first owner table in the file (the only one in these kinds). */
private fun spoilOwnerTable(path: Path) {
    val bytes = Files.readAllBytes(path)
    val buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
    val offset = (128 until bytes.size - 4 step 8).first { buffer.getInt(it) == OwnerTable.MAGIC }
    buffer.putInt(offset, 0x0BAD0BAD)
    Files.write(path, bytes)
}
