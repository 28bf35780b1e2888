/**
 * Opening shared-memory segments: files, POSIX shm, memfd, inherited or handed-over fds and anonymous memory, with space reserved on creation.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.segment;

import org.jspecify.annotations.NullMarked;
