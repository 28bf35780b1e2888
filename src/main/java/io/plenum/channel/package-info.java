/**
 * Channels between threads and processes: bounded rings of messages with send/receive, closing, and blocking, timed, never-waiting and asynchronous forms.
 *
 * <p>Every type in this package is {@code @NullMarked}: a result or parameter is never null unless
 * it is marked {@code @Nullable}.
 */
@NullMarked
package io.plenum.channel;

import org.jspecify.annotations.NullMarked;
