/**
 * The Linux system calls Plenum uses (futex, eventfd, epoll, memfd, Unix sockets), bound through the FFM API.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.linux;

import org.jspecify.annotations.NullMarked;
