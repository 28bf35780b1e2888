/**
 * Typed arrays in shared memory: numbers, unsigned narrow numbers and bounded strings, with atomic element operations and whole-array locks.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.array;

import org.jspecify.annotations.NullMarked;
