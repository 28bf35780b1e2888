package io.plenum.testing

import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.Segment
import io.plenum.segment.SegmentHeader
import io.plenum.segment.SegmentKind
import io.plenum.segment.SegmentSpec
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout

/**
 * A minimal segment kind for testing the segment layer: `capacity` 64-bit counters after the header,
 * the first one initialised to [INITIAL] so that tests can tell an initialised body from zeros.
 */
object TestCounters : SegmentKind {
    const val INITIAL = 0L
    const val VARIANT = 7

    override fun name() = "test-counters"
    override fun magic() = SegmentHeader.magic("PLTC")
    override fun version() = 1
    override fun variantName(variant: Int) = if (variant == VARIANT) "COUNTERS" else "variant $variant"

    override fun bodySize(variant: Int, capacity: Long, elementSize: Int): Long {
        require(variant == VARIANT) { "variant must be $VARIANT, not $variant" }
        require(elementSize == 8) { "elementSize must be 8, not $elementSize" }
        require(capacity in 1..(1L shl 32)) { "capacity must be 1..2^32, not $capacity" }
        return Math.multiplyExact(capacity, 8L)
    }

    fun spec(capacity: Long = 16) = SegmentSpec(this, VARIANT, capacity, 8)
    fun anySpec() = SegmentSpec(this, -1, -1, -1)

    fun open(backing: Backing, mode: OpenMode = OpenMode.CREATE_OR_OPEN, capacity: Long = 16): Segment =
        Segment.open(backing, mode, spec(capacity))
}

private val LONG_HANDLE = ValueLayout.JAVA_LONG.varHandle()

/** Atomically adds to counter [index] of a [TestCounters] segment. */
fun Segment.addCounter(index: Int, delta: Long): Long =
    LONG_HANDLE.getAndAdd(memory(), header().bodyOffset() + index * 8L, delta) as Long

fun Segment.counter(index: Int): Long = LONG_HANDLE.getVolatile(memory(), header().bodyOffset() + index * 8L) as Long

fun MemorySegment.longAt(offset: Long): Long = get(ValueLayout.JAVA_LONG, offset)
