package io.plenum.bench;

import java.util.List;

/**
 * The JVM flags every measuring JVM gets: JMH forks and cross-process workers alike.
 *
 * <p>Constants rather than a list so that JMH's {@code @Fork(jvmArgsAppend = …)} can use
 * them too; {@link #ALL} is what the harness passes to forks and workers at run time.
 */
public final class JvmArgs {

    /** FFM restricted methods (Plenum's futex and memfd downcalls) need it. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Agrona 2.x reaches {@code jdk.internal.misc.Unsafe} through {@code org.agrona.UnsafeApi}. */
    public static final String OPEN_INTERNAL_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Agrona reads the address of direct and mapped byte buffers. */
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Agrona's {@code IoUtil.unmap} frees mappings through the JDK's cleaner. */
    public static final String EXPORT_INTERNAL_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** JMH and Agrona still call sun.misc.Unsafe; allowed, so the JDK does not warn in every fork. */
    public static final String UNSAFE_ALLOWED = "--sun-misc-unsafe-memory-access=allow";
    /** Few GC threads on a small machine; the benchmarks allocate next to nothing. */
    public static final String SERIAL_GC = "-XX:+UseSerialGC";

    /** Everything a measuring JVM gets, in order. */
    public static final List<String> ALL =
            List.of(NATIVE_ACCESS, OPEN_INTERNAL_MISC, OPEN_NIO, EXPORT_INTERNAL_REF, UNSAFE_ALLOWED, SERIAL_GC);

    private JvmArgs() {
    }
}
