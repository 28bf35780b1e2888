package io.plenum

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.array.ArrayOptions
import io.plenum.array.SharedByteArray
import io.plenum.array.SharedDoubleArray
import io.plenum.array.SharedFloatArray
import io.plenum.array.SharedIntArray
import io.plenum.array.SharedShortArray
import io.plenum.array.SharedUByteArray
import io.plenum.array.SharedUIntArray
import io.plenum.array.SharedULongArray
import io.plenum.array.SharedUShortArray
import io.plenum.array.SharedUnsignedByteArray
import io.plenum.array.SharedUnsignedIntArray
import io.plenum.array.SharedUnsignedShortArray
import io.plenum.array.SharedLongArray
import io.plenum.array.tryReadLock
import io.plenum.array.tryWriteLock
import io.plenum.channel.ChannelOptions
import io.plenum.channel.SharedChannel
import io.plenum.channel.offer
import io.plenum.channel.poll
import io.plenum.codec.Codecs
import io.plenum.map.MapOptions
import io.plenum.map.SharedMap
import io.plenum.map.waitForChange
import io.plenum.pool.PoolOptions
import io.plenum.pool.SharedDoublePool
import io.plenum.pool.SharedIntPool
import io.plenum.pool.SharedLongPool
import io.plenum.pool.alloc
import io.plenum.pool.allocAndSet
import io.plenum.pool.allocN
import io.plenum.pool.allocSlot
import io.plenum.pool.allocAndSetBlocking
import io.plenum.pool.allocBlocking
import io.plenum.pool.allocNBlocking
import io.plenum.pool.allocSlotBlocking
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentOptions
import io.plenum.sync.LockOptions
import io.plenum.sync.Guard
import io.plenum.sync.LockResult
import io.plenum.sync.Seqlock
import io.plenum.sync.SharedMutex
import io.plenum.sync.SharedRwLock
import io.plenum.sync.lock
import io.plenum.sync.lockBlocking
import io.plenum.sync.readLock
import io.plenum.sync.tryBeginWrite
import io.plenum.sync.writeLock
import io.plenum.sync.writeLockBlocking
import io.plenum.sync.tryGuard
import io.plenum.sync.tryLock
import io.plenum.sync.tryReadGuard
import io.plenum.sync.tryReadLock
import io.plenum.sync.tryWriteGuard
import io.plenum.sync.tryWriteLock
import io.plenum.testing.TempPaths
import io.plenum.value.lock
import io.plenum.value.lockBlocking
import io.plenum.value.SharedValue
import io.plenum.value.ValueOptions
import io.plenum.value.tryLock
import io.plenum.value.waitForChange
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.lang.reflect.InvocationTargetException
import java.util.concurrent.CountDownLatch
import kotlin.concurrent.thread
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Every structure opens the same way: a Kotlin factory named like the type with a builder block,
 * and a Java options record with withers, taking the same names for the same things. Here: a new
 * file gets the permission bits asked for (`fileMode`), in both shapes, and bad bits are refused
 * by name before any file exists.
 */
class ApiShapeSpec : FunSpec({
    val paths = TempPaths("api-shape")
    afterSpec { paths.close() }

    /** How one structure opens at a path with a file mode, in one shape. */
    data class Opener(val name: String, val open: (Path, Int) -> AutoCloseable)

    val openers = listOf(
        Opener("array, Kotlin") { p, m -> SharedLongArray(p.toString()) { capacity = 4; fileMode = m } },
        Opener("array, Java") { p, m -> SharedLongArray.open(ArrayOptions.of(p).withCapacity(4).withFileMode(m)) },
        Opener("pool, Kotlin") { p, m -> SharedLongPool(p.toString()) { capacity = 4; fileMode = m } },
        Opener("pool, Java") { p, m -> SharedLongPool.open(PoolOptions.of(p).withCapacity(4).withFileMode(m)) },
        Opener("mutex, Kotlin") { p, m -> SharedMutex(p.toString()) { fileMode = m } },
        Opener("mutex, Java") { p, m -> SharedMutex.open(LockOptions.of(p).withFileMode(m)) },
        Opener("rwlock, Kotlin") { p, m -> SharedRwLock(p.toString()) { fileMode = m } },
        Opener("rwlock, Java") { p, m -> SharedRwLock.open(LockOptions.of(p).withFileMode(m)) },
        Opener("seqlock, Kotlin") { p, m -> Seqlock(p.toString()) { fileMode = m } },
        Opener("seqlock, Java") { p, m -> Seqlock.open(LockOptions.of(p).withFileMode(m)) },
        Opener("channel, Kotlin") { p, m -> SharedChannel<Long>(p.toString()) { capacity = 4; fileMode = m } },
        Opener("channel, Java") { p, m ->
            SharedChannel.open(Codecs.LONG, ChannelOptions.of(p).withCapacity(4).withFileMode(m))
        },
        Opener("value, Kotlin") { p, m -> SharedValue<String>(p.toString()) { codec = Codecs.STRING; fileMode = m } },
        Opener("value, Java") { p, m -> SharedValue.open(Codecs.STRING, ValueOptions.of(p).withFileMode(m)) },
        Opener("map, Kotlin") { p, m -> SharedMap<Long, Long>(p.toString()) { fileMode = m } },
        Opener("map, Java") { p, m -> SharedMap.ofLongs(MapOptions.of(p).withFileMode(m)) },
    )

    for (opener in openers) {
        test("${opener.name}: a new file gets the fileMode asked for") {
            for (mode in listOf(0b110_100_000, 0b110_000_000)) { // 0640, 0600
                val path = paths.next(opener.name.substringBefore(',').replace(' ', '-'))
                opener.open(path, mode).use {
                    val expected = if (mode == 0b110_100_000) "rw-r-----" else "rw-------"
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) shouldBe expected
                }
            }
        }

        test("${opener.name}: bits beyond 0777 are refused by name, and no file is made") {
            val path = paths.next("bad-mode")
            val failure = shouldThrow<IllegalArgumentException> { opener.open(path, 0b1_000_000_000).close() }
            failure.message shouldContain "fileMode"
            Files.exists(path) shouldBe false
        }
    }

    test("every Kotlin bounded wait takes a kotlin.time.Duration and times out as its Java form: null, false or NOT_ACQUIRED") {
        val wait = 20.milliseconds
        SharedLongPool(paths.next("pool").toString()) { capacity = 1 }.use { pool ->
            pool.tryAlloc() shouldBe 0
            pool.allocBlocking(wait).shouldBeNull()
            pool.allocNBlocking(1, wait).shouldBeNull()
            pool.allocSlotBlocking(wait).shouldBeNull()
            pool.allocAndSetBlocking(7L, wait).shouldBeNull()
            pool.stats().timeouts shouldBe 4
            // The suspending forms time out the same way, and leave no request behind.
            pool.alloc(wait).shouldBeNull()
            pool.allocN(1, wait).shouldBeNull()
            pool.allocSlot(wait).shouldBeNull()
            pool.allocAndSet(7L, wait).shouldBeNull()
            pool.pendingAsync() shouldBe 0
            pool.free(0)
            pool.alloc(wait) shouldBe 0
        }
        SharedChannel<Long>(paths.next("channel").toString()) { capacity = 1 }.use { channel ->
            channel.poll(wait).shouldBeNull()
            channel.offer(1L, wait) shouldBe true
            channel.offer(2L, wait) shouldBe false
            channel.poll(wait) shouldBe 1L
        }
        SharedValue<String>(paths.next("value").toString()) { codec = Codecs.STRING }.use { value ->
            value.waitForChange(value.version(), wait) shouldBe false
            heldElsewhere({ value.lockBlocking() }, { it.close() }) {
                value.tryLock(wait).shouldBeNull()
                value.lock(wait).shouldBeNull()
            }
        }
        SharedMap<Long, Long>(paths.next("map").toString()).use { map ->
            map.waitForChange(1L, null, wait) shouldBe false
        }
        SharedMutex(paths.next("mutex").toString()).use { mutex ->
            heldElsewhere({ mutex.lockBlocking() }, { mutex.unlock() }) {
                mutex.tryLock(wait) shouldBe LockResult.NOT_ACQUIRED
                mutex.lock(wait) shouldBe LockResult.NOT_ACQUIRED
                mutex.tryGuard(wait).shouldBeNull()
            }
        }
        SharedRwLock(paths.next("rw").toString()).use { rw ->
            heldElsewhere({ rw.writeLockBlocking() }, { rw.writeUnlock() }) {
                rw.tryReadLock(wait) shouldBe LockResult.NOT_ACQUIRED
                rw.tryWriteLock(wait) shouldBe LockResult.NOT_ACQUIRED
                rw.readLock(wait) shouldBe LockResult.NOT_ACQUIRED
                rw.writeLock(wait) shouldBe LockResult.NOT_ACQUIRED
                rw.tryReadGuard(wait).shouldBeNull()
                rw.tryWriteGuard(wait).shouldBeNull()
            }
        }
        Seqlock(paths.next("seq").toString()).use { seq ->
            heldElsewhere({ seq.beginWrite() }, { seq.endWrite() }) {
                seq.tryBeginWrite(wait) shouldBe LockResult.NOT_ACQUIRED
            }
        }
        SharedLongArray(paths.next("array").toString()) { capacity = 4 }.use { array ->
            heldElsewhere({ array.writeLock() }, { it.close() }) {
                array.tryWriteLock(wait).shouldBeNull()
                array.tryReadLock(wait).shouldBeNull()
            }
        }
    }

    test("every hold is a Guard: a lock's, a slot's, a value's writer lock; closing gives it back once, and each says whether it recovered") {
        SharedMutex(paths.next("g-mutex").toString()).use { mutex ->
            SharedRwLock(paths.next("g-rw").toString()).use { rw ->
                Seqlock(paths.next("g-seq").toString()).use { seq ->
                    SharedLongArray(paths.next("g-array").toString()) { capacity = 4 }.use { array ->
                        SharedLongPool(paths.next("g-pool").toString()) { capacity = 1 }.use { pool ->
                            SharedValue<String>(paths.next("g-value").toString()) { codec = Codecs.STRING }.use { value ->
                                // Each hold, and a probe that is true exactly when the hold was given back.
                                val holds: List<Pair<String, Pair<Guard, () -> Boolean>>> = listOf(
                                    "mutex" to (mutex.guard() to { mutex.tryLock() != LockResult.NOT_ACQUIRED && run { mutex.unlock(); true } }),
                                    "rw write" to (rw.writeGuard() to { rw.tryWriteLock() != LockResult.NOT_ACQUIRED && run { rw.writeUnlock(); true } }),
                                    "seqlock write" to (seq.writeGuard() to { seq.tryBeginWrite(Duration.ZERO) != LockResult.NOT_ACQUIRED && run { seq.endWrite(); true } }),
                                    "array write" to (array.writeLock() to { array.tryWriteLock(Duration.ZERO)?.use { true } ?: false }),
                                    "pool slot" to (pool.allocSlotBlocking() to { pool.available() == 1 }),
                                    "value lock" to (value.lockBlocking() to { value.tryLock(java.time.Duration.ZERO)?.use { true } ?: false }),
                                )
                                for ((name, hold) in holds) {
                                    val (guard, givenBack) = hold
                                    withClue(name) {
                                        guard.recovered() shouldBe false
                                        guard.close()
                                        guard.close() // idempotent
                                        givenBack() shouldBe true
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    for (ordered in orderedStructures) {
        test("${ordered.name} names its memory orders: get/set acquire-release, getVolatile/setVolatile, getPlain/setPlain, each index-checked") {
            ordered.open(paths.next("order")).use { structure ->
                for ((setter, getter) in listOf("set" to "getVolatile", "setVolatile" to "getPlain", "setPlain" to "get")) {
                    call(structure, setter, 1, ordered.value)
                    call(structure, getter, 1) shouldBe ordered.value
                    call(structure, setter, 1, ordered.other)
                    call(structure, getter, 1) shouldBe ordered.other
                }
                for (name in listOf("get", "getVolatile", "getPlain")) {
                    shouldThrow<IndexOutOfBoundsException> { call(structure, name, 4) }
                }
                for (name in listOf("set", "setVolatile", "setPlain")) {
                    shouldThrow<IndexOutOfBoundsException> { call(structure, name, -1, ordered.value) }
                }
            }
        }
    }


    test("every options record is a SegmentOptions: one generic helper sets mode and file mode for all six kinds") {
        fun <O : SegmentOptions<O>> private(options: O): O = options.withMode(OpenMode.CREATE_NEW).withFileMode(0b110_000_000)
        val path = paths.next("options")
        val all: List<SegmentOptions<*>> = listOf(
            private(ArrayOptions.of(path)), private(PoolOptions.of(path)), private(LockOptions.of(path)),
            private(ChannelOptions.of(path)), private(ValueOptions.of(path)), private(MapOptions.of(path)),
        )
        for (options in all) {
            options.mode() shouldBe OpenMode.CREATE_NEW
            options.fileMode() shouldBe 0b110_000_000
            options.backing() shouldBe Backing.file(path)
        }
        all.map { it::class }.toSet().size shouldBe 6
    }

    test("the Kotlin unsigned arrays name the same memory orders, and keep the top bit as value, not sign") {
        SharedUByteArray(paths.next("ubyte").toString()) { capacity = 4 }.use { a ->
            a.setRelease(1, 0xFEu); a.getVolatile(1) shouldBe 0xFE.toUByte()
            a.setVolatile(1, 0x81u); a.getPlain(1) shouldBe 0x81.toUByte()
            a.setPlain(1, 0xFFu); a[1] shouldBe UByte.MAX_VALUE
            shouldThrow<IndexOutOfBoundsException> { a.getVolatile(4) }
            shouldThrow<IndexOutOfBoundsException> { a.setPlain(-1, 1u) }
        }
        SharedUShortArray(paths.next("ushort").toString()) { capacity = 4 }.use { a ->
            a.setRelease(1, 0xFFFEu); a.getVolatile(1) shouldBe 0xFFFE.toUShort()
            a.setVolatile(1, 0x8001u); a.getPlain(1) shouldBe 0x8001.toUShort()
            a.setPlain(1, UShort.MAX_VALUE); a[1] shouldBe UShort.MAX_VALUE
            shouldThrow<IndexOutOfBoundsException> { a.getPlain(4) }
            shouldThrow<IndexOutOfBoundsException> { a.setVolatile(-1, 1u) }
        }
        SharedUIntArray(paths.next("uint").toString()) { capacity = 4 }.use { a ->
            a.setRelease(1, 0xFFFF_FFFEu); a.getVolatile(1) shouldBe 0xFFFF_FFFEu
            a.setVolatile(1, 0x8000_0001u); a.getPlain(1) shouldBe 0x8000_0001u
            a.setPlain(1, UInt.MAX_VALUE); a[1] shouldBe UInt.MAX_VALUE
            shouldThrow<IndexOutOfBoundsException> { a.getVolatile(4) }
            shouldThrow<IndexOutOfBoundsException> { a.setPlain(-1, 1u) }
        }
        SharedULongArray(paths.next("ulong").toString()) { capacity = 4 }.use { a ->
            a.setRelease(1, ULong.MAX_VALUE - 1u); a.getVolatile(1) shouldBe ULong.MAX_VALUE - 1u
            a.setVolatile(1, 0x8000_0000_0000_0001u); a.getPlain(1) shouldBe 0x8000_0000_0000_0001u
            a.setPlain(1, ULong.MAX_VALUE); a[1] shouldBe ULong.MAX_VALUE
            shouldThrow<IndexOutOfBoundsException> { a.getPlain(4) }
            shouldThrow<IndexOutOfBoundsException> { a.setVolatile(-1, 1u) }
        }
    }
})

/** An array or pool with a value of its element type, to store and load through each memory order. */
private class Ordered(val name: String, val open: (Path) -> AutoCloseable, val value: Any, val other: Any)

private val orderedStructures = listOf(
    Ordered("SharedByteArray", { SharedByteArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7.toByte(), 9.toByte()),
    Ordered("SharedShortArray", { SharedShortArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7.toShort(), 9.toShort()),
    Ordered("SharedIntArray", { SharedIntArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7, 9),
    Ordered("SharedLongArray", { SharedLongArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7L, 9L),
    Ordered("SharedFloatArray", { SharedFloatArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7.5f, 9.5f),
    Ordered("SharedDoubleArray", { SharedDoubleArray.open(ArrayOptions.of(it).withCapacity(4)) }, 7.5, 9.5),
    Ordered("SharedUnsignedByteArray", { SharedUnsignedByteArray.open(ArrayOptions.of(it).withCapacity(4)) }, 200, 201),
    Ordered("SharedUnsignedShortArray", { SharedUnsignedShortArray.open(ArrayOptions.of(it).withCapacity(4)) }, 60000, 60001),
    Ordered("SharedUnsignedIntArray", { SharedUnsignedIntArray.open(ArrayOptions.of(it).withCapacity(4)) }, 4_000_000_000L, 4_000_000_001L),
    Ordered("SharedLongPool", { SharedLongPool.open(PoolOptions.of(it).withCapacity(4)) }, 7L, 9L),
    Ordered("SharedIntPool", { SharedIntPool.open(PoolOptions.of(it).withCapacity(4)) }, 7, 9),
    Ordered("SharedDoublePool", { SharedDoublePool.open(PoolOptions.of(it).withCapacity(4)) }, 7.5, 9.5),
)

/** Calls the public method [name] of [target], rethrowing what it threw. */
private fun call(target: Any, name: String, vararg args: Any): Any? {
    val method = target.javaClass.methods.first { it.name == name && it.parameterCount == args.size }
    return try {
        method.invoke(target, *args)
    } catch (e: InvocationTargetException) {
        throw e.targetException
    }
}

/** Runs [block] while another thread holds what [acquire] took, then lets it [release] it. */
private inline fun <H> heldElsewhere(crossinline acquire: () -> H, crossinline release: (H) -> Unit, block: () -> Unit) {
    val held = CountDownLatch(1)
    val done = CountDownLatch(1)
    val holder = thread(name = "holder") {
        val hold = acquire()
        held.countDown()
        done.await()
        release(hold)
    }
    held.await()
    try {
        block()
    } finally {
        done.countDown()
        holder.join()
    }
}
