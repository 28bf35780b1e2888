package io.plenum.segment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TempPaths
import kotlin.time.Duration.Companion.seconds

/** Grows a segment by 4 KiB at a time, as fast as it can, until it maps [args] 1 bytes. */
object GrowingScenario : Scenario {
    override fun run(args: List<String>) {
        Segment.open(Backing.file(args[0]), OpenMode.OPEN_EXISTING, GrowableKind.spec()).use { segment ->
            println("growing")
            val limit = args[1].toLong()
            var size = segment.mappedSize()
            while (size < limit) {
                size += 4096
                segment.grow(size)
            }
            println("grown")
        }
    }
}

/**
 * An open that races a growth in another process must judge one consistent pair (published size,
 * file size): a growth between two reads of the published size looked like a corrupt header
 * ("field mappedSize: … bytes, but the file has …") and refused a sound segment.
 */
class OpenWhileGrowingSpec : FunSpec({
    val paths = TempPaths("open-growing")
    afterSpec { paths.close() }

    test("opens racing growth in another JVM all succeed and see at least the size they started with") {
        val path = paths.next("growing")
        Segment.open(Backing.file(path), OpenMode.CREATE_NEW, GrowableKind.spec()).close()
        ChildJvm.start(GrowingScenario::class, path, 64L shl 20).use { grower ->
            grower.awaitLine("growing")
            var opens = 0L
            while (grower.isAlive && !grower.output.contains("grown")) {
                Segment.open(Backing.file(path), OpenMode.OPEN_EXISTING, GrowableKind.spec()).use { segment ->
                    segment.mappedSize() shouldBeGreaterThan 0L
                }
                opens++
            }
            grower.awaitSuccess(120.seconds)
            println("opens while growing: $opens")
            opens shouldBeGreaterThan 0L
        }
    }
})
