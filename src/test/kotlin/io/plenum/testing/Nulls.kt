package io.plenum.testing

import java.lang.reflect.InvocationTargetException

/**
 * Calls the public one-argument method [name] of [target] with null, as a Java caller can even
 * where the API is null-marked (Kotlin refuses to), and rethrows what the method threw.
 */
fun callWithNull(target: Any, name: String): Any? {
    val method = target.javaClass.methods.first { it.name == name && it.parameterCount == 1 }
    method.trySetAccessible() // the implementation class may be package-private (MappedValue)
    return try {
        method.invoke(target, null)
    } catch (e: InvocationTargetException) {
        throw e.targetException
    }
}
