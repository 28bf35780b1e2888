package io.plenum.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream

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
})
