package io.plenum.segment

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.plenum.array.SharedLongArray
import io.plenum.linux.Errno
import io.plenum.linux.Fs
import io.plenum.linux.LinuxException
import io.plenum.testing.SmallFileSystem
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import io.plenum.testing.counter
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.nio.file.Files
import java.nio.file.Path

/**
 * Space is reserved when a segment is created or grows, so a full file system is a
 * [SegmentException] at that moment, never a fault later, and a refused create leaves no fd, no
 * mapping and no file. Runs on a 1 MiB tmpfs mounted for the spec.
 */
class SegmentSpaceSpec : FunSpec({
    val small = SmallFileSystem("tmpfs", "size=1m")
    afterSpec { small.close() }

    fun noLeftovers() {
        small.openFds().shouldBeEmpty()
        small.mappings().shouldBeEmpty()
        small.names().filter { it != "filler" }.shouldBeEmpty()
    }

    test("a segment larger than the file system is refused at creation, naming the path and the bytes") {
        val path = small.root.resolve("big")
        // 2 Mi counters: 16 MiB + the header, on a 1 MiB file system. Before reserving, this
        // succeeded as a sparse file and the first bulk write faulted.
        val needed = 128L + 2L * 1024 * 1024 * 8
        for (mode in listOf(OpenMode.CREATE_OR_OPEN, OpenMode.CREATE_NEW, OpenMode.RECREATE)) {
            val error = shouldThrow<SegmentException> { TestCounters.open(Backing.file(path), mode, capacity = 2L * 1024 * 1024) }
            error.message shouldContain path.toString()
            error.message shouldContain "$needed bytes"
            error.message shouldContain "ENOSPC"
            error.cause.shouldBeInstanceOf<LinuxException>().errno() shouldBe Errno.ENOSPC
            noLeftovers()
        }
    }

    test("on a full file system, creating an array fails cleanly every time: no fd, no mapping, no file") {
        fill(small.root.resolve("filler"))
        try {
            repeat(20) { round ->
                val path = small.root.resolve("array-$round")
                val error = shouldThrow<SegmentException> { SharedLongArray.open(Backing.file(path), 1000) }
                error.message shouldContain path.toString()
                noLeftovers()
            }
            // A memfd is not on this file system, so it is not refused.
            SharedLongArray.open(Backing.memfd("not-on-the-full-fs"), 1000).use { it.capacity() shouldBe 1000 }
        } finally {
            Files.delete(small.root.resolve("filler"))
        }
    }

    test("a sparse spec creates without reserving (the documented lazy risk): 16 MiB on a 1 MiB file system") {
        val path = small.root.resolve("sparse")
        Segment.open(Backing.file(path), OpenMode.CREATE_NEW, TestCounters.spec(2L * 1024 * 1024).withSparse(true)).use { segment ->
            segment.fileSize() shouldBe 128L + 2L * 1024 * 1024 * 8
            segment.addCounter(0, 5) shouldBe 0
            segment.counter(0) shouldBe 5
        }
        Files.delete(path)
    }

    test("a sparse create whose initialisation faults on a full file system is a SegmentException, and leaks nothing") {
        fill(small.root.resolve("filler"))
        try {
            repeat(5) { round ->
                val path = small.root.resolve("touching-$round")
                val error = shouldThrow<SegmentException> {
                    Segment.open(Backing.file(path), OpenMode.CREATE_NEW, TouchingKind.spec().withSparse(true))
                }
                error.message shouldContain path.toString()
                error.cause.shouldBeInstanceOf<InternalError>()
                noLeftovers()
            }
        } finally {
            Files.delete(small.root.resolve("filler"))
        }
    }

    test("growth reserves too: growing past the file system is refused, and the segment stays as it was") {
        val path = small.root.resolve("grows")
        Segment.open(Backing.file(path), OpenMode.CREATE_NEW, Growing.spec()).use { segment ->
            val error = shouldThrow<SegmentException> { segment.grow(8L * 1024 * 1024) }
            error.message shouldContain path.toString()
            error.message shouldContain "${8L * 1024 * 1024 - 4096} bytes"
            segment.mappedSize() shouldBe 4096
            segment.fileSize() shouldBe 4096
            segment.grow(64 * 1024)
            segment.mappedSize() shouldBe 64 * 1024
            // Every page of the grown part is there: touching all of it cannot fault.
            MemorySegment.copy(ByteArray(60 * 1024) { 1 }, 0, segment.memory(), ValueLayout.JAVA_BYTE, 4096, 60 * 1024)
        }
        Files.delete(path)
    }

    test("where fallocate is not supported (ramfs), the bytes are reserved by touching the blocks") {
        SmallFileSystem("ramfs").use { ramfs ->
            val path = ramfs.root.resolve("on-ramfs")
            shouldThrow<LinuxException> {
                val fd = Fs.open(ramfs.root.resolve("probe").toString(), Fs.O_RDWR or Fs.O_CREAT, "600".toInt(8))
                try {
                    fallocate(fd)
                } finally {
                    Fs.close(fd)
                }
            }.errno() shouldBe Errno.ENOTSUP
            TestCounters.open(Backing.file(path), OpenMode.CREATE_NEW, capacity = 4096).use { segment ->
                segment.fileSize() shouldBe 128L + 4096 * 8
                segment.addCounter(4095, 3)
                segment.counter(4095) shouldBe 3
            }
        }
    }
})

/** Fills the file system of [path] with one file until it is full. */
private fun fill(path: Path) {
    val fd = Fs.open(path.toString(), Fs.O_RDWR or Fs.O_CREAT, "600".toInt(8))
    try {
        var size = 0L
        while (true) {
            try {
                Fs.reserve(fd, size, 4096)
                size += 4096
            } catch (e: LinuxException) {
                e.errno() shouldBe Errno.ENOSPC
                return
            }
        }
    } finally {
        Fs.close(fd)
    }
}

/** fallocate(fd, 0, 0, 4096) itself (not posix_fallocate, which would emulate it): shows the file system lacks it. */
private fun fallocate(fd: Int) {
    val linker = java.lang.foreign.Linker.nativeLinker()
    val handle = linker.downcallHandle(
        linker.defaultLookup().find("fallocate").orElseThrow(),
        java.lang.foreign.FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        java.lang.foreign.Linker.Option.captureCallState("errno"),
    )
    java.lang.foreign.Arena.ofConfined().use { arena ->
        val layout = java.lang.foreign.Linker.Option.captureStateLayout()
        val capture = arena.allocate(layout)
        val result = handle.invokeWithArguments(capture, fd, 0, 0L, 4096L) as Int
        if (result != 0) {
            val errno = capture.get(ValueLayout.JAVA_INT, layout.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")))
            throw LinuxException("fallocate", "fd $fd", errno)
        }
    }
}

/** A kind whose initialisation writes to the last page of its 64 KiB body. */
private object TouchingKind : SegmentKind {
    override fun name() = "touching"
    override fun magic() = SegmentHeader.magic("PLTT")
    override fun version() = 1
    override fun bodySize(variant: Int, capacity: Long, elementSize: Int) = 64L * 1024
    override fun initialize(memory: MemorySegment, header: SegmentHeader) {
        memory.set(ValueLayout.JAVA_LONG, memory.byteSize() - 8, 1L)
    }
    fun spec() = SegmentSpec(this, 0, 1, 1)
}

/** A growable kind of 4 KiB at first. */
private object Growing : SegmentKind {
    override fun name() = "growing"
    override fun magic() = SegmentHeader.magic("PLGG")
    override fun version() = 1
    override fun growable() = true
    override fun bodySize(variant: Int, capacity: Long, elementSize: Int) = 4096L - 128
    fun spec() = SegmentSpec(this, 0, 1, 1)
}
