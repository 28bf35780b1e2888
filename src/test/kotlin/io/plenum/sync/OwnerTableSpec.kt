package io.plenum.sync

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.plenum.linux.Processes
import java.lang.foreign.Arena
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout

/** Writes a registration into entry [index] by hand, as a process with these facts would have. */
fun MemorySegment.fakeEntry(index: Int, generation: Int, pid: Int, startTime: Long, namespace: Long = Processes.currentPidNamespace()): Int {
    val entry = OwnerTable.HEADER_SIZE + OwnerTable.ENTRY_SIZE * index
    set(ValueLayout.JAVA_LONG, entry + OwnerTable.IDENT_OFFSET, (generation.toLong() shl 32) or (pid.toLong() and 0xFFFF_FFFFL))
    set(ValueLayout.JAVA_LONG, entry + OwnerTable.START_TIME_OFFSET, startTime)
    set(ValueLayout.JAVA_LONG, entry + OwnerTable.PID_NAMESPACE_OFFSET, namespace)
    set(ValueLayout.JAVA_INT, entry + OwnerTable.COMMITTED_OFFSET, generation)
    return OwnerTable.token(index, generation)
}

class OwnerTableSpec : FunSpec({
    val arena = Arena.ofShared()
    afterSpec { arena.close() }

    fun table(entries: Int = 8): Pair<MemorySegment, OwnerTable> {
        val memory = arena.allocate(OwnerTable.bytesFor(entries), 64)
        OwnerTable.initialize(memory, 0, entries)
        return memory to OwnerTable(memory, 0, entries, "test table")
    }

    test("this process registers once, with a non-zero token that is alive") {
        val (_, owners) = table()
        val token = owners.currentOwner()
        token shouldNotBe OwnerTable.NO_OWNER
        owners.currentOwner() shouldBe token
        owners.status(token) shouldBe OwnerTable.Status.ALIVE
        owners.isDead(token) shouldBe false
        owners.pidOf(token) shouldBe Processes.currentPid()
        owners.status(OwnerTable.NO_OWNER) shouldBe OwnerTable.Status.NONE
    }

    test("a second handle on the same table finds this process's entry") {
        val (memory, owners) = table()
        val again = OwnerTable(memory, 0, 8, "again")
        again.currentOwner() shouldBe owners.currentOwner()
    }

    test("an owner whose pid is alive but whose start time differs counts as dead") {
        val (memory, owners) = table()
        val impostor = memory.fakeEntry(3, 1, Processes.currentPid(), Processes.currentStartTime() + 12345)
        owners.status(impostor) shouldBe OwnerTable.Status.DEAD
        val genuine = memory.fakeEntry(4, 1, Processes.currentPid(), Processes.currentStartTime())
        owners.status(genuine) shouldBe OwnerTable.Status.ALIVE
    }

    test("an owner whose process exited counts as dead, and its entry is reused with a new generation") {
        val (memory, owners) = table(1)
        val child = ProcessBuilder("true").start()
        child.waitFor()
        val pid = child.pid().toInt()
        val dead = memory.fakeEntry(0, 7, pid, 42)
        owners.status(dead) shouldBe OwnerTable.Status.DEAD
        // The only entry belongs to a dead process: registering reuses it.
        val mine = owners.currentOwner()
        OwnerTable.indexOf(mine) shouldBe 0
        mine shouldNotBe dead
        owners.status(mine) shouldBe OwnerTable.Status.ALIVE
        OwnerTable(memory, 0, 1, "fresh").status(dead) shouldBe OwnerTable.Status.DEAD
    }

    test("an entry claimed but not yet committed is judged by its pid alone, not by the previous owner's start time") {
        val (memory, owners) = table()
        val registering = memory.fakeEntry(1, 2, Processes.currentPid(), 99)
        val entry = OwnerTable.HEADER_SIZE + OwnerTable.ENTRY_SIZE * 1
        memory.set(ValueLayout.JAVA_INT, entry + OwnerTable.COMMITTED_OFFSET, 1)
        owners.status(registering) shouldBe OwnerTable.Status.ALIVE
        memory.set(ValueLayout.JAVA_INT, entry + OwnerTable.COMMITTED_OFFSET, 2)
        OwnerTable(memory, 0, 8, "fresh").status(registering) shouldBe OwnerTable.Status.DEAD
    }

    test("an owner in another pid namespace is never declared dead") {
        val (memory, owners) = table()
        val foreign = memory.fakeEntry(2, 1, 999_999, 1, namespace = Processes.currentPidNamespace() + 1)
        owners.status(foreign) shouldBe OwnerTable.Status.FOREIGN_NAMESPACE
        owners.isDead(foreign) shouldBe false
    }

    test("a table full of live processes refuses to register, naming the table") {
        val (memory, _) = table(2)
        memory.fakeEntry(0, 1, 1, Processes.startTime(1))
        memory.fakeEntry(1, 1, 1, Processes.startTime(1))
        val owners = OwnerTable(memory, 0, 2, "full table")
        shouldThrow<IllegalStateException> { owners.currentOwner() }.message shouldContain "full table"
    }

    test("bad geometry is rejected with the field and the limit") {
        shouldThrow<IllegalArgumentException> { OwnerTable.bytesFor(0) }.message shouldContain "1..4096"
        val memory = arena.allocate(64, 64)
        shouldThrow<io.plenum.segment.SegmentFormatException> { OwnerTable(memory, 0, 1, "blank") }.message shouldContain "magic"
        shouldThrow<IllegalArgumentException> { OwnerTable.initialize(memory, 4, 1) }.message shouldContain "8-aligned"
        shouldThrow<IndexOutOfBoundsException> { OwnerTable.initialize(memory, 0, 8) }
    }

    test("tokens encode index and a non-zero generation") {
        OwnerTable.nextGeneration(OwnerTable.GENERATION_MASK) and OwnerTable.GENERATION_MASK shouldNotBe 0
        OwnerTable.indexOf(OwnerTable.token(4095, 3)) shouldBe 4095
    }
})
