package io.plenum.segment;

import io.plenum.linux.Fs;
import io.plenum.linux.LinuxException;
import io.plenum.linux.Processes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The private names under which {@link OpenMode#RECREATE} links a new segment before renaming it
 * over the path, and the removal of those a killed process left behind.
 *
 * <pre>
 *   .NAME.plenum-PID-START-PIDNS-RANDOM     this version: pid (decimal), its start time in clock
 *                                            ticks (decimal), its pid namespace inode (hex), random (hex)
 *   .NAME.plenum-PID-RANDOM                  earlier versions: pid (decimal), random (hex)
 * </pre>
 *
 * A temporary exists only between {@code linkat} and {@code rename}, both done by the process
 * whose pid it carries; so once that process is gone, nobody will ever rename it and it can be
 * removed. Invariant kept by {@link #removeLeftovers}: a name is removed only when it has exactly
 * one of these forms, is a regular file (not followed if a link) starting with the Plenum magic
 * prefix {@code "PL"}, and its process is provably gone: no process with that pid, or (when the
 * start time is encoded) a process with that pid that started at another time. A name from another
 * pid namespace (a container sharing the directory) is never removed: its pid means nothing here.
 */
final class TemporaryNames {
    private static final String MARK = ".plenum-";

    private TemporaryNames() {
    }

    /** A fresh temporary name for {@code path}, in its directory. */
    static Path next(Path path) {
        return path.resolveSibling("." + path.getFileName() + MARK + Processes.currentPid() + "-"
                + Processes.currentStartTime() + "-" + Long.toHexString(Processes.currentPidNamespace()) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * Removes the leftover temporaries of dead processes in {@code directory}; returns how many.
     * Never fails the create that calls it: a leftover it cannot judge or remove stays.
     */
    static int removeLeftovers(Path directory) {
        int removed = 0;
        try (DirectoryStream<Path> names = Files.newDirectoryStream(directory, ".*" + MARK + "*")) {
            for (Path candidate : names) {
                if (isDeadLeftover(candidate) && unlink(candidate)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // A directory we cannot list holds nothing we may judge; the create goes on.
        }
        return removed;
    }

    /** True when {@code name} is a temporary of ours whose process is gone. */
    static boolean isDeadLeftover(Path candidate) {
        String name = candidate.getFileName().toString();
        int mark = name.lastIndexOf(MARK);
        if (!name.startsWith(".") || mark < 2) {
            return false;
        }
        String[] fields = name.substring(mark + MARK.length()).split("-", -1);
        try {
            boolean gone;
            if (fields.length == 4 && isDecimal(fields[0]) && isDecimal(fields[1]) && isHex(fields[2]) && isHex(fields[3])) {
                int pid = Integer.parseInt(fields[0]);
                long start = Long.parseLong(fields[1]);
                if (Long.parseUnsignedLong(fields[2], 16) != Processes.currentPidNamespace()) {
                    return false;
                }
                gone = Processes.startTime(pid) != start;
            } else if (fields.length == 2 && isDecimal(fields[0]) && isHex(fields[1])) {
                gone = !Processes.exists(Integer.parseInt(fields[0]));
            } else {
                return false;
            }
            return gone && isPlenumFile(candidate);
        } catch (RuntimeException e) {
            return false; // unparsable, or liveness unknowable: not ours to judge
        }
    }

    private static boolean isPlenumFile(Path candidate) {
        if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer prefix = ByteBuffer.allocate(2);
            return channel.read(prefix, 0) == 2 && prefix.get(0) == 'P' && prefix.get(1) == 'L';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean unlink(Path candidate) {
        try {
            Fs.unlink(candidate.toString());
            return true;
        } catch (LinuxException e) {
            return false; // ENOENT: another creator removed it first; anything else: it stays
        }
    }

    private static boolean isDecimal(String text) {
        return !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isHex(String text) {
        return !text.isEmpty() && text.length() <= 16
                && text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
