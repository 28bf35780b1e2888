package io.plenum.array

import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method

/**
 * One integer element type under test: how to open it, and its public API called by name, so that
 * one test body covers all eight types. Values travel as [Long] and are compared with [wrap], the
 * model of the type's arithmetic.
 */
class IntegerCase(
    val type: ElementType,
    val open: (ArrayOptions) -> NumericArray<*>,
    /** The Java type of values, and of deltas. */
    private val valueType: Class<*>,
    private val deltaType: Class<*>,
) {
    val bits = type.size() * 8
    val signed = type.kind() == ElementType.Kind.SIGNED
    val min: Long = if (signed) -(1L shl (bits - 1)) else 0
    val max: Long = if (bits == 64) (if (signed) Long.MAX_VALUE else -1L) else if (signed) (1L shl (bits - 1)) - 1 else (1L shl bits) - 1

    /** The value the element holds after storing the low [bits] bits of [x]. */
    fun wrap(x: Long): Long = when {
        bits == 64 -> x
        signed -> (x shl (64 - bits)) shr (64 - bits)
        else -> x and ((1L shl bits) - 1)
    }

    fun of(array: NumericArray<*>) = Ops(array)

    inner class Ops(val array: NumericArray<*>) {
        private fun method(name: String, vararg types: Class<*>): Method = array.javaClass.getMethod(name, *types)

        private fun value(x: Long): Any = convert(x, valueType)
        private fun delta(x: Long): Any = convert(x, deltaType)

        private fun call(method: Method, vararg args: Any): Any? = try {
            method.invoke(array, *args)
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }

        private fun result(x: Any?): Long = (x as Number).toLong()

        operator fun get(i: Int): Long = result(call(method("get", INT), i))
        operator fun set(i: Int, v: Long) { call(method("set", INT, valueType), i, value(v)) }
        fun getAndSet(i: Int, v: Long) = result(call(method("getAndSet", INT, valueType), i, value(v)))
        fun compareAndSet(i: Int, e: Long, v: Long) = call(method("compareAndSet", INT, valueType, valueType), i, value(e), value(v)) as Boolean
        fun compareAndExchange(i: Int, e: Long, v: Long) = result(call(method("compareAndExchange", INT, valueType, valueType), i, value(e), value(v)))
        fun getAndAdd(i: Int, d: Long) = result(call(method("getAndAdd", INT, deltaType), i, delta(d)))
        fun addAndGet(i: Int, d: Long) = result(call(method("addAndGet", INT, deltaType), i, delta(d)))
        fun incrementAndGet(i: Int) = result(call(method("incrementAndGet", INT), i))
        fun decrementAndGet(i: Int) = result(call(method("decrementAndGet", INT), i))
        fun getAndBitwiseAnd(i: Int, m: Long) = result(call(method("getAndBitwiseAnd", INT, valueType), i, value(m)))
        fun getAndBitwiseOr(i: Int, m: Long) = result(call(method("getAndBitwiseOr", INT, valueType), i, value(m)))
        fun getAndBitwiseXor(i: Int, m: Long) = result(call(method("getAndBitwiseXor", INT, valueType), i, value(m)))
        fun fill(from: Int, count: Int, v: Long) { call(method("fill", INT, INT, valueType), from, count, value(v)) }
    }

    override fun toString() = type.name

    companion object {
        private val INT = Int::class.javaPrimitiveType!!
        private val LONG = Long::class.javaPrimitiveType!!

        private fun convert(x: Long, type: Class<*>): Any = when (type) {
            Byte::class.javaPrimitiveType -> x.toByte()
            Short::class.javaPrimitiveType -> x.toShort()
            INT -> x.toInt()
            else -> x
        }

        private val BYTE = Byte::class.javaPrimitiveType!!
        private val SHORT = Short::class.javaPrimitiveType!!

        val all = listOf(
            IntegerCase(ElementType.I8, SharedByteArray::open, BYTE, INT),
            IntegerCase(ElementType.U8, SharedUnsignedByteArray::open, INT, INT),
            IntegerCase(ElementType.I16, SharedShortArray::open, SHORT, INT),
            IntegerCase(ElementType.U16, SharedUnsignedShortArray::open, INT, INT),
            IntegerCase(ElementType.I32, SharedIntArray::open, INT, INT),
            IntegerCase(ElementType.U32, SharedUnsignedIntArray::open, LONG, LONG),
            IntegerCase(ElementType.I64, SharedLongArray::open, LONG, LONG),
            IntegerCase(ElementType.U64, SharedLongArray::openUnsigned, LONG, LONG),
        )
    }
}
