package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.plenum.linux.Processes
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths

/**
 * Handing a slot from one process to another: the receiver adopts it (one CAS makes it the owner),
 * and no late free, adoption or ticket can touch a newer allocation of the same index.
 */
class PoolTransferSpec : FunSpec({
    val paths = TempPaths("pool-transfer")
    afterSpec { paths.close() }

    /** Starts a giver that holds one slot; returns it with the slot and its ticket. */
    fun giver(path: String): Triple<ChildJvm, Int, Long> {
        val child = ChildJvm.start(GiveSlot::class, path)
        val (_, slot, ticket) = child.awaitLine { it.startsWith("GAVE") }.split(" ")
        return Triple(child, slot.toInt(), ticket.toLong())
    }

    test("after the giver dies and its slot is recovered and allocated again, the receiver's free, adopt and ticket free change nothing") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 1 }.use { pool ->
            ChildJvm.start(FreeOnRequest::class, path).use { receiver ->
                receiver.awaitLine("READY")
                val (giver, slot, ticket) = giver(path)
                giver.kill9()
                pool.recoverStale() shouldBe 1
                pool.allocAndSetBlocking(42) shouldBe slot
                receiver.send("free $slot")
                receiver.awaitLine("FREED $slot false")
                receiver.send("adopt $ticket")
                receiver.awaitLine("ADOPTED $ticket false")
                receiver.send("freeTicket $ticket")
                receiver.awaitLine("FREED_TICKET $ticket false")
                pool.owner(slot) shouldBe Processes.currentPid()
                pool[slot] shouldBe 42
                pool.free(slot) shouldBe true
                receiver.send("exit")
                receiver.awaitSuccess()
            }
        }
    }

    test("an adopted slot is the receiver's: the giver's death and recovery leave it alone, the receiver frees it") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 1 }.use { pool ->
            ChildJvm.start(FreeOnRequest::class, path).use { receiver ->
                receiver.awaitLine("READY")
                val (giver, slot, ticket) = giver(path)
                pool[slot] shouldBe giver.pid
                receiver.send("adopt $ticket")
                receiver.awaitLine("ADOPTED $ticket true")
                pool.owner(slot).toLong() shouldBe receiver.pid
                giver.kill9()
                pool.recoverStale() shouldBe 0
                pool.isAllocated(slot) shouldBe true
                pool.tryAlloc() shouldBe null
                // The old ticket names the giver's allocation, which is over.
                pool.free(SlotTicket.fromLong(ticket)) shouldBe false
                pool.free(slot) shouldBe false // not this process's
                receiver.send("free $slot")
                receiver.awaitLine("FREED $slot true")
                pool.used() shouldBe 0
                receiver.send("exit")
                receiver.awaitSuccess()
            }
        }
    }

    test("tickets: taken only from allocated slots, round-trip through a long, checked") {
        SharedLongPool(io.plenum.segment.Backing.anonymous()) { capacity = 4 }.use { pool ->
            pool.ticket(0) shouldBe null
            val slot = pool.allocAndSetBlocking(7)
            val ticket = pool.ticket(slot)!!
            ticket.slot() shouldBe slot
            SlotTicket.fromLong(ticket.toLong()) shouldBe ticket
            pool.adopt(ticket) shouldBe true // already this process's
            pool.free(ticket) shouldBe true
            pool.free(ticket) shouldBe false
            pool.adopt(ticket) shouldBe false
            shouldThrowMessage<IndexOutOfBoundsException>("slot 9") { pool.adopt(SlotTicket(9, ticket.owner())) }
            shouldThrowMessage<IllegalArgumentException>("owner") { SlotTicket(0, 0) }
            shouldThrowMessage<IllegalArgumentException>("slot") { SlotTicket(-1, ticket.owner()) }
            ticket.owner() shouldNotBe 0
        }
    }
})

private inline fun <reified T : Throwable> shouldThrowMessage(part: String, block: () -> Unit) {
    val thrown = io.kotest.assertions.throwables.shouldThrow<T>(block)
    (thrown.message ?: "").contains(part) shouldBe true
}
