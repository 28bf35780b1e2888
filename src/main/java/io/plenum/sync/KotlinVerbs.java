package io.plenum.sync;

/**
 * Why some blocking Java members are invisible from Kotlin, in the words Kotlin's annotation keeps.
 *
 * <p>In Kotlin the plain verb suspends, as in kotlinx.coroutines ({@code pool.alloc()},
 * {@code mutex.lock()}), and a thread-blocking form ends in {@code Blocking}. A Java member always
 * wins over a Kotlin extension of the same name, so each blocking Java verb that has a suspending
 * Kotlin namesake carries Kotlin's deprecation at hidden level: Kotlin does not see it and calls the
 * extension; javac ignores the annotation, and Java calls the member as usual.
 */
public final class KotlinVerbs {
    /** The message on every Java member hidden from Kotlin (Kotlin never prints a hidden one). */
    public static final String SUSPENDS_IN_KOTLIN = "In Kotlin the plain verb suspends: this blocking Java member is "
            + "hidden from Kotlin, which calls the suspending extension of the same name, or the one ending in Blocking";

    private KotlinVerbs() {
    }
}
