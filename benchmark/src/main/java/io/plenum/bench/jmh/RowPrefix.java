package io.plenum.bench.jmh;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the rows of a JMH suite. With {@code @RowPrefix("mapped.I64")}, the method
 * {@code get_plenum} fills column {@code plenum} of row {@code mapped.I64.get}, and
 * {@code get_agrona} fills peer column {@code agrona} of the same row. See {@link JmhRows}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RowPrefix {
    /** Dotted prefix: structure, variant (for example {@code pool.I64}). */
    String value();
}
