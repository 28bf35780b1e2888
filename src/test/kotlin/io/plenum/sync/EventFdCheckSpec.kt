package io.plenum.sync

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.array.SharedLongArray
import io.plenum.linux.Fs
import io.plenum.segment.Backing
import io.plenum.testing.ChildJvm
import io.plenum.testing.TempPaths
import java.nio.file.Files
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/** Every fd taken as an eventfd is checked to be one, and refused before anything is written to it. */
class EventFdCheckSpec : FunSpec({
    val paths = TempPaths("eventfd-check")
    afterSpec { paths.close() }

    test("an array refuses its own segment fd as its eventfd, and the segment still opens") {
        val path = paths.next("array")
        SharedLongArray.open(Backing.file(path), 16).use { array ->
            array.setRelease(0, 42L)
            val bytes = Files.readAllBytes(path)
            shouldThrow<IllegalArgumentException> { array.useEventfd(EventNotifier.attach(array.fd())) }.message shouldContain
                "fd ${array.fd()} of this process is not an eventfd: it is /"
            array.signalEventfd() shouldBe false // still none
            Files.readAllBytes(path).contentEquals(bytes) shouldBe true
        }
        SharedLongArray.open(Backing.file(path), 16).use { reopened -> reopened[0] shouldBe 42L }
    }

    test("a notifier refuses a regular file without writing to it; an eventfd is taken") {
        val path = paths.next("plain")
        Files.write(path, ByteArray(16))
        val fd = Fs.open(path.toString(), Fs.O_RDWR, 0)
        try {
            shouldThrow<IllegalArgumentException> { EventNotifier.attach(fd) }.message shouldContain "is not an eventfd"
        } finally {
            Fs.close(fd)
        }
        Files.readAllBytes(path).contentEquals(ByteArray(16)) shouldBe true
        EventNotifier.create().use { real ->
            EventNotifier.attach(real.fd()).use { it.signal(3) }
            real.consume() shouldBe 3
        }
    }

    test("an fd of another JVM that is not an eventfd is refused; its eventfd is taken") {
        ChildJvm.start(EventFdOwner::class).use { child ->
            val (pid, fd) = child.awaitLine { it.startsWith("FD ") }.removePrefix("FD ").split(" ").map(String::toLong)
            // fd 1 is the child's stdout, a pipe to this JVM: writing 8 bytes to it would corrupt the protocol.
            shouldThrow<IllegalArgumentException> { EventNotifier.fromProcess(pid, 1) }.message shouldContain
                "fd 1 of pid $pid is not an eventfd: it is pipe:"
            SharedLongArray.open(Backing.anonymous(), 4).use { array ->
                shouldThrow<IllegalArgumentException> { array.useEventfd(EventNotifier.fromProcess(pid, 1)) }
                array.useEventfd(EventNotifier.fromProcess(pid, fd.toInt()))
                runBlocking {
                    val received = async(start = CoroutineStart.UNDISPATCHED) { array.eventfd().receive() }
                    child.send("SIGNAL 7")
                    withTimeout(10.seconds) { received.await() } shouldBe 7
                }
                child.awaitLine("SIGNALLED")
            }
        }
    }
})
