/**
 * A shared value: one typed value in shared memory, read without locks, written under a robust lock, watched for changes.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.value;

import org.jspecify.annotations.NullMarked;
