package io.plenum.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import io.plenum.testing.useAll
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** The statistics as other processes see them while the pool is busy. */
class PoolStatsSpec : FunSpec({
    val paths = TempPaths("pool-stats")
    afterSpec { paths.close() }

    test("cumulative counters never decrease in any process's view: 4 JVMs alloc/free on 32 slots, two pollers") {
        val path = paths.next().toString()
        val workers = 4
        val iterations = 100_000
        SharedLongPool(path) { capacity = 32 }.use { pool ->
            ChildJvm.start(StatsPoller::class, path).use { childPoller ->
                childPoller.awaitLine("READY", 60.seconds)
                ChildJvm.startAll(workers, AllocSetGetFree::class) { listOf(path, it + 1, iterations) }.useAll { children ->
                    children.forEach { it.awaitLine("READY", 60.seconds) }
                    val stop = AtomicBoolean()
                    val parentPoll = CompletableFuture<String>()
                    Thread.ofPlatform().start { parentPoll.complete(pollMonotonic(pool, stop)) }
                    children.forEach { it.send("go") }
                    children.forEach { it.awaitLine("DONE $iterations", 5.minutes) }
                    stop.set(true)
                    childPoller.send("stop")
                    parentPoll.get(1, TimeUnit.MINUTES) shouldStartWith "POLLED"
                    childPoller.awaitLine(60.seconds) { it.startsWith("POLLED") || it.startsWith("DECREASED") || it.startsWith("INCONSISTENT") } shouldStartWith "POLLED"
                    children.forEach { it.awaitSuccess() }
                }
                childPoller.awaitSuccess()
            }
            val stats = pool.stats()
            stats.allocs shouldBe workers.toLong() * iterations
            stats.frees shouldBe workers.toLong() * iterations
        }
    }
})
