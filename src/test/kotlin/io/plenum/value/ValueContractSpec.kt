package io.plenum.value

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.codec.Codec
import io.plenum.codec.Codecs
import io.plenum.segment.Backing
import io.plenum.testing.callWithNull
import io.plenum.testing.TempPaths
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlinx.coroutines.launch

/** One backing of the contract: how to make a new value's options, and whether a second handle can open it. */
class ValueBacking(val name: String, val growable: Boolean, val options: () -> ValueOptions, val reopen: ((ValueOptions) -> ValueOptions)?)

/** Every backing passes the same suite. */
class ValueContractSpec : FunSpec({
    val shm = TempPaths("value-contract")
    val files: Path = Files.createTempDirectory("plenum-value-contract-")
    afterSpec {
        shm.close()
        files.toFile().deleteRecursively()
    }
    var counter = 0
    val backings = listOf(
        ValueBacking("file", true, { ValueOptions.of(files.resolve("value-${++counter}")) }, { it }),
        ValueBacking("/dev/shm", true, { ValueOptions.of(shm.next("value")) }, { it }),
        ValueBacking("memfd", true, { ValueOptions.of(Backing.memfd("value-contract")) }, null),
        ValueBacking("anonymous", false, { ValueOptions.of(Backing.anonymous()).withMaxSize(4 shl 20) }, null),
    )

    for (backing in backings) {
        context("backing ${backing.name}") {
            test("no value yet is its own state; 0, \"\" and empty arrays store exactly") {
                SharedValue.open(Codecs.LONG, backing.options()).use { value ->
                    value.get().shouldBeNull()
                    value.version() shouldBe 0
                    value.stats().present shouldBe false
                    value.set(0L) shouldBe 1
                    value.get() shouldBe 0L
                    value.stats().present shouldBe true
                    value.stats().size shouldBe 8
                }
                SharedValue.open(Codecs.STRING, backing.options()).use { value ->
                    value.get().shouldBeNull()
                    value.set("") shouldBe 1
                    value.get() shouldBe ""
                    value.stats().size shouldBe 0
                    value.stats().present shouldBe true
                }
                SharedValue.open(Codecs.BYTES, backing.options()).use { value ->
                    value.set(ByteArray(0))
                    value.get()!!.size shouldBe 0
                    value.version() shouldBe 1
                }
            }

            test("each write bumps the version; get returns the last value") {
                SharedValue.open(Codecs.STRING, backing.options()).use { value ->
                    for (i in 1..50) {
                        value.set("value $i") shouldBe i.toLong()
                        value.get() shouldBe "value $i"
                        value.version() shouldBe i.toLong()
                    }
                    value.stats().version shouldBe 50
                }
            }

            test("update is atomic across threads; compareAndSet checks the version") {
                SharedValue.open(Codecs.LONG, backing.options()).use { value ->
                    value.update { old -> (old ?: 0L) + 1 } shouldBe 1L
                    val threads = (1..4).map { thread { repeat(250) { value.update { it!! + 1 } } } }
                    threads.forEach { it.join() }
                    value.get() shouldBe 1001L
                    value.version() shouldBe 1001
                    value.compareAndSet(1000, 5L) shouldBe false
                    value.get() shouldBe 1001L
                    value.compareAndSet(1001, 5L) shouldBe true
                    value.get() shouldBe 5L
                    value.version() shouldBe 1002
                    shouldThrow<IllegalStateException> { value.update { throw IllegalStateException("no") } }
                    value.version() shouldBe 1002
                }
            }

            test("a batch under the lock; the holder's thread cannot bypass its guard") {
                SharedValue.open(Codecs.LONG, backing.options()).use { value ->
                    value.lockBlocking().use { batch ->
                        batch.recovered() shouldBe false
                        batch.get().shouldBeNull()
                        batch.set(1L)
                        batch.set(batch.get()!! + 1)
                        shouldThrow<IllegalStateException> { value.set(9L) }
                        val other = thread { value.set(100L) }
                        other.join(100)
                        other.isAlive shouldBe true // a writer of another thread waits for the batch
                        value.get() shouldBe 2L
                        batch.close()
                        other.join()
                    }
                    value.get() shouldBe 100L
                    value.version() shouldBe 3
                    value.tryLock(Duration.ofSeconds(5))!!.use { it.version() shouldBe 3 }
                    val async = value.lockAsync().get(10, TimeUnit.SECONDS)
                    thread { async.close() }.join()
                    value.set(1L) shouldBe 4
                }
            }

            test("Kotlin: a timed lock never leaves the writer lock held when it is granted at the deadline") {
                SharedValue.open(Codecs.LONG, backing.options()).use { value ->
                    kotlinx.coroutines.runBlocking {
                        repeat(400) { round ->
                            val held = value.lock()
                            val release = launch(kotlinx.coroutines.Dispatchers.Default) {
                                kotlinx.coroutines.delay((round % 3).toLong())
                                held.close()
                            }
                            value.lock(kotlin.time.Duration.parse("1ms"))?.close()
                            release.join()
                            io.plenum.pool.eventually("round $round leaves the writer lock free") {
                                value.tryLock(Duration.ZERO)?.also { it.close() } != null
                            }
                        }
                    }
                    value.set(7L) shouldBe 1
                }
            }

            test("values grow from 100 bytes to 2 MiB and back, read back exactly") {
                SharedValue.open(Codecs.BYTES, backing.options().withMaxSize(4 shl 20)).use { value ->
                    var size = 100
                    while (size <= 2 shl 20) {
                        val bytes = ByteArray(size) { (it * 31 + size).toByte() }
                        value.set(bytes)
                        value.get()!!.contentEquals(bytes) shouldBe true
                        size *= 4
                    }
                    value.set(byteArrayOf(1))
                    value.get()!!.toList() shouldBe listOf<Byte>(1)
                    if (backing.growable) value.stats().grows shouldBeGreaterThan 0 else value.stats().grows shouldBe 0
                }
            }

            test("bad writes are refused and change nothing") {
                SharedValue.open(Codecs.BYTES, backing.options().withMaxSize(1000)).use { value ->
                    value.set(ByteArray(10))
                    val tooLarge = shouldThrow<IllegalArgumentException> { value.set(ByteArray(1001)) }
                    tooLarge.message shouldContain "maxSize 1000"
                    tooLarge.message shouldContain "shared value"
                    shouldThrow<IllegalArgumentException> { callWithNull(value, "set") }
                    value.version() shouldBe 1
                    value.get()!!.size shouldBe 10
                }
                val failing = Codec.of<String>("failing", { throw IllegalStateException("cannot encode") }, { String(it) })
                SharedValue.open(failing, backing.options()).use { value ->
                    shouldThrow<IllegalStateException> { value.set("x") }
                    value.version() shouldBe 0
                    value.get().shouldBeNull()
                }
            }

            test("waits: blocking, bounded, asynchronous, cancelled, and failed by close") {
                SharedValue.open(Codecs.LONG, backing.options()).use { value ->
                    value.waitForChange(0, Duration.ofMillis(20)) shouldBe false
                    val woken = CountDownLatch(1)
                    var seen = -1L
                    val waiter = thread { seen = value.waitForChange(0); woken.countDown() }
                    val async = value.awaitChangeAsync(0)
                    val cancelled = value.awaitChangeAsync(0)
                    cancelled.cancel(false) shouldBe true
                    value.set(7L)
                    woken.await(30, TimeUnit.SECONDS) shouldBe true
                    waiter.join()
                    seen shouldBe 1
                    async.get(30, TimeUnit.SECONDS) shouldBe 1L
                    value.waitForChange(0) shouldBe 1 // already changed: at once
                    value.awaitChangeAsync(0).get(30, TimeUnit.SECONDS) shouldBe 1L

                    val pending = value.awaitChangeAsync(1)
                    var blockedFailure: Throwable? = null
                    val blocked = thread { blockedFailure = runCatching { value.waitForChange(1) }.exceptionOrNull() }
                    Thread.sleep(50)
                    value.close()
                    blocked.join(30_000)
                    (blockedFailure is IllegalStateException) shouldBe true
                    blockedFailure!!.message shouldContain "shared value"
                    val failure = shouldThrow<ExecutionException> { pending.get(30, TimeUnit.SECONDS) }
                    (failure.cause is IllegalStateException) shouldBe true
                    shouldThrow<IllegalStateException> { value.get() }.message shouldContain "is closed"
                    value.close() // idempotent
                }
            }

            if (backing.reopen != null) {
                test("a second handle sees the first one's writes, and the header's sizes win on reopen") {
                    val options = backing.options().withMaxSize(1 shl 20).withInitialSize(128)
                    SharedValue.open(Codecs.STRING, options).use { first ->
                        SharedValue.open(Codecs.STRING, ValueOptions(options.backing(), options.mode(), -1, -1, options.fileMode())).use { second ->
                            first.set("x".repeat(5000))
                            second.get() shouldBe "x".repeat(5000)
                            second.set("y")
                            first.get() shouldBe "y"
                            first.version() shouldBe 2
                        }
                        val clash = shouldThrow<io.plenum.segment.SegmentFormatException> {
                            SharedValue.open(Codecs.STRING, options.withMaxSize(2 shl 20))
                        }
                        clash.message shouldContain "capacity"
                    }
                }
            }
        }
    }
})
