package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.plenum.samples.pool.ConnectionPoolSample
import io.plenum.testing.ChildJvm
import java.util.concurrent.TimeUnit

/** The pool samples run to their end and print what they promise (small counts, so it stays quick). */
class PoolSamplesSpec : FunSpec({
    fun run(mainClass: String, vararg args: String): String {
        val command = listOf(ProcessHandle.current().info().command().get()) + ChildJvm.jvmOptions +
            listOf("-cp", System.getProperty("java.class.path"), mainClass) + args
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputReader().readText()
        process.waitFor(2, TimeUnit.MINUTES) shouldBe true
        if (process.exitValue() != 0) throw AssertionError("$mainClass exited with ${process.exitValue()}:\n$output")
        return output
    }

    test("connection pool sample: every connection comes back, also from failed requests") {
        val output = run(ConnectionPoolSample::class.java.name, "30")
        output shouldContain "30 requests: "
        output shouldContain "connections in use now: 0 of 4"
        val (served, failed, turnedAway) = Regex("(\\d+) served, (\\d+) failed .*, (\\d+) turned away").find(output)!!
            .destructured.toList().map(String::toInt)
        (served + failed + turnedAway) shouldBe 30
        (failed <= (0 until 30).count { it % 7 == 6 }) shouldBe true
    }

    test("producer/consumer sample: the consumer JVM takes every job exactly once") {
        val output = run("io.plenum.samples.pool.JobsSampleKt", "2000")
        output shouldContain "consumer: took 2000 jobs, sum 2001000"
        output shouldContain "producer: sent 2000 jobs (sum 2001000); slots in use now: 0"
    }
})
