package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * An allocation that gets a dead holder's slot says so ([PoolSlot.recovered]), as a lock reports
 * RECOVERED: exactly the allocation that takes a slot a recovery took back from the dead is told,
 * on every path that returns a guard; the paths that return bare indexes take such slots as free.
 */
class PoolRecoveredSlotSpec : FunSpec({
    val paths = TempPaths("pool-recovered")
    afterSpec { paths.close() }

    /** A pool at a fresh path whose [capacity] slots a killed child JVM held, each holding the child's pid. */
    fun poolOfTheDead(capacity: Int): Pair<SharedLongPool, Long> {
        val path = paths.next().toString()
        val pool = SharedLongPool(path) { this.capacity = capacity }
        val child = ChildJvm.start(HoldSlots::class, path, capacity)
        child.awaitLine { it.startsWith("HELD") }
        child.kill9()
        return pool to child.pid
    }

    test("a blocked allocSlot on a pool full of a killed process's slots gets one, says it was recovered, and sees what the dead wrote") {
        val (pool, deadPid) = poolOfTheDead(3)
        pool.use {
            // One slot as a process killed while writing its first value leaves it (CLAIMED by the dead).
            pool.writeOwnerWord(2, pool.ownerWord(2) or SlotAllocator.BUSY)
            val first = pool.allocSlotBlocking()
            first.recovered() shouldBe true
            pool[first.index()] shouldBe deadPid
            pool.stats().recoveries shouldBe 3
            // The same scan took the other two back; the allocations that take them are told too.
            val rest = listOf(pool.tryAllocSlot()!!, pool.tryAllocSlot()!!)
            rest.map { it.recovered() } shouldBe listOf(true, true)
            pool.tryAllocSlot() shouldBe null
            // A slot this process freed is an ordinary free slot again.
            first.close()
            pool.tryAllocSlot()!!.recovered() shouldBe false
            pool.inconsistentSlots().shouldBeEmpty()
        }
    }

    test("the suspending allocSlot and Java's allocSlotAsync report it, and only for the dead's slots") {
        val (pool, deadPid) = poolOfTheDead(2)
        pool.use {
            val suspended = runBlocking { withTimeout(10_000) { pool.allocSlot() } }
            suspended.recovered() shouldBe true
            pool[suspended.index()] shouldBe deadPid
            val async = pool.allocSlotAsync().get(10, TimeUnit.SECONDS)
            async.recovered() shouldBe true
            async.toString().contains("recovered") shouldBe true
            suspended.close()
            async.close()
            runBlocking { pool.allocSlot() }.recovered() shouldBe false
            pool.allocSlotAsync().get(10, TimeUnit.SECONDS).recovered() shouldBe false
        }
    }

    test("a recovered slot given back unused is reported to the next allocation instead") {
        SharedLongPool(Backing.anonymous()) { capacity = 1 }.use { pool ->
            pool.writeOwnerWord(0, SlotAllocator.RECOVERED) // as a recovery leaves it
            val taken = pool.tryAllocSlot()!!
            taken.recovered() shouldBe true
            taken.giveBack() // what a cancelled suspending allocSlot does with a guard that arrived late
            pool.ownerWord(0) shouldBe SlotAllocator.RECOVERED
            val again = pool.tryAllocSlot()!!
            again.recovered() shouldBe true
            again.close()
            pool.ownerWord(0) shouldBe 0
            pool.tryAllocSlot()!!.recovered() shouldBe false
        }
    }

    test("the allocations that return indexes take recovered slots as free ones, with the right indexes") {
        SharedLongPool(Backing.anonymous()) { capacity = 7 }.use { pool ->
            (0 until 7).forEach { pool.writeOwnerWord(it, SlotAllocator.RECOVERED) }
            pool.used() shouldBe 0
            pool.available() shouldBe 7
            val taken = buildList {
                addAll(pool.tryAllocN(2)!!.toList())
                add(pool.tryAllocIndex())
                add(pool.allocBlocking())
                addAll(pool.allocNAsync(2).get(10, TimeUnit.SECONDS).toList())
                add(pool.allocAndSetBlocking(42L))
            }
            taken.sorted() shouldBe (0 until 7).toList()
            taken.all { pool.isAllocated(it) } shouldBe true
            pool[taken.last()] shouldBe 42L
            pool.used() shouldBe 7
            pool.inconsistentSlots().shouldBeEmpty()
            pool.freeN(*taken.toIntArray()) shouldBe 7
            (0 until 7).map { pool.ownerWord(it) }.toSet() shouldBe setOf(0)
        }
    }
})
