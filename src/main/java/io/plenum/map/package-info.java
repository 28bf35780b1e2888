/**
 * A named key-value store in shared memory: lock-free reads, striped robust write locks, growth across processes.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.map;

import org.jspecify.annotations.NullMarked;
