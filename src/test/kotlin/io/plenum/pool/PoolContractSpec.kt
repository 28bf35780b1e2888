package io.plenum.pool

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.linux.Fs
import io.plenum.linux.Processes
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.TempPaths
import java.lang.foreign.ValueLayout
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds

/** Every backing passes the same pool contract. */
class PoolContractSpec : FunSpec({
    val paths = TempPaths("pool-contract")
    // The "shm name" backing creates files next to the spec's directory, named after it.
    afterSpec {
        Files.list(paths.root.parent).use { entries ->
            entries.filter { it.fileName.toString().startsWith("${paths.root.fileName}-") }.forEach(Files::deleteIfExists)
        }
        paths.close()
    }

    val backings: List<Pair<String, () -> Backing>> = listOf(
        "file" to { Backing.file(paths.next()) },
        "shm name" to { Backing.shm("${paths.root.fileName}-${System.nanoTime()}") },
        "memfd" to { Backing.memfd("plenum-pool-contract") },
        "anonymous" to { Backing.anonymous() },
        "fd of an empty memfd" to { Backing.fd(Fs.memfdCreate("plenum-pool-empty")) },
    )

    for ((name, backing) in backings) {
        context("backing: $name") {
            for (capacity in listOf(1, 64, 100)) {
                test("capacity $capacity: every slot once, then full; free gives it back; double free is false") {
                    SharedLongPool(backing()) { this.capacity = capacity }.use { pool ->
                        pool.capacity() shouldBe capacity
                        pool.elementSize() shouldBe 8
                        pool.used() shouldBe 0
                        pool.available() shouldBe capacity
                        val slots = (0 until capacity).map { pool.tryAlloc().shouldNotBeNull() }
                        slots.sorted() shouldBe (0 until capacity).toList()
                        pool.tryAlloc().shouldBeNull()
                        pool.used() shouldBe capacity
                        pool.available() shouldBe 0
                        pool.free(slots[0]) shouldBe true
                        pool.free(slots[0]) shouldBe false
                        pool.isAllocated(slots[0]) shouldBe false
                        pool.tryAlloc() shouldBe slots[0]
                        pool.freeN(*slots.toIntArray()) shouldBe capacity
                        pool.used() shouldBe 0
                        pool.stats().allocs shouldBe capacity + 1L
                        pool.stats().frees shouldBe capacity + 1L
                    }
                }
            }

            test("allocN is all or nothing; freeN counts what it freed and checks every index first") {
                SharedIntPool(backing()) { capacity = 10 }.use { pool ->
                    val first = pool.tryAllocN(7).shouldNotBeNull()
                    first.toSet().size shouldBe 7
                    pool.tryAllocN(4).shouldBeNull()
                    pool.used() shouldBe 7
                    pool.allocNBlocking(3, 20.milliseconds).shouldNotBeNull().size shouldBe 3
                    pool.allocNBlocking(1, 20.milliseconds).shouldBeNull()
                    shouldThrow<IndexOutOfBoundsException> { pool.freeN(first[0], 10) }.message shouldContain "slot 10"
                    pool.isAllocated(first[0]) shouldBe true
                    pool.freeN(first[0], first[0], first[1]) shouldBe 2
                    shouldThrow<IllegalArgumentException> { pool.tryAllocN(0) }.message shouldContain "count: 0"
                    shouldThrow<IllegalArgumentException> { pool.tryAllocN(11) }.message shouldContain "1..10"
                    pool.used() shouldBe 8
                }
            }

            test("isAllocated, owner, allocatedSlots and forEachAllocated agree") {
                SharedLongPool(backing()) { capacity = 130 }.use { pool ->
                    val all = (0 until 130).map { pool.allocBlocking() }
                    all.sorted() shouldBe (0 until 130).toList()
                    val held = all.sorted().filter { it % 3 == 0 || it == 129 }
                    (0 until 130).filter { it !in held }.forEach { pool.free(it) shouldBe true }
                    pool.allocatedSlots().toList() shouldBe held
                    val seen = mutableListOf<Int>()
                    pool.forEachAllocated { seen += it }
                    seen shouldBe held
                    held.all { pool.isAllocated(it) } shouldBe true
                    pool.owner(held[0]) shouldBe Processes.currentPid()
                    pool.owner(1) shouldBe 0
                    pool.used() shouldBe held.size
                }
            }

            test("long slots: get, set, CAS, compare-and-exchange, exchange, add, increment, decrement") {
                SharedLongPool(backing()) { capacity = 4 }.use { pool ->
                    val slot = pool.allocAndSetBlocking(42)
                    pool[slot] shouldBe 42
                    pool.addAndGet(slot, 8) shouldBe 50
                    pool.compareAndSet(slot, 50, 99) shouldBe true
                    pool.compareAndSet(slot, 50, 1) shouldBe false
                    pool.compareAndExchange(slot, 99, 200) shouldBe 99
                    pool.compareAndExchange(slot, 1, 2) shouldBe 200
                    pool.getAndSet(slot, 300) shouldBe 200
                    pool.incrementAndGet(slot) shouldBe 301
                    pool.decrementAndGet(slot) shouldBe 300
                    pool.getAndAdd(slot, Long.MAX_VALUE) shouldBe 300
                    pool[slot] = -5
                    pool[slot] shouldBe -5
                    pool.tryAllocAndSet(7).shouldNotBeNull().let { pool[it] shouldBe 7 }
                    pool.allocAndSetBlocking(8, kotlin.time.Duration.ZERO).shouldNotBeNull().let { pool[it] shouldBe 8 }
                }
            }

            test("int slots: the same atomics on 32 bits") {
                SharedIntPool(backing()) { capacity = 3 }.use { pool ->
                    pool.elementSize() shouldBe 4
                    val slot = pool.allocAndSetBlocking(Int.MAX_VALUE)
                    pool.incrementAndGet(slot) shouldBe Int.MIN_VALUE
                    pool.compareAndSet(slot, Int.MIN_VALUE, 5) shouldBe true
                    pool.compareAndExchange(slot, 5, 6) shouldBe 5
                    pool.getAndSet(slot, 7) shouldBe 6
                    pool.addAndGet(slot, -10) shouldBe -3
                    pool.decrementAndGet(slot) shouldBe -4
                    pool.getAndAdd(slot, 4) shouldBe -4
                    pool[slot] shouldBe 0
                }
            }

            test("double slots: get, set, atomic add, bitwise compare-and-set") {
                SharedDoublePool(backing()) { capacity = 3 }.use { pool ->
                    val slot = pool.allocAndSetBlocking(1.5)
                    pool.addAndGet(slot, 2.25) shouldBe 3.75
                    pool.compareAndSet(slot, 3.75, -0.0) shouldBe true
                    pool.compareAndSet(slot, 0.0, 1.0) shouldBe false
                    pool.set(slot, Double.NaN)
                    pool.compareAndSet(slot, Double.NaN, 2.0) shouldBe true
                    pool.getAndSet(slot, 4.0) shouldBe 2.0
                    pool[slot] shouldBe 4.0
                }
            }

            test("string slots keep every byte, trailing NULs included; too long changes nothing") {
                SharedStringPool(backing()) { capacity = 4; maxLength = 7 }.use { pool ->
                    pool.maxLength() shouldBe 7
                    pool.elementSize() shouldBe 11
                    val slot = pool.allocAndSetBlocking("héllo")
                    pool[slot] shouldBe "héllo"
                    pool.length(slot) shouldBe 6
                    val nuls = byteArrayOf(0, 1, 0, 0)
                    pool.set(slot, nuls)
                    pool.getBytes(slot).toList() shouldBe nuls.toList()
                    pool.set(slot, "")
                    pool[slot] shouldBe ""
                    pool.set(slot, "1234567")
                    shouldThrow<IllegalArgumentException> { pool.set(slot, "12345678") }.message shouldContain "maxLength 7"
                    pool[slot] shouldBe "1234567"
                    val before = pool.used()
                    shouldThrow<IllegalArgumentException> { pool.tryAllocAndSet("far too long") }
                    pool.used() shouldBe before
                    // Slots at unaligned offsets (element size 11) work alike.
                    val other = pool.allocAndSetBlocking(byteArrayOf(9, 0))
                    pool.getBytes(other).toList() shouldBe listOf<Byte>(9, 0)
                }
            }

            test("byte slots: set pads with zeros, get copies, views alias the data region") {
                SharedBytePool(backing()) { capacity = 5; elementSize = 3 }.use { pool ->
                    val slot = pool.allocAndSetBlocking(byteArrayOf(1, 2, 3))
                    pool[slot].toList() shouldBe listOf<Byte>(1, 2, 3)
                    pool[slot] = byteArrayOf(7)
                    pool[slot].toList() shouldBe listOf<Byte>(7, 0, 0)
                    shouldThrow<IllegalArgumentException> { pool[slot] = byteArrayOf(1, 2, 3, 4) }.message shouldContain "longer"
                    val target = ByteArray(2)
                    pool.read(slot, target) shouldBe 2
                    target.toList() shouldBe listOf<Byte>(7, 0)
                    pool.slot(slot).byteSize() shouldBe 3
                    pool.slot(slot).set(ValueLayout.JAVA_BYTE, 2, 5)
                    pool.data().byteSize() shouldBe 15
                    pool.data().get(ValueLayout.JAVA_BYTE, slot * 3L + 2) shouldBe 5.toByte()
                    pool[slot].toList() shouldBe listOf<Byte>(7, 0, 5)
                }
            }

            test("the slot view and the data region are the same memory, 8-aligned for longs") {
                SharedLongPool(backing()) { capacity = 9 }.use { pool ->
                    val slot = pool.allocAndSetBlocking(0x0102030405060708)
                    pool.slot(slot).get(ValueLayout.JAVA_LONG, 0) shouldBe 0x0102030405060708
                    pool.data().get(ValueLayout.JAVA_LONG, slot * 8L) shouldBe 0x0102030405060708
                    (pool.data().address() % 64) shouldBe 0
                }
            }

            test("a guard frees its slot on every exit path and only once") {
                SharedLongPool(backing()) { capacity = 2 }.use { pool ->
                    val index: Int
                    pool.allocSlotBlocking().use { slot ->
                        index = slot.index()
                        pool.isAllocated(index) shouldBe true
                    }
                    pool.isAllocated(index) shouldBe false
                    shouldThrow<IllegalStateException> {
                        pool.allocSlotBlocking().use { error("boom") }
                    }
                    pool.used() shouldBe 0
                    val guard = pool.tryAllocSlot().shouldNotBeNull()
                    guard.close()
                    val again = pool.allocBlocking()
                    guard.close()
                    pool.isAllocated(again) shouldBe true
                    pool.withSlotBlocking { slot -> pool.isAllocated(slot) shouldBe true; slot } shouldBe 1 - again
                    pool.used() shouldBe 1
                }
            }

            test("a timed alloc on a full pool returns null and counts a wait and a timeout") {
                SharedLongPool(backing()) { capacity = 1 }.use { pool ->
                    pool.allocBlocking()
                    val start = System.nanoTime()
                    pool.allocBlocking(100.milliseconds).shouldBeNull()
                    (System.nanoTime() - start >= 100_000_000) shouldBe true
                    pool.allocSlotBlocking(1.milliseconds).shouldBeNull()
                    pool.allocAndSetBlocking(5, 1.milliseconds).shouldBeNull()
                    val stats = pool.stats()
                    stats.waits shouldBe 3
                    stats.timeouts shouldBe 3
                    stats.used shouldBe 1
                    stats.available shouldBe 0
                    stats.capacity shouldBe 1
                    stats.mappedSize shouldBe pool.segment().mappedSize()
                }
            }

            test("a blocked alloc is woken by a free in another thread; interrupts end the wait") {
                SharedLongPool(backing()) { capacity = 1 }.use { pool ->
                    val held = pool.allocBlocking()
                    val waiting = CountDownLatch(1)
                    var got = -1
                    val waiter = thread {
                        waiting.countDown()
                        got = pool.allocBlocking()
                    }
                    waiting.await()
                    Thread.sleep(50)
                    pool.free(held) shouldBe true
                    waiter.join(5_000)
                    got shouldBe held
                    var interrupted: Throwable? = null
                    val stuck = thread { interrupted = runCatching { pool.allocBlocking() }.exceptionOrNull() }
                    Thread.sleep(30)
                    stuck.interrupt()
                    stuck.join(5_000)
                    (interrupted is InterruptedException) shouldBe true
                }
            }

            test("reset frees everything and wakes waiters") {
                SharedLongPool(backing()) { capacity = 70 }.use { pool ->
                    repeat(70) { pool.allocBlocking() }
                    val done = CountDownLatch(1)
                    thread { pool.allocBlocking(); done.countDown() }
                    Thread.sleep(30)
                    pool.reset()
                    done.await(5, TimeUnit.SECONDS) shouldBe true
                    pool.used() shouldBe 1
                    pool.tryAllocN(69).shouldNotBeNull()
                    pool.tryAlloc().shouldBeNull()
                }
            }

            test("bad indexes are refused naming the slot and the capacity") {
                SharedLongPool(backing()) { capacity = 3 }.use { pool ->
                    for (bad in listOf(-1, 3, Int.MAX_VALUE)) {
                        shouldThrow<IndexOutOfBoundsException> { pool.free(bad) }.message shouldContain "slot $bad"
                        shouldThrow<IndexOutOfBoundsException> { pool[bad] }.message shouldContain "capacity 3"
                        shouldThrow<IndexOutOfBoundsException> { pool.slot(bad) }
                        shouldThrow<IndexOutOfBoundsException> { pool.isAllocated(bad) }
                    }
                    pool.used() shouldBe 0
                }
            }

            test("use after close throws IllegalStateException") {
                val pool = SharedLongPool(backing()) { capacity = 3 }
                val slot = pool.allocBlocking()
                val view = pool.slot(slot)
                pool.close()
                pool.close()
                pool.isClosed shouldBe true
                shouldThrow<IllegalStateException> { pool.tryAlloc() }
                shouldThrow<IllegalStateException> { pool.free(slot) }
                shouldThrow<IllegalStateException> { pool[slot] }
                shouldThrow<IllegalStateException> { pool.stats() }
                shouldThrow<IllegalStateException> { pool.allocatedSlots() }
                shouldThrow<IllegalStateException> { view.get(ValueLayout.JAVA_LONG, 0) }
            }

            test("a second handle through the fd shares slots and data") {
                SharedLongPool(backing()) { capacity = 8 }.use { pool ->
                    if (pool.segment().fd() >= 0) {
                        SharedLongPool(Backing.fd(pool.segment().fd())) { mode = OpenMode.OPEN_EXISTING }.use { again ->
                            again.capacity() shouldBe 8
                            val slot = pool.allocAndSetBlocking(77)
                            again[slot] shouldBe 77
                            again.isAllocated(slot) shouldBe true
                            again.free(slot) shouldBe true
                            pool.isAllocated(slot) shouldBe false
                        }
                    }
                }
            }
        }
    }

    test("geometry is checked on open and creation, naming the field") {
        val path = paths.next()
        shouldThrow<IllegalArgumentException> { SharedLongPool(path.toString()) { capacity = 0 } }.message shouldContain "capacity: 0"
        shouldThrow<IllegalArgumentException> {
            SharedStringPool(path.toString()) { capacity = 4; maxLength = 0 }
        }.message shouldContain "maxLength: 0"
        shouldThrow<IllegalArgumentException> {
            SharedLongPool(path.toString()) { capacity = 4; elementSize = 16 }
        }.message shouldContain "elementSize"
        SharedLongPool(path.toString()) { capacity = 4 }.close()
        shouldThrow<io.plenum.segment.SegmentFormatException> {
            SharedLongPool(path.toString()) { capacity = 5 }
        }.message shouldContain "capacity"
        shouldThrow<io.plenum.segment.SegmentFormatException> {
            SharedIntPool(path.toString()) { capacity = 4 }
        }.message shouldContain "variant"
        SharedLongPool(path.toString()) { mode = OpenMode.OPEN_EXISTING }.use { it.capacity() shouldBe 4 }
        SharedLongPool.open(PoolOptions.of(Backing.file(path)).withMode(OpenMode.OPEN_EXISTING)).use { it.capacity() shouldBe 4 }
    }

    test("the DSL and the Java-style factories open the same kinds of pools") {
        SharedStringPool.open(PoolOptions.of(Backing.anonymous()).withMode(OpenMode.CREATE_NEW).withCapacity(3).withMaxLength(16)).use { it.maxLength() shouldBe 16 }
        SharedBytePool.open(PoolOptions.of(Backing.anonymous()).withMode(OpenMode.CREATE_NEW).withCapacity(3).withElementSize(16)).use { it.elementSize() shouldBe 16 }
        SharedDoublePool.open(PoolOptions.of(Backing.anonymous()).withMode(OpenMode.CREATE_NEW).withCapacity(3)).use { it.variant() shouldBe PoolVariant.DOUBLE }
        SharedIntPool.open(PoolOptions.of(Backing.anonymous()).withMode(OpenMode.CREATE_NEW).withCapacity(3)).use { it.variant() shouldBe PoolVariant.INT }
        SharedLongPool(Backing.anonymous()) { capacity = 3 }.use {
            it.toString() shouldContain "0/3 used"
            it.path().isPresent shouldBe false
        }
    }
})
