package io.plenum.testing

import java.io.BufferedWriter
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlin.reflect.KClass
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * A child JVM running one [Scenario] on the test classpath, with the same java binary and native
 * access as the test JVM. Its stdout and stderr are collected line by line; [kill9] sends SIGKILL.
 * Always close it (or use [ChildJvm.use]): closing kills a child that is still running.
 */
class ChildJvm private constructor(private val process: Process, val name: String) : AutoCloseable {
    private val lines = LinkedBlockingQueue<String>()
    private val transcript = StringBuffer()
    private val stdin: BufferedWriter = process.outputWriter()
    private val reader = Thread.ofPlatform().daemon().name("child-$name-output").start {
        try {
            process.inputReader().useLines { sequence ->
                sequence.forEach { line ->
                    transcript.append(line).append('\n')
                    lines.put(line)
                }
            }
        } catch (_: java.io.IOException) {
            // The JDK closes the pipe when a killed child's exit is reaped, which can race with a
            // read in progress ("Stream closed"): that is the end of the output, not an error.
        }
    }

    val pid: Long get() = process.pid()
    val isAlive: Boolean get() = process.isAlive

    /** Everything the child printed so far. */
    val output: String get() = transcript.toString()

    /** Waits for the next line the child prints that satisfies [predicate]; lines before it are consumed. */
    fun awaitLine(timeout: Duration = 30.seconds, predicate: (String) -> Boolean): String {
        val deadline = System.nanoTime() + timeout.inWholeNanoseconds
        while (true) {
            val left = deadline - System.nanoTime()
            val line = lines.poll(maxOf(left, 0), TimeUnit.NANOSECONDS)
            if (line != null) {
                if (line.startsWith("SCENARIO FAILED")) {
                    awaitExit(5.seconds)
                    throw AssertionError("child $name failed:\n$output")
                }
                if (predicate(line)) return line
                continue
            }
            if (!process.isAlive && lines.isEmpty()) {
                throw AssertionError("child $name exited with ${process.exitValue()} before the line came:\n$output")
            }
            if (left <= 0) throw TimeoutException("child $name printed no matching line within $timeout:\n$output")
        }
    }

    /** Waits for a line equal to [text]. */
    fun awaitLine(text: String, timeout: Duration = 30.seconds): String = awaitLine(timeout) { it == text }

    /** Sends one line to the child's stdin. */
    fun send(line: String) {
        stdin.write(line)
        stdin.newLine()
        stdin.flush()
    }

    /** Waits for the child to exit and returns its status. */
    fun awaitExit(timeout: Duration = 60.seconds): Int {
        if (!process.waitFor(timeout.inWholeMilliseconds, TimeUnit.MILLISECONDS)) {
            throw TimeoutException("child $name still running after $timeout:\n$output")
        }
        reader.join(5_000)
        return process.exitValue()
    }

    /** Waits for the child to exit with status 0, failing with its output otherwise. */
    fun awaitSuccess(timeout: Duration = 60.seconds) {
        val status = awaitExit(timeout)
        if (status != 0) throw AssertionError("child $name exited with $status:\n$output")
    }

    /** SIGKILL: the child dies at whatever instruction it is on. Returns once it is gone. */
    fun kill9() {
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
    }

    override fun close() {
        if (process.isAlive) kill9()
    }

    companion object {
        private val java: String = ProcessHandle.current().info().command().orElse("java")
        private val classpath: String = System.getProperty("java.class.path")

        /** The option that lets Plenum call native code; [withoutNativeAccess] leaves it out. */
        const val NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED"

        /** JVM options for children: small, quick to start, with native access. */
        val jvmOptions = listOf(
            NATIVE_ACCESS, "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xshare:auto",
        )

        /** [jvmOptions] without native access, plus [extra] (such as `--illegal-native-access=deny`). */
        fun withoutNativeAccess(vararg extra: String): List<String> = jvmOptions.filter { it != NATIVE_ACCESS } + extra

        /** Starts [scenario] in a new JVM with [args], started with [options] (default [jvmOptions]). */
        fun start(
            scenario: KClass<out Scenario>,
            vararg args: Any,
            name: String = scenario.simpleName ?: "child",
            options: List<String> = jvmOptions,
        ): ChildJvm {
            val command = listOf(java) + options +
                listOf("-cp", classpath, ChildMain::class.java.name, scenario.java.name) + args.map(Any::toString)
            val process = ProcessBuilder(command).redirectErrorStream(true).start()
            return ChildJvm(process, "$name#${process.pid()}")
        }

        /** Starts [count] children of one scenario; [args] gets each child's index. */
        fun startAll(count: Int, scenario: KClass<out Scenario>, args: (Int) -> List<Any>): List<ChildJvm> =
            (0 until count).map { index -> start(scenario, *args(index).toTypedArray(), name = "${scenario.simpleName}-$index") }
    }
}

/** Closes (killing if needed) every child, after [block]. */
inline fun <T> List<ChildJvm>.useAll(block: (List<ChildJvm>) -> T): T =
    try {
        block(this)
    } finally {
        forEach { it.close() }
    }
