package io.plenum.testing

/**
 * Code that runs in a child JVM started by [ChildJvm]. Implementations are Kotlin `object`s (or
 * classes with a no-argument constructor) in the test sources. Whatever [run] prints reaches the
 * parent line by line; returning exits the child with status 0, throwing exits with status 1 after
 * printing the stack trace.
 */
fun interface Scenario {
    fun run(args: List<String>)
}

/** The child JVM's entry point: `ChildMain <scenario class> [args…]`. */
object ChildMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val status = try {
            val type = Class.forName(args[0])
            val scenario = (type.kotlin.objectInstance ?: type.getDeclaredConstructor().newInstance()) as Scenario
            scenario.run(args.drop(1))
            0
        } catch (t: Throwable) {
            System.out.println("SCENARIO FAILED: $t")
            t.printStackTrace(System.out)
            1
        }
        System.out.flush()
        Runtime.getRuntime().halt(status)
    }
}
