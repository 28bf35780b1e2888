package io.plenum.segment

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.plenum.linux.Processes
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import io.plenum.testing.TempPaths
import io.plenum.testing.TestCounters
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.minutes

/** RECREATEs the segment at args[0] in a loop until killed; prints READY after the first. */
object RecreateForever : Scenario {
    override fun run(args: List<String>) {
        val path = Path.of(args[0])
        TestCounters.open(Backing.file(path), OpenMode.RECREATE).close()
        println("READY")
        while (true) {
            TestCounters.open(Backing.file(path), OpenMode.RECREATE).close()
        }
    }
}

/**
 * A RECREATE killed between its linkat and its rename leaves a hidden temporary behind; the next
 * create or recreate in the directory removes those of dead processes, and nothing else.
 */
class RecreateLeftoverSpec : FunSpec({
    val paths = TempPaths("leftovers")
    afterSpec { paths.close() }

    fun names(directory: Path): List<String> = Files.list(directory).use { list -> list.map { it.fileName.toString() }.toList() }

    test("leftovers of dead processes are removed by the next create; live ones and other files stay") {
        val directory = Files.createDirectory(paths.next("dir"))
        val segment = directory.resolve("seg")
        TestCounters.open(Backing.file(segment)).close()
        val plenumBytes = Files.readAllBytes(segment)
        // Above PID_MAX_LIMIT (2^22), the most pid_max can ever be: never a live process.
        val deadPid = (1 shl 22) + 1
        val me = Processes.currentPid()
        val start = Processes.currentStartTime()
        val ns = java.lang.Long.toHexString(Processes.currentPidNamespace())
        val removable = listOf(
            ".seg.plenum-$deadPid-123-$ns-5eed", // dead pid
            ".seg.plenum-$me-${start + 1}-$ns-5eed", // our pid, but another start: a reused pid
            ".seg.plenum-$deadPid-abc123", // the earlier format: pid only
            ".other.plenum-$deadPid-99-$ns-1", // another segment's leftover in the same directory
        )
        val kept = listOf(
            ".seg.plenum-$me-$start-$ns-5eed", // this very process, mid-RECREATE as far as anyone knows
            ".seg.plenum-$deadPid-123-${java.lang.Long.toHexString(Processes.currentPidNamespace() + 1)}-5eed", // another pid namespace
            ".seg.plenum-$deadPid-123-$ns-nothex", // not one of our names
            "seg.plenum-$deadPid-123-$ns-5eed", // not hidden
            ".seg.plenum-$deadPid", // too few fields
            ".notes", "seg",
        )
        for (name in removable + kept) {
            if (name != "seg") Files.write(directory.resolve(name), plenumBytes)
        }
        // Named like a leftover of a dead process, but not a Plenum file: it stays.
        val stranger = ".seg.plenum-$deadPid-7-$ns-abc"
        Files.writeString(directory.resolve(stranger), "not a segment")
        // A link named like one stays too: leftovers are regular files.
        val link = ".seg.plenum-$deadPid-8-$ns-abc"
        Files.createSymbolicLink(directory.resolve(link), segment)

        TestCounters.open(Backing.file(segment), OpenMode.RECREATE).close()
        names(directory) shouldContainExactlyInAnyOrder kept + stranger + link

        // A plain create in the directory cleans up as well.
        Files.write(directory.resolve(removable[0]), plenumBytes)
        TestCounters.open(Backing.file(directory.resolve("another")), OpenMode.CREATE_NEW).close()
        names(directory) shouldNotContain removable[0]
        names(directory).contains("another") shouldBe true
    }

    test("RECREATE killed -9 at random moments: the next RECREATE leaves no temporary of the dead behind") {
        val directory = Files.createDirectory(paths.next("killed"))
        val segment = directory.resolve("seg")
        var seen = 0
        repeat(6) { round ->
            ChildJvm.start(RecreateForever::class, segment, name = "recreate-$round").use { child ->
                child.awaitLine("READY", 2.minutes)
                Thread.sleep((round * 37L) % 150)
                child.kill9()
            }
            seen += names(directory).count { it.contains(".plenum-") }
            TestCounters.open(Backing.file(segment), OpenMode.RECREATE).close()
            names(directory).filter { it.contains(".plenum-") } shouldBe emptyList()
        }
        println("RecreateLeftoverSpec: $seen leftovers seen after 6 kills, all removed")
    }
})
