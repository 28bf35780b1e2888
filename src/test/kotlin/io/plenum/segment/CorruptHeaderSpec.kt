package io.plenum.segment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import io.plenum.testing.addCounter
import io.plenum.testing.counter
import java.nio.file.Files
import java.util.Random

/**
 * 1,000 random corruptions of a valid header: each is rejected with a [SegmentFormatException] or
 * opens as a consistent segment whose every element can be used. Nothing else may happen.
 */
class CorruptHeaderSpec : FunSpec({
    val paths = TempPaths("corrupt")
    afterSpec { paths.close() }

    test("1,000 corrupted headers are each rejected or opened consistently") {
        val source = paths.next("valid")
        TestCounters.open(Backing.file(source), capacity = 32).use { it.addCounter(5, 55) }
        val valid = Files.readAllBytes(source)
        val random = Random(20261122)
        var rejected = 0
        var opened = 0
        repeat(1000) { round ->
            val bytes = valid.copyOf()
            repeat(1 + random.nextInt(3)) {
                val at = random.nextInt(SegmentHeader.SIZE)
                bytes[at] = (bytes[at].toInt() xor (1 + random.nextInt(255))).toByte()
            }
            val path = paths.next("corrupt-$round")
            Files.write(path, bytes)
            try {
                Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, TestCounters.anySpec()).use { segment ->
                    val capacity = segment.header().capacity().toInt()
                    segment.mappedSize() shouldBe SegmentHeader.BODY_OFFSET + capacity * 8L
                    segment.counter(5) shouldBe 55
                    for (i in 0 until capacity) segment.addCounter(i, 1)
                    opened++
                }
            } catch (e: SegmentFormatException) {
                rejected++
            }
            Files.delete(path)
        }
        println("corrupt headers: $rejected rejected, $opened opened consistently")
        (rejected + opened) shouldBe 1000
        rejected shouldBeGreaterThan 990
    }
})
