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
import java.lang.foreign.ValueLayout

/** Every backing passes the same contract. */
class SegmentContractSpec : FunSpec({
    val paths = TempPaths("contract")
    afterSpec {
        // The shm-name backing lives in /dev/shm itself, beside the test's directory: remove those too.
        val prefix = "${paths.root.fileName}-"
        java.io.File("/dev/shm").listFiles { file -> file.name.startsWith(prefix) }?.forEach { it.delete() }
        paths.close()
    }

    val backings: List<Pair<String, () -> Backing>> = listOf(
        "file" to { Backing.file(paths.next()) },
        "shm name" to { Backing.shm("${paths.root.fileName}-${System.nanoTime()}") },
        "memfd" to { Backing.memfd("plenum-contract") },
        "anonymous" to { Backing.anonymous() },
        "fd of an empty memfd" to { Backing.fd(Fs.memfdCreate("plenum-empty")) },
    )

    for ((name, backing) in backings) {
        context("backing: $name") {
            test("creates a segment with the requested geometry and a zeroed body") {
                TestCounters.open(backing(), capacity = 32).use { segment ->
                    segment.created() shouldBe true
                    segment.header().capacity() shouldBe 32
                    segment.header().elementSize() shouldBe 8
                    segment.header().variant() shouldBe TestCounters.VARIANT
                    segment.header().bodyOffset() shouldBe SegmentHeader.BODY_OFFSET
                    segment.mappedSize() shouldBe SegmentHeader.BODY_OFFSET + 32 * 8
                    segment.fileSize() shouldBe segment.mappedSize()
                    (0 until 32).all { segment.counter(it) == 0L } shouldBe true
                    segment.body().byteSize() shouldBe 32 * 8
                }
            }

            test("atomic updates are visible, sync works, stats are consistent") {
                TestCounters.open(backing()).use { segment ->
                    segment.addCounter(3, 5)
                    segment.addCounter(3, 6) shouldBe 5
                    segment.counter(3) shouldBe 11
                    segment.sync()
                    segment.describe().isNotEmpty() shouldBe true
                }
            }

            test("close is idempotent and use after close throws instead of crashing") {
                val segment = TestCounters.open(backing())
                val memory = segment.memory()
                segment.close()
                segment.close()
                segment.isClosed shouldBe true
                shouldThrow<IllegalStateException> { segment.memory() }.message shouldContain "closed"
                shouldThrow<IllegalStateException> { memory.get(ValueLayout.JAVA_LONG, 128) }
                shouldThrow<IllegalStateException> { segment.fd() }
                shouldThrow<IllegalStateException> { segment.sync() }
            }

            test("the open segment can be attached again through its fd, sharing memory") {
                TestCounters.open(backing()).use { segment ->
                    if (segment.fd() >= 0) {
                        Segment.open(Backing.fd(segment.fd()), OpenMode.OPEN_EXISTING, TestCounters.anySpec()).use { again ->
                            again.created() shouldBe false
                            segment.addCounter(1, 9)
                            again.counter(1) shouldBe 9
                        }
                    } else {
                        shouldThrow<IllegalArgumentException> { Backing.fd(segment.fd()) }
                    }
                }
            }
        }
    }
})
