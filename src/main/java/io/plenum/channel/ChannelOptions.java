package io.plenum.channel;

import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.SegmentOptions;
import io.plenum.segment.SegmentSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open or create a shared channel. Start from {@link #of(String)}, {@link #of(Path)} or
 * {@link #of(Backing)} and refine with the {@code with…} methods; every instance is immutable.
 *
 * <pre>{@code
 * SharedChannel<String> jobs = SharedChannel.open(Codecs.STRING,
 *         ChannelOptions.of("/dev/shm/jobs").withCapacity(4096).withMaxMessageSize(512));
 * }</pre>
 *
 * @param backing          where the memory comes from
 * @param mode             create, open, or either (default {@link OpenMode#CREATE_OR_OPEN})
 * @param capacity         messages the channel holds; -1 (default) takes an existing channel's and cannot create
 * @param maxMessageSize   the largest encoded message in bytes; -1 takes an existing channel's
 * @param fileMode         permission bits of a new file (default 0600)
 * @param overflow         what this handle's sends do when the channel is full (default SUSPEND)
 * @param recoveryInterval how long a slot must stay WRITING before a waiter checks whether its writer
 *                         died (default 1 s); a live writer is never skipped
 */
public record ChannelOptions(Backing backing, OpenMode mode, int capacity, int maxMessageSize, int fileMode,
                             ChannelOverflow overflow, Duration recoveryInterval)
        implements SegmentOptions<ChannelOptions> {
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

    public ChannelOptions {
        if (backing == null) {
            throw new IllegalArgumentException("backing is required");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (capacity != -1) {
            ChannelLayout.checkCapacity(capacity);
        }
        if (maxMessageSize != -1) {
            ChannelLayout.checkMaxMessageSize(maxMessageSize);
        }
        if ((fileMode & ~0777) != 0) {
            throw new IllegalArgumentException("fileMode must be permission bits 0..0777: 0" + Integer.toOctalString(fileMode));
        }
        if (overflow == null) {
            throw new IllegalArgumentException("overflow is required");
        }
        if (recoveryInterval == null || recoveryInterval.isNegative()) {
            throw new IllegalArgumentException("recoveryInterval must be zero or positive: " + recoveryInterval);
        }
    }

    public static ChannelOptions of(Backing backing) {
        return new ChannelOptions(backing, OpenMode.CREATE_OR_OPEN, -1, -1, SegmentSpec.DEFAULT_FILE_MODE,
                ChannelOverflow.SUSPEND, DEFAULT_RECOVERY_INTERVAL);
    }

    /** A file at {@code path}; {@code /dev/shm/NAME} is POSIX shared memory. */
    public static ChannelOptions of(String path) {
        return of(Backing.file(path));
    }

    public static ChannelOptions of(Path path) {
        return of(Backing.file(path));
    }

    public ChannelOptions withMode(OpenMode mode) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }

    public ChannelOptions withCapacity(int capacity) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }

    public ChannelOptions withMaxMessageSize(int maxMessageSize) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }

    public ChannelOptions withFileMode(int fileMode) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }

    public ChannelOptions withOverflow(ChannelOverflow overflow) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }

    public ChannelOptions withRecoveryInterval(Duration recoveryInterval) {
        return new ChannelOptions(backing, mode, capacity, maxMessageSize, fileMode, overflow, recoveryInterval);
    }
}
