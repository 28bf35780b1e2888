package io.plenum.segment;

import io.plenum.linux.Errno;
import io.plenum.linux.Fs;
import io.plenum.linux.LinuxException;
import io.plenum.linux.NativeAccess;
import io.plenum.linux.Processes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The creation protocol for every backing. For paths, a new segment is built completely in an
 * unnamed file ({@code O_TMPFILE}) in the target directory and then given its name with
 * {@code linkat}, which fails rather than replace anything: nobody ever sees a half-initialised
 * segment, racing creators agree on one winner, and the losers open the winner's file. An existing
 * path is opened with {@code O_NOFOLLOW}, so a symbolic link is refused, and nothing is written to a
 * file that did not pass validation.
 */
final class SegmentOpener {
    private static final int MAX_ATTEMPTS = 100;

    private SegmentOpener() {
    }

    static Segment open(Backing backing, OpenMode mode, SegmentSpec spec) {
        if (backing == null || mode == null || spec == null) {
            throw new IllegalArgumentException("backing, mode and spec are required");
        }
        String problem = NativeAccess.problem();
        if (problem != null) {
            throw new SegmentException(backing.describe() + ": cannot open: " + problem);
        }
        // Every path below releases what it took (fd, mapping, unnamed file) on any Throwable;
        // here the failure becomes one of the SegmentException family, its cause kept.
        try {
            return switch (backing) {
                case Backing.File file -> openPath(file, mode, spec);
                case Backing.Memfd memfd -> createMemfd(memfd, mode, spec);
                case Backing.Fd fd -> openFd(backing, reopen(backing, dup(fd)), mode, spec);
                case Backing.ProcessFd remote -> openFd(backing, reopen(backing, take(remote)), mode, spec);
                case Backing.Anonymous anonymous -> createAnonymous(anonymous, mode, spec);
            };
        } catch (Throwable failure) {
            throw OpenFailures.whileOpening(backing.describe(), failure);
        }
    }

    // ---- paths --------------------------------------------------------------------------------

    private static Segment openPath(Backing.File backing, OpenMode mode, SegmentSpec spec) {
        String path = backing.path().toString();
        if (mode == OpenMode.RECREATE) {
            return createAtPath(backing, spec, true);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (mode != OpenMode.CREATE_NEW) {
                int fd = openExistingPath(path, mode);
                if (fd >= 0) {
                    try {
                        return attach(backing, path, fd, spec);
                    } catch (Throwable e) {
                        closeQuietly(fd);
                        throw e;
                    }
                }
            }
            Segment created = createAtPath(backing, spec, false);
            if (created != null) {
                return created;
            }
            if (mode == OpenMode.CREATE_NEW) {
                throw new SegmentExistsException(path + ": exists already (mode CREATE_NEW)");
            }
            // Another process published the path between our open and our link: open theirs.
        }
        throw new SegmentException(path + ": appeared and vanished " + MAX_ATTEMPTS + " times while opening");
    }

    /** The fd of the existing file, or -1 when there is none (and the mode allows creating). */
    private static int openExistingPath(String path, OpenMode mode) {
        try {
            return Fs.open(path, Fs.O_RDWR | Fs.O_NOFOLLOW | Fs.O_CLOEXEC | 04000 /* O_NONBLOCK */, 0);
        } catch (LinuxException e) {
            switch (e.errno()) {
                case Errno.ENOENT -> {
                    if (mode == OpenMode.OPEN_EXISTING) {
                        throw new SegmentNotFoundException(path + ": no such segment (mode OPEN_EXISTING)");
                    }
                    return -1;
                }
                case Errno.ELOOP -> throw new SegmentFormatException(path
                        + ": is a symbolic link; Plenum opens segments without following links");
                default -> throw new SegmentException(path + ": cannot open: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Builds a new segment and publishes it at the path. Returns null when something already exists
     * there (and {@code replace} is false).
     */
    private static Segment createAtPath(Backing.File backing, SegmentSpec spec, boolean replace) {
        String path = backing.path().toString();
        SegmentHeader header = spec.newHeader(path);
        Path directory = backing.path().getParent();
        TemporaryNames.removeLeftovers(directory);
        int fd = openUnnamed(directory.toString(), path, spec.fileMode());
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = build(fd, header, spec, arena, path);
            if (!publish(fd, backing.path(), replace)) {
                arena.close();
                Fs.close(fd);
                return null;
            }
            return new Segment(backing, path, fd, true, header, arena, memory, spec.sparse());
        } catch (Throwable e) {
            // The file is still unnamed (or its temporary name is gone): closing the fd frees it.
            arena.close();
            closeQuietly(fd);
            throw e;
        }
    }

    private static int openUnnamed(String directory, String path, int mode) {
        try {
            int fd = Fs.open(directory, Fs.O_TMPFILE | Fs.O_RDWR | Fs.O_CLOEXEC, mode);
            Fs.fchmod(fd, mode);
            return fd;
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                throw new SegmentException(path + ": cannot create: directory " + directory + " does not exist", e);
            }
            if (e.errno() == Errno.EACCES || e.errno() == Errno.EROFS || e.errno() == Errno.ENOSPC) {
                throw new SegmentException(path + ": cannot create: " + e.getMessage(), e);
            }
            throw new SegmentException(path + ": cannot create an unnamed file in " + directory
                    + " (O_TMPFILE unsupported by this file system?): " + e.getMessage(), e);
        }
    }

    /** Names the built file; false when the path exists and {@code replace} is false. */
    private static boolean publish(int fd, Path target, boolean replace) {
        String path = target.toString();
        if (!replace) {
            try {
                Fs.linkFd(fd, path);
                return true;
            } catch (LinuxException e) {
                if (e.errno() == Errno.EEXIST) {
                    return false;
                }
                throw new SegmentException(path + ": cannot publish the new segment: " + e.getMessage(), e);
            }
        }
        // Replace atomically: name the file privately, then rename it over the path.
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            // A kill between this link and the rename leaves the temporary behind; the next create
            // in this directory removes it (TemporaryNames).
            String temporary = TemporaryNames.next(target).toString();
            try {
                Fs.linkFd(fd, temporary);
            } catch (LinuxException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue;
                }
                throw new SegmentException(path + ": cannot publish the new segment: " + e.getMessage(), e);
            }
            try {
                Fs.rename(temporary, path, 0);
                return true;
            } catch (LinuxException e) {
                try {
                    Fs.unlink(temporary);
                } catch (LinuxException ignored) {
                    // the rename's failure is the one to report
                }
                throw new SegmentException(path + ": cannot replace the segment: " + e.getMessage(), e);
            }
        }
        throw new SegmentException(path + ": cannot find a free temporary name");
    }

    // ---- fds ----------------------------------------------------------------------------------

    private static int dup(Backing.Fd backing) {
        try {
            return Fs.dup(backing.fd());
        } catch (LinuxException e) {
            throw new SegmentException(backing.describe() + ": cannot duplicate it: " + e.getMessage()
                    + (e.errno() == Errno.EBADF ? " (the fd is not open in this process)" : ""), e);
        }
    }

    private static int take(Backing.ProcessFd remote) {
        try {
            return Processes.takeFd((int) remote.pid(), remote.fd());
        } catch (LinuxException e) {
            throw new SegmentException(remote.describe() + ": cannot take it with pidfd_getfd: " + e.getMessage(), e);
        }
    }

    /**
     * A new open file description of the same file, so that {@code flock} excludes other processes
     * that share the caller's description (a dup or pidfd_getfd shares it, and with it the lock).
     */
    private static int reopen(Backing backing, int duplicate) {
        try {
            return Fs.open("/proc/self/fd/" + duplicate, Fs.O_RDWR | Fs.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new SegmentException(backing.describe() + ": cannot reopen it read-write: " + e.getMessage(), e);
        } finally {
            Fs.close(duplicate);
        }
    }

    /** An empty file behind an fd is initialised in place, under an exclusive flock against racers. */
    private static Segment openFd(Backing backing, int fd, OpenMode mode, SegmentSpec spec) {
        String where = backing.describe();
        try {
            if (mode == OpenMode.RECREATE) {
                throw new SegmentException(where + ": mode RECREATE needs a path backing");
            }
            Fs.flock(fd, Fs.LOCK_EX);
            try {
                long size = checkRegular(fd, where).size();
                if (size == 0) {
                    if (mode == OpenMode.OPEN_EXISTING) {
                        throw new SegmentNotFoundException(where + ": the file is empty, no segment (mode OPEN_EXISTING)");
                    }
                    SegmentHeader header = spec.newHeader(where);
                    Arena arena = Arena.ofShared();
                    try {
                        MemorySegment memory = build(fd, header, spec, arena, where);
                        return new Segment(backing, where, fd, true, header, arena, memory, spec.sparse());
                    } catch (Throwable e) {
                        arena.close();
                        emptyQuietly(fd); // leave the file as empty as it was given to us
                        throw e;
                    }
                }
                if (mode == OpenMode.CREATE_NEW) {
                    throw new SegmentExistsException(where + ": holds " + size + " bytes already (mode CREATE_NEW)");
                }
                return attach(backing, where, fd, spec);
            } finally {
                Fs.flock(fd, Fs.LOCK_UN);
            }
        } catch (Throwable e) {
            closeQuietly(fd);
            throw e;
        }
    }

    // ---- memory files -------------------------------------------------------------------------

    private static Segment createMemfd(Backing.Memfd backing, OpenMode mode, SegmentSpec spec) {
        String where = backing.describe();
        requireCreating(mode, where, "a memfd backing always creates a new memfd; open one another "
                + "process created with Backing.fromProcess(pid, fd) or Backing.fd(fd)");
        SegmentHeader header = spec.newHeader(where);
        int fd;
        try {
            fd = Fs.memfdCreate(backing.name());
        } catch (LinuxException e) {
            throw new SegmentException(where + ": cannot create the memfd: " + e.getMessage(), e);
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = build(fd, header, spec, arena, where);
            // No process can ever shrink a sealed memfd, so no mapping of it can fault (see Segment).
            // F_SEAL_SEAL last: once it is set, nobody (not even this process) can remove or add a seal.
            Fs.addSeals(fd, spec.kind().growable() ? Fs.F_SEAL_SHRINK : Fs.F_SEAL_SHRINK | Fs.F_SEAL_GROW);
            Fs.addSeals(fd, Fs.F_SEAL_SEAL);
            return new Segment(backing, where + " (fd " + fd + ")", fd, true, header, arena, memory, spec.sparse());
        } catch (Throwable e) {
            arena.close();
            closeQuietly(fd);
            throw e;
        }
    }

    private static Segment createAnonymous(Backing.Anonymous backing, OpenMode mode, SegmentSpec spec) {
        String where = backing.describe();
        requireCreating(mode, where, "anonymous memory is always new");
        SegmentHeader header = spec.newHeader(where);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = Fs.mmap(-1, header.initialSize(), arena);
            initialize(memory, header, spec.kind());
            return new Segment(backing, where, -1, true, header, arena, memory, false);
        } catch (Throwable e) {
            arena.close();
            throw e;
        }
    }

    private static void requireCreating(OpenMode mode, String where, String why) {
        if (mode == OpenMode.OPEN_EXISTING) {
            throw new SegmentNotFoundException(where + ": mode OPEN_EXISTING: " + why);
        }
    }

    // ---- common steps -------------------------------------------------------------------------

    /**
     * Sizes the new file (reserving its bytes unless the spec is sparse), maps it, and initialises
     * body and header, state last. Reserving first means that initialising, and every later store,
     * never meets a page the file system cannot supply.
     */
    private static MemorySegment build(int fd, SegmentHeader header, SegmentSpec spec, Arena arena, String where) {
        long size = header.initialSize();
        if (spec.sparse()) {
            try {
                Fs.ftruncate(fd, size);
            } catch (LinuxException e) {
                throw new SegmentException(where + ": cannot size the new segment to " + size + " bytes: "
                        + e.getMessage(), e);
            }
        } else {
            reserve(fd, 0, size, where, "the new segment");
        }
        MemorySegment memory;
        try {
            memory = Fs.mmap(fd, size, arena);
        } catch (LinuxException e) {
            throw new SegmentException(where + ": cannot map the new segment's " + size + " bytes: " + e.getMessage(), e);
        }
        initialize(memory, header, spec.kind());
        return memory;
    }

    /** {@link Fs#reserve}, failing with a message that names the bytes needed. */
    static void reserve(int fd, long offset, long length, String where, String what) {
        try {
            Fs.reserve(fd, offset, length);
        } catch (LinuxException e) {
            String hint = e.errno() == Errno.ENOSPC
                    ? " (the file system is full; free space, or use a file system with room)"
                    : e.errno() == Errno.EFBIG ? " (larger than the file system allows for one file)" : "";
            throw new SegmentException(where + ": cannot reserve " + length + " bytes for " + what + ": "
                    + e.getMessage() + hint, e);
        }
    }

    private static void initialize(MemorySegment memory, SegmentHeader header, SegmentKind kind) {
        kind.initialize(memory, header);
        header.write(memory);
        SegmentHeader.publishReady(memory);
    }

    /** Validates an existing segment and maps it at its published size. The caller closes {@code fd} on failure. */
    private static Segment attach(Backing backing, String where, int fd, SegmentSpec spec) {
        Arena arena = Arena.ofShared();
        try {
            long size = checkRegular(fd, where).size();
            if (size < SegmentHeader.SIZE) {
                throw new SegmentFormatException(where + ": file is " + size + " bytes, smaller than the "
                        + SegmentHeader.SIZE + "-byte Plenum header; not a Plenum " + spec.kind().name() + " segment");
            }
            MemorySegment memory = Fs.mmap(fd, size, arena);
            // A growing segment extends its file before it publishes the larger mappedSize: read
            // mappedSize once, then the file size, and judge that pair. Reading mappedSize again
            // later could see a growth that happened after the file size was read, which looks
            // like a lie; a size published after this read is picked up by the next refresh().
            long mapped = SegmentHeader.readMappedSize(memory);
            if (mapped > size) {
                size = checkRegular(fd, where).size();
            }
            SegmentHeader header = SegmentHeader.read(memory, size, mapped, spec, where);
            if (mapped != size) {
                arena.close();
                arena = Arena.ofShared();
                memory = Fs.mmap(fd, mapped, arena);
            }
            return new Segment(backing, where, fd, false, header, arena, memory, false);
        } catch (Throwable e) {
            arena.close();
            throw e;
        }
    }

    private static Fs.Stat checkRegular(int fd, String where) {
        Fs.Stat stat = Fs.fstat(fd);
        if (!stat.isRegularFile()) {
            throw new SegmentFormatException(where + ": is not a regular file (mode 0"
                    + Integer.toOctalString(stat.mode()) + "); not a Plenum segment");
        }
        return stat;
    }

    private static void emptyQuietly(int fd) {
        try {
            Fs.ftruncate(fd, 0);
        } catch (RuntimeException ignored) {
            // already failing; the first exception is the one to report
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Fs.close(fd);
        } catch (RuntimeException ignored) {
            // already failing; the first exception is the one to report
        }
    }
}
