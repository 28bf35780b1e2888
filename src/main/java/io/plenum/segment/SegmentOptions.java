package io.plenum.segment;

/**
 * What every structure's options record has in common, so that code which opens structures of
 * several kinds (a test fixture, a service's configuration) can set them once: where the segment
 * lives, whether to create or open it, and the permission bits of a new file. Each structure adds
 * its own geometry ({@code capacity}, {@code maxMessageSize}, …) in its own record.
 *
 * <pre>{@code
 * static <O extends SegmentOptions<O>> O private_(O options) {
 *     return options.withMode(OpenMode.CREATE_NEW).withFileMode(0600);
 * }
 * SharedChannel<Long> jobs = SharedChannel.open(Codecs.LONG, private_(ChannelOptions.of("/dev/shm/jobs")));
 * }</pre>
 *
 * @param <O> the options record itself, which each {@code with…} returns
 */
public interface SegmentOptions<O extends SegmentOptions<O>> {
    /** Where the segment lives: a path (a file; {@code /dev/shm/NAME} is POSIX shm), a memfd, an fd, anonymous memory. */
    Backing backing();

    /** Create, open, or either. */
    OpenMode mode();

    /** The permission bits of a new file (0 to 0777); ignored when opening an existing one. */
    int fileMode();

    /** A copy with {@code mode}. */
    O withMode(OpenMode mode);

    /**
     * A copy with {@code fileMode}. Bits outside 0777 are refused with an
     * {@link IllegalArgumentException}, by the record or at the latest when the structure opens,
     * before any file exists.
     */
    O withFileMode(int fileMode);
}
