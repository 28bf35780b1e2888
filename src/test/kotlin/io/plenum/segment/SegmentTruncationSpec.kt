package io.plenum.segment

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.plenum.linux.Errno
import io.plenum.linux.Fs
import io.plenum.linux.LinuxException
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import java.lang.foreign.ValueLayout
import java.nio.file.Path
import kotlin.time.Duration.Companion.minutes

private val LONG = ValueLayout.JAVA_LONG.varHandle()

/** Counters past the first page of a [TestCounters] segment of [CAPACITY] counters. */
private const val CAPACITY = 4096L
private const val FAR = 4000L

/**
 * In an interpreter-only JVM (the paths where a fault is least guarded): opens the segment, waits
 * for the parent to truncate it, then (1) a plain load of a page past the end, which HotSpot turns
 * into an InternalError, made a Plenum exception by memoryFault; (2) an interpreted compareAndSet on
 * the now refused handle, which must throw instead of dying with SIGBUS.
 */
object TruncatedUnderInterpreter : Scenario {
    override fun run(args: List<String>) {
        TestCounters.open(Backing.file(Path.of(args[0])), OpenMode.OPEN_EXISTING, CAPACITY).use { segment ->
            val memory = segment.memory()
            val far = segment.header().bodyOffset() + FAR * 8
            LONG.getAndAdd(memory, far, 1L)
            println("READY")
            readln()
            try {
                memory.get(ValueLayout.JAVA_LONG, far)
                println("NO FAULT")
            } catch (e: InternalError) {
                val plenum = segment.memoryFault(e)
                println("FAULT ${plenum.javaClass.simpleName}: ${plenum.message}")
            }
            try {
                LONG.compareAndSet(memory, far, 1L, 2L)
                println("CAS RAN")
            } catch (e: IllegalStateException) {
                println("CAS REFUSED ${e.javaClass.simpleName}")
            }
            try {
                segment.memory()
            } catch (e: SegmentTruncatedException) {
                println("MEMORY REFUSED")
            }
        }
        println("CLOSED")
    }
}

class SegmentTruncationSpec : FunSpec({
    val paths = TempPaths("truncation")
    afterSpec { paths.close() }

    fun truncate(path: Path, size: Long) {
        val fd = Fs.open(path.toString(), Fs.O_RDWR, 0)
        try {
            Fs.ftruncate(fd, size)
        } finally {
            Fs.close(fd)
        }
    }

    test("slow paths notice a file shrunk under the mapping and refuse the handle: later accesses throw, never fault") {
        val path = paths.next()
        val segment = TestCounters.open(Backing.file(path), capacity = CAPACITY)
        val memory = segment.memory()
        val far = segment.header().bodyOffset() + FAR * 8
        segment.addCounter(FAR.toInt(), 7)
        truncate(path, 4096)
        val error = shouldThrow<SegmentTruncatedException> { segment.checkIntact() }
        error.message shouldContain path.toString()
        error.message shouldContain "4096 bytes"
        shouldThrow<SegmentTruncatedException> { segment.memory() }.message shouldContain path.toString()
        shouldThrow<SegmentTruncatedException> { segment.fileSize() }
        shouldThrow<SegmentTruncatedException> { segment.refresh() }
        // The mapping is gone: a compareAndSet through the memory a structure kept throws in any
        // execution mode, where on the truncated page it could have killed an interpreted JVM.
        shouldThrow<IllegalStateException> { LONG.compareAndSet(memory, far, 7L, 8L) }
        shouldThrow<IllegalStateException> { memory.get(ValueLayout.JAVA_LONG, 0L) }
        segment.close()
        segment.isClosed shouldBe true
        // Opening it again is refused by the header check, as one of the family.
        shouldThrow<SegmentFormatException> { TestCounters.open(Backing.file(path), OpenMode.OPEN_EXISTING, CAPACITY) }
            .message shouldContain "mappedSize"
    }

    test("refresh and grow notice the shrink too") {
        val path = paths.next()
        Segment.open(Backing.file(path), OpenMode.CREATE_NEW, GrowsBy4k.spec()).use { segment ->
            segment.grow(16384)
            truncate(path, 8192)
            shouldThrow<SegmentTruncatedException> { segment.grow(32768) }.message shouldContain path.toString()
        }
        // refresh looks at the file when another handle published a larger size.
        val other = paths.next()
        Segment.open(Backing.file(other), OpenMode.CREATE_NEW, GrowsBy4k.spec()).use { grower ->
            Segment.open(Backing.file(other), OpenMode.OPEN_EXISTING, GrowsBy4k.spec()).use { follower ->
                grower.grow(16384)
                truncate(other, 2048)
                shouldThrow<SegmentTruncatedException> { follower.refresh() }.message shouldContain "2048 bytes"
                shouldThrow<SegmentTruncatedException> { follower.memory() }
            }
        }
    }

    test("a memory fault in an interpreted JVM becomes a Plenum exception naming the segment, and the JVM lives") {
        val path = paths.next()
        TestCounters.open(Backing.file(path), capacity = CAPACITY).use { }
        ChildJvm.start(TruncatedUnderInterpreter::class, path, options = ChildJvm.jvmOptions + "-Xint").use { child ->
            child.awaitLine("READY", 2.minutes)
            truncate(path, 4096)
            child.send("go")
            child.awaitLine(2.minutes) { it.startsWith("FAULT") } shouldContain
                "SegmentTruncatedException: $path: the file has 4096 bytes"
            child.awaitLine("CAS REFUSED IllegalStateException", 2.minutes)
            child.awaitLine("MEMORY REFUSED", 2.minutes)
            child.awaitLine("CLOSED", 2.minutes)
            child.awaitSuccess(2.minutes)
            child.output.contains("SIGBUS") shouldBe false
        }
    }

    test("memfd segments are sealed, the seals themselves last: nobody can truncate them") {
        TestCounters.open(Backing.memfd("sealed-seals")).use { segment ->
            val seals = Fs.seals(segment.fd())
            seals and Fs.F_SEAL_SHRINK shouldNotBe 0
            seals and Fs.F_SEAL_GROW shouldNotBe 0
            seals and Fs.F_SEAL_SEAL shouldNotBe 0
            shouldThrow<LinuxException> { Fs.addSeals(segment.fd(), Fs.F_SEAL_SHRINK) }.errno() shouldBe Errno.EPERM
            shouldThrow<LinuxException> { Fs.ftruncate(segment.fd(), 0) }.errno() shouldBe Errno.EPERM
        }
        Segment.open(Backing.memfd("growable-sealed"), OpenMode.CREATE_OR_OPEN, GrowsBy4k.spec()).use { segment ->
            val seals = Fs.seals(segment.fd())
            seals and Fs.F_SEAL_GROW shouldBe 0
            seals and Fs.F_SEAL_SEAL shouldNotBe 0
            segment.grow(8192)
            segment.mappedSize() shouldBe 8192
        }
    }

    test("memoryFault on an intact segment still names it") {
        TestCounters.open(Backing.file(paths.next())).use { segment ->
            val error = segment.memoryFault(InternalError("a fault occurred in an unsafe memory access operation"))
            error.shouldBeInstanceOf<SegmentTruncatedException>()
            error.message shouldContain segment.describe()
            segment.memory() // not refused: the file covers the mapping
        }
    }
})

private object GrowsBy4k : SegmentKind {
    override fun name() = "grows-by-4k"
    override fun magic() = SegmentHeader.magic("PLG4")
    override fun version() = 1
    override fun growable() = true
    override fun bodySize(variant: Int, capacity: Long, elementSize: Int) = 4096L - 128
    fun spec() = SegmentSpec(this, 0, 1, 1)
}
