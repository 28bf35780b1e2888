/**
 * Slot pools: fixed-size slots in shared memory that processes allocate, fill, hand over and free, recovering the slots of dead owners.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.pool;

import org.jspecify.annotations.NullMarked;
