package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.plenum.pool.PoolOptions
import io.kotest.matchers.shouldBe
import io.plenum.array.SharedByteArray
import io.plenum.array.SharedDoubleArray
import io.plenum.array.SharedFloatArray
import io.plenum.array.SharedIntArray
import io.plenum.array.SharedLongArray
import io.plenum.array.SharedShortArray
import io.plenum.array.SharedStringArray
import io.plenum.array.SharedUnsignedByteArray
import io.plenum.array.SharedUnsignedIntArray
import io.plenum.array.SharedUnsignedShortArray
import io.plenum.pool.SharedBytePool
import io.plenum.pool.SharedDoublePool
import io.plenum.pool.SharedIntPool
import io.plenum.pool.SharedLongPool
import io.plenum.pool.SharedStringPool
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.TempPaths
import java.lang.foreign.MemorySegment
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.nio.ByteBuffer
import java.nio.file.Path
import java.time.Duration
import java.util.function.IntConsumer
import java.util.function.Supplier

/**
 * Every public method of every structure, called after close: each throws IllegalStateException
 * naming the structure and its path, never the JDK's bare "Already closed", except the documented
 * facts of the handle that read no shared memory, which keep answering.
 */
class UseAfterCloseSpec : FunSpec({
    val paths = TempPaths("closed")
    afterSpec { paths.close() }

    /** The facts a closed handle still answers (documented in each structure's class comment). */
    val stillAnswering = setOf(
        "elementType", "capacity", "elementSize", "stride", "maxLength", "variant", "path", "describe", "created",
        "isClosed", "close", "toString", "hashCode", "equals", "getClass", "segment", "pendingAsync",
        "notify", "notifyAll", "wait",
    )

    /** A valid argument of each parameter type: index and count 1, empty buffers and actions. */
    fun argument(type: Class<*>, owner: Class<*>): Any? = when (type) {
        Int::class.javaPrimitiveType -> 1
        Long::class.javaPrimitiveType -> 0L
        Double::class.javaPrimitiveType -> 0.0
        Float::class.javaPrimitiveType -> 0f
        Short::class.javaPrimitiveType -> 0.toShort()
        Byte::class.javaPrimitiveType -> 0.toByte()
        Boolean::class.javaPrimitiveType -> false
        String::class.java -> "x"
        ByteArray::class.java -> ByteArray(0)
        ShortArray::class.java -> ShortArray(4)
        IntArray::class.java -> IntArray(1)
        LongArray::class.java -> LongArray(4)
        FloatArray::class.java -> FloatArray(4)
        DoubleArray::class.java -> DoubleArray(4)
        Array<String>::class.java -> arrayOf("x")
        ByteBuffer::class.java -> ByteBuffer.allocate(0)
        MemorySegment::class.java -> MemorySegment.ofArray(ByteArray(64))
        Duration::class.java -> Duration.ofMillis(1)
        Supplier::class.java -> Supplier { 1 }
        Runnable::class.java -> Runnable { }
        IntConsumer::class.java -> IntConsumer { }
        // The element arrays of the numeric arrays' generic bulk methods.
        Any::class.java -> when (owner.simpleName.removePrefix("Shared").removePrefix("Unsigned")) {
            "LongArray" -> LongArray(4)
            "IntArray" -> IntArray(4)
            "ShortArray" -> ShortArray(4)
            "ByteArray" -> ByteArray(4)
            "DoubleArray" -> DoubleArray(4)
            "FloatArray" -> FloatArray(4)
            else -> null
        }
        else -> null
    }

    /** Calls every public instance method of [handle] after closing it; returns what went wrong. */
    fun checkAll(handle: AutoCloseable, label: String, path: Path): List<String> {
        handle.close()
        val problems = mutableListOf<String>()
        val methods = handle.javaClass.methods.filter { !Modifier.isStatic(it.modifiers) && it.declaringClass != Any::class.java }
            .sortedBy(Method::toString)
        for (method in methods) {
            val call = "${handle.javaClass.simpleName}.${method.name}(${method.parameterTypes.joinToString { it.simpleName }})"
            val result = try {
                method.invoke(handle, *method.parameterTypes.map { argument(it, handle.javaClass) }.toTypedArray())
                null
            } catch (e: InvocationTargetException) {
                e.cause
            }
            if (method.name in stillAnswering) {
                if (result != null) problems += "$call should still answer after close, threw $result"
                continue
            }
            val message = result?.message ?: ""
            when {
                result == null -> problems += "$call returned after close"
                result.javaClass != IllegalStateException::class.java -> problems += "$call threw $result"
                !message.contains(label) || !message.contains(path.toString()) -> problems += "$call: \"$message\" names not $label at $path"
            }
        }
        return problems
    }

    val structures: List<Pair<String, (Path) -> AutoCloseable>> = listOf(
        "SharedLongArray" to { p -> SharedLongArray.open(Backing.file(p), 4) },
        "SharedIntArray" to { p -> SharedIntArray.open(Backing.file(p), 4) },
        "SharedShortArray" to { p -> SharedShortArray.open(Backing.file(p), 4) },
        "SharedByteArray" to { p -> SharedByteArray.open(Backing.file(p), 4) },
        "SharedDoubleArray" to { p -> SharedDoubleArray.open(Backing.file(p), 4) },
        "SharedFloatArray" to { p -> SharedFloatArray.open(Backing.file(p), 4) },
        "SharedUnsignedByteArray" to { p -> SharedUnsignedByteArray.open(Backing.file(p), 4) },
        "SharedUnsignedShortArray" to { p -> SharedUnsignedShortArray.open(Backing.file(p), 4) },
        "SharedUnsignedIntArray" to { p -> SharedUnsignedIntArray.open(Backing.file(p), 4) },
        "SharedStringArray" to { p -> SharedStringArray.open(Backing.file(p), 4, 16) },
        "SharedLongPool" to { p -> SharedLongPool.open(PoolOptions.of(Backing.file(p)).withMode(OpenMode.CREATE_NEW).withCapacity(4)) },
        "SharedIntPool" to { p -> SharedIntPool.open(PoolOptions.of(Backing.file(p)).withMode(OpenMode.CREATE_NEW).withCapacity(4)) },
        "SharedDoublePool" to { p -> SharedDoublePool.open(PoolOptions.of(Backing.file(p)).withMode(OpenMode.CREATE_NEW).withCapacity(4)) },
        "SharedStringPool" to { p -> SharedStringPool.open(PoolOptions.of(Backing.file(p)).withMode(OpenMode.CREATE_NEW).withCapacity(4).withMaxLength(16)) },
        "mutex" to { p -> SharedMutex(Backing.file(p)) { mode = OpenMode.CREATE_NEW } },
        "rwlock" to { p -> SharedRwLock(Backing.file(p)) { mode = OpenMode.CREATE_NEW } },
        "seqlock" to { p -> Seqlock(Backing.file(p)) { mode = OpenMode.CREATE_NEW } },
    )

    for ((label, open) in structures) {
        test("$label: every public method after close throws IllegalStateException naming it and its path, or is a documented fact that still answers") {
            val path = paths.next(label)
            checkAll(open(path), label, path).joinToString("\n") shouldBe ""
        }
    }

    test("an array's embedded locks after close name the lock and the array's path") {
        val path = paths.next("array")
        val array = SharedLongArray.open(Backing.file(path), 4)
        val guard = array.writeLock()
        guard.close()
        array.close()
        val error = runCatching { array.writeLock() }.exceptionOrNull()!!
        error.javaClass shouldBe IllegalStateException::class.java
        (error.message!!.contains(path.toString()) && error.message!!.contains("SharedLongArray")) shouldBe true
    }
})
