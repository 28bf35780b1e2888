/**
 * Codecs: how values become bytes in shared memory and back, allocation-free for the fixed-size ones.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.codec;

import org.jspecify.annotations.NullMarked;
