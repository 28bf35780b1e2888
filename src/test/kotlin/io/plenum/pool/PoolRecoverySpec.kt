package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import kotlin.time.Duration.Companion.seconds

/**
 * Crash recovery, one state at a time: every state that [SlotAllocator]'s proof says a process
 * killed at some instruction can leave is built with a real dead process's token, and recovery
 * must take it back, while the same states under a live token are left alone.
 */
class PoolRecoverySpec : FunSpec({
    val paths = TempPaths("pool-recovery")
    afterSpec { paths.close() }

    /** Starts a child that holds [count] slots and returns it with the slots. */
    fun holder(path: String, count: Int): Pair<ChildJvm, List<Int>> {
        val child = ChildJvm.start(HoldSlots::class, path, count)
        val slots = child.awaitLine { it.startsWith("HELD") }.split(" ").drop(1).map(String::toInt)
        return child to slots
    }

    test("every state a killed process can leave is recovered; the same states of a live process are not") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 100 }.use { pool ->
            val (dead, deadSlots) = holder(path, 2)
            val (live, liveSlots) = holder(path, 2)
            live.use {
                dead.kill9()
                val deadToken = pool.ownerWord(deadSlots[0])
                val liveToken = pool.ownerWord(liveSlots[0])
                deadToken shouldNotBe liveToken
                // HELD(D) as the child left it, and CLAIMED(D): killed while writing a first value
                // (allocAndSet) or while taking a batch (allocN).
                val busy = SlotAllocator.BUSY
                pool.writeOwnerWord(deadSlots[1], deadToken or busy)
                pool.writeOwnerWord(liveSlots[1], liveToken or busy)
                pool.used() shouldBe 4
                pool.isAllocated(deadSlots[1]) shouldBe false
                pool.free(deadSlots[1]) shouldBe false // claimed is not allocated yet: nobody may free it

                pool.recoverStale() shouldBe 2
                // Free again, marked as taken from the dead, for the allocation that takes them next.
                deadSlots.map { pool.ownerWord(it) } shouldBe listOf(SlotAllocator.RECOVERED, SlotAllocator.RECOVERED)
                pool.ownerWord(liveSlots[0]) shouldBe liveToken
                pool.ownerWord(liveSlots[1]) shouldBe (liveToken or busy)
                pool.recoverStale() shouldBe 0
                pool.stats().recoveries shouldBe 2
                // Put the live child's slot back as it had it, then check the whole pool.
                pool.writeOwnerWord(liveSlots[1], liveToken)
                pool.inconsistentSlots().shouldBeEmpty()
                pool.allocatedSlots().toList() shouldBe liveSlots.sorted()
                pool.owner(liveSlots[0]).toLong() shouldBe live.pid
            }
        }
    }

    test("a dead owner's token stays dead when its owner-table entry is taken by a new process") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 8 }.use { pool ->
            val (first, firstSlots) = holder(path, 1)
            first.kill9()
            val oldToken = pool.ownerWord(firstSlots[0])
            pool.allocator.owners().reclaimDead() shouldBe 1
            val (second, secondSlots) = holder(path, 1)
            second.use {
                val newToken = pool.ownerWord(secondSlots[0])
                // Same entry, next generation.
                (newToken and 0xFFF) shouldBe (oldToken and 0xFFF)
                newToken shouldNotBe oldToken
                pool.recoverStale() shouldBe 1
                pool.isAllocated(firstSlots[0]) shouldBe false
                pool.isAllocated(secondSlots[0]) shouldBe true
                pool.owner(secondSlots[0]).toLong() shouldBe second.pid
            }
        }
    }

    test("an alloc with no timeout on a pool whose every slot is held by killed processes returns: the dead are recovered") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 16 }.use { pool ->
            val holders = listOf(holder(path, 10), holder(path, 6))
            holders.forEach { it.first.kill9() }
            pool.used() shouldBe 16
            ChildJvm.start(BlockedAlloc::class, path).use { child ->
                child.awaitLine("WAITING")
                val millis = child.awaitLine(10.seconds) { it.startsWith("GOT") }.split(" ")[2].toInt()
                println("the blocked alloc returned after $millis ms (printed, not asserted)")
                child.awaitSuccess()
            }
            // The child's slot is its own; the other 15 dead slots were recovered with it.
            pool.stats().recoveries shouldBe 16
            pool.inconsistentSlots().shouldBeEmpty()
        }
    }

    test("an alloc in this JVM on a pool full of the dead recovers by itself too") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 5 }.use { pool ->
            holder(path, 5).first.kill9()
            val start = System.nanoTime()
            val slot = pool.allocBlocking()
            println("recovered after ${(System.nanoTime() - start) / 1_000_000} ms (printed, not asserted)")
            pool.owner(slot) shouldBe io.plenum.linux.Processes.currentPid()
            pool.used() shouldBe 1
        }
    }

    test("a blocked alloc in one JVM is woken by a free in another") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 2 }.use { pool ->
            val (holderJvm, held) = holder(path, 2)
            holderJvm.use {
                ChildJvm.start(FreeOnRequest::class, path).use { freer ->
                    freer.awaitLine("READY")
                    ChildJvm.start(BlockedAlloc::class, path).use { blocked ->
                        blocked.awaitLine("WAITING")
                        Thread.sleep(300)
                        blocked.isAlive shouldBe true
                        // Not the freer's slot: it frees it by the holder's ticket.
                        val ticket = pool.ticket(held[1])!!.toLong()
                        freer.send("freeTicket $ticket")
                        freer.awaitLine("FREED_TICKET $ticket true")
                        blocked.awaitLine { it.startsWith("GOT") }.split(" ")[1].toInt() shouldBe held[1]
                        blocked.awaitSuccess()
                    }
                    // The blocked child exited holding it: by its ticket, anyone may free it.
                    val ticket = pool.ticket(held[1])!!.toLong()
                    freer.send("freeTicket $ticket")
                    freer.awaitLine("FREED_TICKET $ticket true")
                    freer.send("exit")
                    freer.awaitSuccess()
                }
            }
            pool.recoverStale() shouldBe 1
            pool.used() shouldBe 0
        }
    }

    test("recovery ignores the processes that are alive, whatever they hold") {
        val path = paths.next().toString()
        SharedLongPool(path) { capacity = 64 }.use { pool ->
            List(3) { holder(path, 20) }.map { it.first }.useAll { children ->
                pool.tryAlloc()
                pool.recoverStale() shouldBe 0
                pool.used() shouldBe 61
                children[1].kill9()
                pool.recoverStale() shouldBe 20
                pool.used() shouldBe 41
            }
        }
    }
})
