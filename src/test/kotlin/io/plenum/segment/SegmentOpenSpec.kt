package io.plenum.segment

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.linux.Fs
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import io.plenum.testing.counter
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

class SegmentOpenSpec : FunSpec({
    val paths = TempPaths("open")
    afterSpec { paths.close() }

    test("open modes: CREATE_NEW, OPEN_EXISTING, CREATE_OR_OPEN, RECREATE") {
        val path = paths.next()
        shouldThrow<SegmentNotFoundException> { TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING) }
            .message shouldContain path.toString()
        Files.exists(path) shouldBe false
        TestCounters.open(Backing.file(path), OpenMode.CREATE_NEW).use { first ->
            first.created() shouldBe true
            first.addCounter(0, 41)
            shouldThrow<SegmentExistsException> { TestCounters.open(Backing.file(path), OpenMode.CREATE_NEW) }
            TestCounters.open(Backing.file(path)).use { second ->
                second.created() shouldBe false
                second.counter(0) shouldBe 41
            }
            TestCounters.open(Backing.file(path), OpenMode.RECREATE).use { fresh ->
                fresh.created() shouldBe true
                fresh.counter(0) shouldBe 0
                first.counter(0) shouldBe 41
                first.unlink() shouldBe false
            }
            TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING).use { it.counter(0) shouldBe 0 }
        }
    }

    test("data persists across close and reopen") {
        val path = paths.next()
        TestCounters.open(Backing.file(path), capacity = 8).use { it.addCounter(7, 1234) }
        Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, TestCounters.anySpec()).use {
            it.header().capacity() shouldBe 8
            it.counter(7) shouldBe 1234
        }
    }

    test("files are created 0600 unless another mode is given") {
        val path = paths.next()
        TestCounters.open(Backing.file(path)).use { }
        PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) shouldBe "rw-------"
        val shared = paths.next()
        Segment.open(Backing.file(shared), OpenMode.CREATE_NEW, TestCounters.spec().withFileMode("640".toInt(8))).use { }
        PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)) shouldBe "rw-r-----"
    }

    test("reopening takes the header's geometry; a conflicting request is an error that names the field") {
        val path = paths.next()
        TestCounters.open(Backing.file(path), capacity = 16).use { }
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(path), capacity = 17) }.message.let {
            it shouldContain path.toString()
            it shouldContain "capacity"
            it shouldContain "17"
            it shouldContain "16"
        }
        shouldThrow<SegmentFormatException> {
            Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, SegmentSpec(TestCounters, 3, -1, -1))
        }.message shouldContain "variant"
        shouldThrow<SegmentFormatException> {
            Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, SegmentSpec(OtherKind, -1, -1, -1))
        }.message shouldContain "another kind"
    }

    test("creating without a geometry, or with an invalid one, is refused and leaves nothing behind") {
        val path = paths.next()
        shouldThrow<SegmentException> { Segment.open(Backing.file(path), OpenMode.CREATE_OR_OPEN, TestCounters.anySpec()) }
            .message shouldContain "capacity"
        shouldThrow<IllegalArgumentException> { TestCounters.open(Backing.file(path), capacity = 0) }
            .message shouldContain "capacity"
        Files.exists(path) shouldBe false
        Files.list(paths.root).use { it.toList() }.filter { it.fileName.toString().startsWith(".") } shouldBe emptyList()
    }

    test("files that are not Plenum segments are refused and left unchanged") {
        val random = ByteArray(4096).also { java.util.Random(1).nextBytes(it) }
        val cases = mapOf(
            "random bytes" to random,
            "all zeros" to ByteArray(4096),
            "too small" to ByteArray(10) { 1 },
            "empty" to ByteArray(0),
            "a truncated segment" to truncatedSegment(paths),
        )
        for ((name, bytes) in cases) {
            val path = paths.next(name.replace(' ', '-'))
            Files.write(path, bytes)
            val error = shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(path)) }
            error.message shouldContain path.toString()
            Files.readAllBytes(path).contentEquals(bytes) shouldBe true
        }
    }

    test("a symbolic link is refused, whether it points to a decoy or to a real segment, and the target is untouched") {
        val decoy = paths.next("decoy")
        Files.writeString(decoy, "precious")
        val link = paths.next("link")
        Files.createSymbolicLink(link, decoy)
        for (mode in listOf(OpenMode.CREATE_OR_OPEN, OpenMode.OPEN_EXISTING)) {
            shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(link), mode) }
                .message shouldContain "symbolic link"
        }
        shouldThrow<SegmentExistsException> { TestCounters.open(Backing.file(link), OpenMode.CREATE_NEW) }
        Files.readString(decoy) shouldBe "precious"

        val real = paths.next("real")
        TestCounters.open(Backing.file(real)).use { }
        val linkToReal = paths.next("link-to-real")
        Files.createSymbolicLink(linkToReal, real)
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(linkToReal)) }
        val dangling = paths.next("dangling")
        Files.createSymbolicLink(dangling, paths.next("nothing"))
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(dangling)) }
        Files.exists(paths.root.resolve("nothing")) shouldBe false
    }

    test("a directory, a FIFO or a device at the path is refused") {
        val directory = paths.next("dir")
        Files.createDirectory(directory)
        shouldThrow<SegmentException> { TestCounters.open(Backing.file(directory)) }.message shouldContain directory.toString()
        val fifo = paths.next("fifo")
        ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() shouldBe 0
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(fifo)) }.message shouldContain "regular file"
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file("/dev/zero")) }.message shouldContain "regular file"
    }

    test("a missing directory and an invalid shm name give clear errors") {
        shouldThrow<SegmentException> { TestCounters.open(Backing.file(paths.root.resolve("no/such/dir/x"))) }
            .message shouldContain "does not exist"
        for (bad in listOf("", "/", "a/b", "..", "x".repeat(256))) {
            shouldThrow<SegmentException> { Backing.shm(bad) }.message shouldContain "shm name"
        }
        Backing.shm("/ok-name").describe() shouldBe "/dev/shm/ok-name"
    }

    test("unlink removes the name only while it still refers to this segment") {
        val path = paths.next()
        TestCounters.open(Backing.file(path)).use { segment ->
            segment.path().get() shouldBe path
            segment.unlink() shouldBe true
            Files.exists(path) shouldBe false
            segment.unlink() shouldBe false
            segment.addCounter(0, 1) shouldBe 0
        }
    }

    test("an fd backing initialises an empty file once and then opens it; CREATE_NEW refuses a non-empty one") {
        val fd = Fs.memfdCreate("plenum-fd")
        try {
            TestCounters.open(Backing.fd(fd)).use { first ->
                first.created() shouldBe true
                first.addCounter(2, 3)
                TestCounters.open(Backing.fd(fd)).use { second ->
                    second.created() shouldBe false
                    second.counter(2) shouldBe 3
                }
            }
            shouldThrow<SegmentExistsException> { TestCounters.open(Backing.fd(fd), OpenMode.CREATE_NEW) }
            shouldThrow<SegmentException> { TestCounters.open(Backing.fd(fd), OpenMode.RECREATE) }.message shouldContain "RECREATE"
        } finally {
            Fs.close(fd)
        }
        val empty = Fs.memfdCreate("plenum-fd-empty")
        shouldThrow<SegmentNotFoundException> { TestCounters.open(Backing.fd(empty), OpenMode.OPEN_EXISTING) }
        Fs.fstat(empty).size() shouldBe 0
        Fs.close(empty)
    }

    test("a memfd segment is sealed against resizing") {
        TestCounters.open(Backing.memfd("sealed")).use { segment ->
            shouldThrow<io.plenum.linux.LinuxException> { Fs.ftruncate(segment.fd(), 0) }
            shouldThrow<io.plenum.linux.LinuxException> { Fs.ftruncate(segment.fd(), 1 shl 20) }
            shouldThrow<SegmentNotFoundException> { TestCounters.open(Backing.memfd("x"), OpenMode.OPEN_EXISTING) }
        }
    }

    test("a growable segment publishes its new size and other mappings follow on refresh") {
        val path = paths.next()
        Segment.open(Backing.file(path), OpenMode.CREATE_OR_OPEN, GrowableKind.spec()).use { grower ->
            Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, GrowableKind.spec()).use { follower ->
                val before = follower.memory()
                follower.refresh() shouldBe false
                grower.grow(1 shl 16)
                grower.mappedSize() shouldBe (1 shl 16)
                grower.memory().set(java.lang.foreign.ValueLayout.JAVA_LONG, 60_000, 99)
                follower.refresh() shouldBe true
                follower.mappedSize() shouldBe (1 shl 16)
                follower.memory().get(java.lang.foreign.ValueLayout.JAVA_LONG, 60_000) shouldBe 99
                before.get(java.lang.foreign.ValueLayout.JAVA_LONG, 128) shouldBe 0
            }
            Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, GrowableKind.spec()).use { late ->
                late.mappedSize() shouldBe (1 shl 16)
            }
        }
        TestCounters.open(Backing.file(paths.next())).use { fixed ->
            shouldThrow<UnsupportedOperationException> { fixed.grow(1 shl 16) }
        }
    }
})

/** A Plenum kind other than [TestCounters], to check that kinds are told apart. */
private object OtherKind : SegmentKind {
    override fun name() = "other"
    override fun magic() = SegmentHeader.magic("PLOT")
    override fun version() = 1
    override fun bodySize(variant: Int, capacity: Long, elementSize: Int) = capacity * elementSize
}

/** A growable kind: 4 KiB at first. */
internal object GrowableKind : SegmentKind {
    override fun name() = "growable"
    override fun magic() = SegmentHeader.magic("PLGR")
    override fun version() = 1
    override fun growable() = true
    override fun bodySize(variant: Int, capacity: Long, elementSize: Int) = 4096L - 128
    fun spec() = SegmentSpec(this, 0, 1, 1)
}

private fun truncatedSegment(paths: TempPaths): ByteArray {
    val path = paths.next("source")
    TestCounters.open(Backing.file(path), capacity = 64).use { }
    val bytes = Files.readAllBytes(path)
    return bytes.copyOf(bytes.size / 2)
}
