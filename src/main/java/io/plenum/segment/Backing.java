package io.plenum.segment;

import java.nio.file.Path;

/**
 * Where a segment's memory comes from. Create one with the factory methods:
 * <ul>
 *   <li>{@link #file(Path)}: a file, shared by every process that opens the path;</li>
 *   <li>{@link #shm(String)}: a POSIX shared-memory name, the file {@code /dev/shm/NAME};</li>
 *   <li>{@link #memfd(String)}: a new anonymous memory file, sealed against resizing (and its seals
 *       sealed), so that no process can truncate it under a mapping; other processes
 *       reach it by {@link #fromProcess(long, int)} or by an fd passed over a Unix socket;</li>
 *   <li>{@link #fd(int)}: an fd this process already has (Plenum works on its own duplicate);</li>
 *   <li>{@link #fromProcess(long, int)}: fd {@code fd} of live process {@code pid}, through
 *       {@code pidfd_getfd} (needs ptrace permission over it: same user, or CAP_SYS_PTRACE);</li>
 *   <li>{@link #anonymous()}: memory for this process only. A JVM cannot fork, so no other process
 *       can ever share it; it is for tests and for threads of one JVM.</li>
 * </ul>
 *
 * A name no segment can have (a NUL byte, a bad shm or memfd name) is refused here with a
 * {@link SegmentException} naming it, the same family as every other failure to open or create.
 */
public sealed interface Backing {
    /** Text naming the backing in messages. */
    String describe();

    static Backing file(Path path) {
        return new File(path);
    }

    static Backing file(String path) {
        if (path == null) {
            throw new SegmentException("a file backing needs a path (got null)");
        }
        checkNoNul("path", path);
        try {
            return new File(Path.of(path));
        } catch (java.nio.file.InvalidPathException e) {
            throw new SegmentException("invalid path \"" + path + "\": " + e.getReason(), e);
        }
    }

    private static void checkNoNul(String what, String text) {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw new SegmentException("invalid " + what + " \"" + text.replace("\0", "\\0") + "\": a NUL byte at index "
                    + nul + "; Linux names end at the first NUL");
        }
    }

    /** {@code /dev/shm/NAME}; a leading '/' (as {@code shm_open} takes it) is allowed. */
    static Backing shm(String name) {
        return new File(Path.of("/dev/shm", checkShmName(name)));
    }

    static Backing memfd(String name) {
        return new Memfd(name);
    }

    static Backing fd(int fd) {
        return new Fd(fd);
    }

    static Backing fromProcess(long pid, int fd) {
        return new ProcessFd(pid, fd);
    }

    static Backing anonymous() {
        return new Anonymous();
    }

    private static String checkShmName(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (bare.isEmpty() || bare.length() > 255 || bare.contains("/") || bare.equals(".") || bare.equals("..")
                || bare.indexOf('\0') >= 0) {
            throw new SegmentException("invalid POSIX shm name \"" + name
                    + "\": 1 to 255 characters, no '/' after an optional leading one, not '.' or '..', no NUL");
        }
        return bare;
    }

    /** A file at a path (also what a shm name becomes). */
    record File(Path path) implements Backing {
        public File {
            if (path == null) {
                throw new SegmentException("a file backing needs a path (got null)");
            }
            checkNoNul("path", path.toString());
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A new memfd. */
    record Memfd(String name) implements Backing {
        public Memfd {
            if (name == null || name.length() > 249 || name.indexOf('\0') >= 0 || name.contains("/")) {
                throw new SegmentException("invalid memfd name \"" + name
                        + "\": at most 249 characters, no '/' or NUL");
            }
        }

        @Override
        public String describe() {
            return "memfd:" + name;
        }
    }

    /** An fd of this process. */
    record Fd(int fd) implements Backing {
        public Fd {
            if (fd < 0) {
                throw new IllegalArgumentException("fd must be >= 0: " + fd);
            }
        }

        @Override
        public String describe() {
            return "fd " + fd;
        }
    }

    /** An fd of another live process. */
    record ProcessFd(long pid, int fd) implements Backing {
        public ProcessFd {
            if (pid <= 0 || pid > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pid must be a positive int: " + pid);
            }
            if (fd < 0) {
                throw new IllegalArgumentException("fd must be >= 0: " + fd);
            }
        }

        @Override
        public String describe() {
            return "fd " + fd + " of pid " + pid;
        }
    }

    /** Memory of this process only. */
    record Anonymous() implements Backing {
        @Override
        public String describe() {
            return "anonymous memory";
        }
    }
}
