package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.lang.foreign.Arena
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/** An error no reactor code expects, as a bug or an exhausted JVM would raise it. */
private class InjectedFault : Error("injected into a reactor thread by a test")

/**
 * A listener that makes its reactor thread end, the way an uncaught-exception handler that
 * rethrows makes any escaping error fatal: it installs such a handler on the thread it runs on,
 * then throws [fault].
 */
private fun killing(fault: Error) = WaitListener { _, _ ->
    Thread.currentThread().setUncaughtExceptionHandler { _, e -> throw e }
    throw fault
}

/** A reactor thread that dies is replaced, and what it held fails instead of hanging (see [Reactor]). */
class ReactorDeathSpec : FunSpec({
    val arena = Arena.ofShared()
    afterSpec { arena.close() }

    test("a futex thread that dies fails the waits it held, and a new thread serves later waits on the same word") {
        repeat(3) { round ->
            val area = LockArea(arena)
            val word = area.at(0)
            val address = area.memory.address() + word
            // Another word served by the same thread: its wait is held by the thread that dies.
            val other = (1L until 64L).map { area.at(8 * it) }
                .first { Reactor.shardIndex(area.memory.address() + it) == Reactor.shardIndex(address) }
            val bystander = Reactor.shared().onChange(area.memory, other, 0)
            eventually(10_000) { Waiting.waiters(area.memory, other) == 1 } shouldBe true
            val fault = InjectedFault()
            Reactor.shared().watch(area.memory, word, 0, Waiting.NO_DEADLINE, killing(fault))
            Waiting.set(area.memory, word, 1)
            val failure = bystander.failure()
            failure.shouldBeInstanceOf<IllegalStateException>()
            failure.cause shouldBeSameInstanceAs fault

            val later = Reactor.shared().onChange(area.memory, word, 1)
            Waiting.set(area.memory, word, 3)
            later.get(10, TimeUnit.SECONDS)
            // The dying thread took its count out of the bystander's word.
            Waiting.waiters(area.memory, other) shouldBe 0
            eventually(10_000) { Waiting.waiters(area.memory, word) == 0 } shouldBe true
            Reactor.shared().threads() shouldBeLessThanOrEqual Reactor.MAX_THREADS
            println("round $round: futex thread replaced, later wait served")
        }
    }

    test("the epoll thread that dies fails the waits it held, and a new thread serves later eventfd waits") {
        repeat(3) { round ->
            EventNotifier.create().use { killer ->
                EventNotifier.create().use { bystander ->
                    val fault = InjectedFault()
                    val held = bystander.onSignal()
                    killer.watch(killing(fault))
                    killer.signal()
                    val failure = held.failure()
                    failure.shouldBeInstanceOf<IllegalStateException>()
                    failure.cause shouldBeSameInstanceAs fault

                    val later = bystander.onSignal()
                    bystander.signal()
                    later.get(10, TimeUnit.SECONDS)
                    val raw = CompletableFuture<Boolean>()
                    Reactor.shared().watchReadable(bystander.fd()) { readable, _ -> raw.complete(readable) }
                    raw.get(10, TimeUnit.SECONDS) shouldBe true
                    Reactor.shared().pendingFdWaits() shouldBe 0
                    println("round $round: epoll thread replaced, later waits served")
                }
            }
        }
    }
})
