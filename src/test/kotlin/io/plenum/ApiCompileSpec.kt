package io.plenum

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files

/**
 * What the Kotlin compiler makes of user code written against the API: it compiles snippets (never
 * runs them) with the real compiler and this build's classes, and checks which ones it refuses.
 * The Java API is null-marked (JSpecify), so a result that may be null is a Kotlin nullable: taking
 * it as non-null must not compile, and the same code taking it as nullable must.
 */
class ApiCompileSpec : FunSpec({
    val imports = """
        import io.plenum.array.*
        import io.plenum.channel.*
        import io.plenum.map.*
        import io.plenum.pool.*
        import io.plenum.sync.*
        import io.plenum.value.*
        import java.time.Duration
    """.trimIndent()

    /** A result the API may give as null, taken as [type]: refused as is, accepted as `type?`. */
    data class NullableResult(val name: String, val receiver: String, val type: String, val call: String)

    val results = listOf(
        NullableResult("pool.tryAlloc()", "pool: SharedLongPool", "Int", "pool.tryAlloc()"),
        NullableResult("pool.alloc(timeout)", "pool: SharedLongPool", "Int", "pool.alloc(kotlin.time.Duration.ZERO)"),
        NullableResult("pool.allocBlocking(timeout)", "pool: SharedLongPool", "Int", "pool.allocBlocking(kotlin.time.Duration.ZERO)"),
        NullableResult("pool.tryAllocN(n)", "pool: SharedIntPool", "IntArray", "pool.tryAllocN(2)"),
        NullableResult("pool.allocN(n, timeout)", "pool: SharedIntPool", "IntArray", "pool.allocN(2, kotlin.time.Duration.ZERO)"),
        NullableResult("pool.allocNBlocking(n, timeout)", "pool: SharedIntPool", "IntArray", "pool.allocNBlocking(2, kotlin.time.Duration.ZERO)"),
        NullableResult("pool.tryAllocSlot()", "pool: SharedBytePool", "PoolSlot", "pool.tryAllocSlot()"),
        NullableResult("pool.ticket(slot)", "pool: SharedStringPool", "SlotTicket", "pool.ticket(0)"),
        NullableResult("pool.tryAllocAndSet(v)", "pool: SharedDoublePool", "Int", "pool.tryAllocAndSet(1.0)"),
        NullableResult("mutex.tryGuard(timeout)", "mutex: SharedMutex", "LockGuard", "mutex.tryGuard(Duration.ZERO)"),
        NullableResult("rw.tryWriteGuard(timeout)", "rw: SharedRwLock", "LockGuard", "rw.tryWriteGuard(Duration.ZERO)"),
        NullableResult("array.tryWriteLock(timeout)", "array: SharedLongArray", "LockGuard", "array.tryWriteLock(Duration.ZERO)"),
        NullableResult("channel.tryPoll()", "channel: SharedChannel<String>", "String", "channel.tryPoll()"),
        NullableResult("channel.poll(timeout)", "channel: SharedChannel<Long>", "Long", "channel.poll(Duration.ZERO)"),
        NullableResult("channel.closeReason()", "channel: SharedChannel<Long>", "String", "channel.closeReason()"),
        NullableResult("map[key]", "map: SharedMap<String, String>", "String", "map[\"k\"]"),
        NullableResult("map.put(key, value)", "map: SharedMap<Long, Long>", "Long", "map.put(1L, 2L)"),
        NullableResult("map.remove(key)", "map: SharedMap<Long, Long>", "Long", "map.remove(1L)"),
        NullableResult("value.get()", "value: SharedValue<String>", "String", "value.get()"),
        NullableResult("value.tryLock(timeout)", "value: SharedValue<String>", "ValueLock<String>", "value.tryLock(Duration.ZERO)"),
        NullableResult("ElementType.ofVariant(v)", "unused: Int", "ElementType", "ElementType.ofVariant(unused)"),
    )

    /** Null given where the API takes none: refused. */
    val nullArguments = listOf(
        "channel.tryOffer(null)" to "fun use(channel: SharedChannel<String>) { channel.tryOffer(null) }",
        "map.put(key, null)" to "fun use(map: SharedMap<String, String>) { map.put(\"k\", null) }",
        "value.set(null)" to "fun use(value: SharedValue<String>) { value.set(null) }",
    )

    test("a result that may be null is nullable in Kotlin: taking it as non-null does not compile, as nullable does") {
        val refused = results.associate { r ->
            r.name to "suspend fun use(${r.receiver}) { val taken: ${r.type} = ${r.call}; println(taken) }"
        }
        val accepted = results.associate { r ->
            r.name to "suspend fun use(${r.receiver}) { val taken: ${r.type}? = ${r.call}; println(taken) }"
        }
        val outcome = compile(imports, refused + nullArguments.toMap(), accepted)
        for (r in results) {
            outcome.errorsOf(r.name) shouldContain "mismatch"
            outcome.errorsOf(r.name) shouldContain "${r.type.substringAfterLast('.')}?"
        }
        for ((name, _) in nullArguments) {
            outcome.errorsOf(name) shouldContain "null cannot be a value of a non-null type"
        }
        outcome.acceptedErrors shouldBe ""
    }

    test("in Kotlin the plain verb suspends: alloc() and lock() do not compile outside a coroutine; the Blocking forms do") {
        // receiver, the suspending call, its thread-blocking form
        val verbs = listOf(
            Triple("pool: SharedLongPool", "pool.alloc()", "pool.allocBlocking()"),
            Triple("pool: SharedIntPool", "pool.allocN(2)", "pool.allocNBlocking(2)"),
            Triple("pool: SharedBytePool", "pool.allocSlot()", "pool.allocSlotBlocking()"),
            Triple("pool: SharedLongPool", "pool.allocAndSet(1L)", "pool.allocAndSetBlocking(1L)"),
            Triple("pool: SharedStringPool", "pool.allocAndSet(\"x\")", "pool.allocAndSetBlocking(\"x\")"),
            Triple("pool: SharedDoublePool", "pool.alloc(java.time.Duration.ZERO)", "pool.allocBlocking(kotlin.time.Duration.ZERO)"),
            Triple("mutex: SharedMutex", "mutex.lock()", "mutex.lockBlocking()"),
            Triple("rw: SharedRwLock", "rw.readLock()", "rw.readLockBlocking()"),
            Triple("rw: SharedRwLock", "rw.writeLock()", "rw.writeLockBlocking()"),
            Triple("value: SharedValue<String>", "value.lock()", "value.lockBlocking()"),
        )
        val refused = verbs.associate { (receiver, call, _) -> call to "fun use($receiver) { println($call) }" }
        val accepted = verbs.flatMap { (receiver, call, blocking) ->
            // The Java Duration overload is hidden like the rest, so it has no suspending twin to accept.
            listOfNotNull(
                if (call.contains("java.time")) null else "suspend $call" to "suspend fun use($receiver) { println($call) }",
                "blocking $blocking" to "fun use($receiver) { println($blocking) }",
            )
        }.toMap()
        val outcome = compile(imports, refused, accepted)
        for ((_, call, _) in verbs) {
            if (call.contains("java.time")) {
                outcome.errorsOf(call) shouldContain "mismatch" // Java's alloc(java.time.Duration) is not visible
            } else {
                outcome.errorsOf(call) shouldContain "can only be called from a coroutine"
            }
        }
        outcome.acceptedErrors shouldBe ""
    }

    test("an indexed write to a shared array does not compile, so a[i] += d cannot silently lose updates") {
        // Each numeric array, Java and Kotlin-unsigned, with a value and a delta literal. In Kotlin, 8- and
        // 16-bit numbers widen in `+` (Byte + Byte is an Int), so `a[i] += v` never compiled for them;
        // `a[i]++` did, and is the same read and separate write.
        data class Case(val type: String, val value: String, val delta: String, val widens: Boolean = false)
        val arrays = listOf(
            Case("SharedByteArray", "1.toByte()", "1", widens = true), Case("SharedShortArray", "1.toShort()", "1", widens = true),
            Case("SharedIntArray", "1", "1"), Case("SharedLongArray", "1L", "1L"),
            Case("SharedFloatArray", "1f", "1f"), Case("SharedDoubleArray", "1.0", "1.0"),
            Case("SharedUnsignedByteArray", "1", "1"), Case("SharedUnsignedShortArray", "1", "1"),
            Case("SharedUnsignedIntArray", "1L", "1L"),
            Case("SharedUByteArray", "1u", "1", widens = true), Case("SharedUShortArray", "1u", "1", widens = true),
            Case("SharedUIntArray", "1u", "1L"), Case("SharedULongArray", "1u", "1L"),
        )
        val refused = arrays.flatMap { (type, value, _, widens) ->
            listOfNotNull(
                if (widens) null else "$type: a[i] += v" to "fun use(a: $type) { a[0] += $value }",
                "$type: a[i] = v" to "fun use(a: $type) { a[0] = $value }",
                "$type: a[i]++" to "fun use(a: $type) { a[0]++ }",
            )
        }.toMap()
        val accepted = arrays.associate { (type, value, delta, _) ->
            type to "fun use(a: $type) { val read = a[0]; a.setRelease(1, $value); a.addAndGet(0, $delta); println(read) }"
        }
        val outcome = compile(imports, refused, accepted)
        for (name in refused.keys) {
            outcome.errorsOf(name) shouldContain "addAndGet(i, d)"
        }
        outcome.acceptedErrors shouldBe ""
    }
})

/** The compiler's errors, per refused snippet, and its errors and warnings about the accepted snippets (none expected). */
private class Outcome(private val errors: Map<String, String>, val acceptedErrors: String) {
    fun errorsOf(name: String): String = errors.getValue(name).ifEmpty { "(compiled without an error: $name)" }
}

/**
 * Compiles every snippet in its own file: the [refused] ones in one compiler run, where each must
 * get an error, and the [accepted] ones in a second run, where none may get an error or a warning.
 * Two runs because the compiler reports warnings only when a run has no error.
 */
private fun compile(imports: String, refused: Map<String, String>, accepted: Map<String, String>): Outcome {
    val errors = compileEach(imports, "refused", refused, "error")
    val acceptedProblems = compileEach(imports, "accepted", accepted, "error", "warning").values.joinToString("")
    return Outcome(errors, acceptedProblems)
}

/** Compiles [snippets] in one run; per snippet name, the compiler's lines about it that contain one of [kinds]. */
private fun compileEach(imports: String, prefix: String, snippets: Map<String, String>, vararg kinds: String): Map<String, String> {
    val dir = Files.createTempDirectory("plenum-api-compile").toFile()
    try {
        val names = snippets.entries.mapIndexed { i, (name, code) ->
            val file = File(dir, "${prefix}$i.kt")
            file.writeText("package snippet.$prefix$i\n$imports\n$code\n")
            file to name
        }.toMap()
        val classpath = System.getProperty("java.class.path").split(File.pathSeparator)
            .filterNot { it.contains("kotlin-compiler-embeddable") }
            .joinToString(File.pathSeparator)
        val messages = ByteArrayOutputStream()
        K2JVMCompiler().exec(
            PrintStream(messages, true, Charsets.UTF_8),
            "-classpath", classpath, "-d", File(dir, "out").path, "-no-stdlib", "-no-reflect",
            "-jvm-target", "25", "-language-version", "2.4", *names.keys.map { it.path }.toTypedArray(),
        )
        val lines = messages.toString(Charsets.UTF_8).lines()
        return names.entries.associate { (file, name) ->
            name to lines.filter { line -> line.contains(file.name) && kinds.any { line.contains(it) } }.joinToString("\n")
        }
    } finally {
        dir.deleteRecursively()
    }
}
