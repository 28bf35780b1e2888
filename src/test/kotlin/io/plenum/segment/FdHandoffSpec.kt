package io.plenum.segment

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.array.ArrayOptions
import io.plenum.array.SharedLongArray
import io.plenum.linux.Fs
import io.plenum.sync.EventNotifier
import io.plenum.testing.ChildJvm
import io.plenum.testing.Scenario
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/** Has a memfd array and an eventfd, offers both over Unix sockets, and waits for a sibling to use them. */
object OfferingScenario : Scenario {
    override fun run(args: List<String>) {
        SharedLongArray.open(ArrayOptions.of(Backing.memfd("handoff")).withCapacity(4)).use { array ->
            EventNotifier.create().use { notifier ->
                FdHandoff.offer(Path.of(args[0]), array.fd()).use {
                    FdHandoff.offer(Path.of(args[1]), notifier.fd()).use {
                        println("offering")
                        check(notifier.await(Duration.ofSeconds(60)) > 0) { "no signal came" }
                        println("value ${array.get(0)}")
                    }
                }
            }
        }
    }
}

/** Receives the array's and the eventfd's fds from a process that is not its parent, writes, signals. */
object ReceivingScenario : Scenario {
    override fun run(args: List<String>) {
        val arrayFd = FdHandoff.receive(Path.of(args[0]))
        val notifierFd = FdHandoff.receive(Path.of(args[1]))
        try {
            SharedLongArray.open(ArrayOptions.of(Backing.fd(arrayFd))).use { array ->
                array.setRelease(0, 42)
            }
            EventNotifier.attach(notifierFd).use { it.signal() }
        } finally {
            Fs.close(arrayFd)
            Fs.close(notifierFd)
        }
        println("done")
    }
}

class FdHandoffSpec : FunSpec({
    val dir = Files.createTempDirectory("plenum-fd-handoff")
    afterSpec { dir.toFile().deleteRecursively() }

    test("a memfd segment and an eventfd pass between two sibling JVMs over Unix sockets") {
        val arraySocket = dir.resolve("array.sock")
        val notifierSocket = dir.resolve("notifier.sock")
        ChildJvm.start(OfferingScenario::class, arraySocket, notifierSocket).use { offering ->
            offering.awaitLine("offering")
            ChildJvm.start(ReceivingScenario::class, arraySocket, notifierSocket).use { receiving ->
                receiving.awaitLine("done")
                receiving.awaitSuccess()
            }
            offering.awaitLine("value 42", 60.seconds)
            offering.awaitSuccess()
        }
        Files.exists(arraySocket) shouldBe false
        Files.exists(notifierSocket) shouldBe false
    }

    test("every process that connects gets its own duplicate, until the offer is closed") {
        val socket = dir.resolve("many.sock")
        EventNotifier.create().use { notifier ->
            FdHandoff.offer(socket, notifier.fd()).use { offer ->
                repeat(3) {
                    val fd = FdHandoff.receive(socket)
                    EventNotifier.attach(fd).use { it.signal() }
                    Fs.close(fd)
                }
                offer.served() shouldBe 3
                notifier.consume() shouldBe 3L
            }
            shouldThrow<SegmentNotFoundException> { FdHandoff.receive(socket) }.message shouldContain socket.toString()
        }
    }

    test("bad sockets are refused with the path in the message") {
        shouldThrow<SegmentNotFoundException> { FdHandoff.receive(dir.resolve("nobody.sock")) }
            .message shouldContain "nobody.sock"
        val long = dir.resolve("x".repeat(120))
        shouldThrow<SegmentException> { FdHandoff.receive(long) }.message shouldContain "107 bytes"
        val taken = Files.createFile(dir.resolve("taken.sock"))
        EventNotifier.create().use { notifier ->
            shouldThrow<SegmentException> { FdHandoff.offer(taken, notifier.fd()) }.message shouldContain "taken.sock"
        }
        Files.exists(taken) shouldBe true
    }
})
