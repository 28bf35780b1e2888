package io.plenum.bench.jmh;

import io.plenum.bench.report.Row;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The naming convention that turns JMH benchmarks into report rows.
 *
 * <p>A suite class carries {@link RowPrefix @RowPrefix("mapped.I64")}; each of its
 * {@code @Benchmark} methods is named {@code <operation>_<column>}, split at the
 * <em>last</em> underscore. {@code get_plenum} → row {@code mapped.I64.get}, column
 * {@code plenum}; {@code alloc_free_heap} → row {@code <prefix>.alloc_free}, peer
 * {@code heap}. A suite with {@code @Param}s adds {@code [name=value,…]} to the row name.
 */
public final class JmhRows {

    private JmhRows() {
    }

    /** One {@code @Benchmark} method and the cell it fills. */
    public record Planned(Class<?> suite, String method, String row, String column) {
        /** The name JMH gives this benchmark, also its include pattern. */
        public String jmhName() {
            return suite.getName() + "." + method;
        }
    }

    /** Every benchmark method of {@code suites} whose row name {@code rowFilter} accepts. */
    public static List<Planned> plan(List<Class<?>> suites, Predicate<String> rowFilter) {
        List<Planned> planned = new ArrayList<>();
        for (Class<?> suite : suites) {
            RowPrefix prefix = suite.getAnnotation(RowPrefix.class);
            if (prefix == null) {
                throw new IllegalStateException(suite.getName() + " needs @RowPrefix(\"structure.Variant\") to name its rows");
            }
            Method[] methods = suite.getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method m : methods) {
                if (!m.isAnnotationPresent(Benchmark.class)) {
                    continue;
                }
                Planned p = planned(suite, prefix.value(), m.getName());
                if (rowFilter.test(p.row())) {
                    planned.add(p);
                }
            }
        }
        return planned;
    }

    private static Planned planned(Class<?> suite, String prefix, String method) {
        int cut = method.lastIndexOf('_');
        if (cut <= 0 || cut == method.length() - 1) {
            throw new IllegalStateException(suite.getName() + "." + method
                    + ": name benchmark methods <operation>_<column>, e.g. get_" + Row.PLENUM + " or get_heap");
        }
        return new Planned(suite, method, prefix + "." + method.substring(0, cut), method.substring(cut + 1));
    }
}
