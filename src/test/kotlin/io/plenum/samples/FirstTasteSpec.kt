package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import javax.tools.ToolProvider

/** The README's first taste runs as printed there, in Kotlin and in Java. */
class FirstTasteSpec : FunSpec({
    fun captured(block: () -> Unit): String {
        val buffer = ByteArrayOutputStream()
        val previous = System.out
        System.setOut(PrintStream(buffer, true))
        try {
            block()
        } finally {
            System.setOut(previous)
        }
        return buffer.toString()
    }

    test("Kotlin") {
        val output = captured { main() }
        output shouldContain "[1, 42, 0, 0]"
        output shouldContain "locked; a dead holder was recovered: false"
        output shouldContain "locked without blocking a thread"
    }

    test("Java") {
        val output = captured { FirstTasteJava.main(emptyArray()) }
        output shouldContain "[1, 42, 0, 0]"
        output.lines().count { it == "locked; a dead holder was recovered: false" } shouldBe 1
    }

    test("Java, compiled with -Werror and run with no Kotlin on the classpath") {
        // What a Java user has: the library's classes and JSpecify, nothing of Kotlin. javac must see
        // no warning (Kotlin's refusal of an array's set is invisible to it) and the run must not
        // need a Kotlin class.
        val classpath = System.getProperty("java.class.path").split(File.pathSeparator)
            .filter { it.endsWith("target${File.separator}classes") || it.contains("jspecify") }
        classpath.any { it.endsWith("classes") } shouldBe true
        val out = Files.createTempDirectory("plenum-java-user").toFile()
        try {
            val messages = ByteArrayOutputStream()
            val status = ToolProvider.getSystemJavaCompiler().run(null, messages, messages,
                "-Werror", "-Xlint:deprecation", "-cp", classpath.joinToString(File.pathSeparator), "-d", out.path,
                "samples/java/io/plenum/samples/FirstTasteJava.java")
            (messages.toString() to status) shouldBe ("" to 0)
            val java = ProcessHandle.current().info().command().orElseThrow()
            val child = ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", (classpath + out.path).joinToString(File.pathSeparator), "io.plenum.samples.FirstTasteJava")
                .redirectErrorStream(true).redirectOutput(File(out, "output.txt")).start()
            val exited = child.waitFor(60, TimeUnit.SECONDS)
            if (!exited) child.destroyForcibly()
            val output = File(out, "output.txt").readText()
            (exited to output.isNotEmpty()) shouldBe (true to true)
            (child.exitValue() to output.lines().first()) shouldBe (0 to "[1, 42, 0, 0]")
        } finally {
            out.deleteRecursively()
        }
    }
})
