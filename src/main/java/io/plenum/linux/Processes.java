package io.plenum.linux;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Process identity and liveness: pid, start time (so a reused pid is told apart), pid namespace,
 * {@code kill(pid, 0)}, and pidfds for taking another process's file descriptors.
 */
public final class Processes {
    private static final MethodHandle GETPID = Native.function("getpid", FunctionDescriptor.of(Native.INT));
    private static final MethodHandle KILL = Native.function("kill",
            FunctionDescriptor.of(Native.INT, Native.INT, Native.INT));
    private static final MethodHandle SYSCALL_3 = Native.syscall(3);

    private static final int CURRENT_PID;
    private static final long CURRENT_START_TIME;
    private static final long CURRENT_PID_NAMESPACE;

    static {
        CURRENT_PID = callGetpid();
        CURRENT_START_TIME = startTime(CURRENT_PID);
        CURRENT_PID_NAMESPACE = pidNamespace("self");
    }

    private Processes() {
    }

    /** This process's pid, as the kernel sees it in this pid namespace. */
    public static int currentPid() {
        return CURRENT_PID;
    }

    /** This process's start time in clock ticks since boot (field 22 of /proc/self/stat). */
    public static long currentStartTime() {
        return CURRENT_START_TIME;
    }

    /** The inode of this process's pid namespace ({@code /proc/self/ns/pid}). */
    public static long currentPidNamespace() {
        return CURRENT_PID_NAMESPACE;
    }

    /** {@code getpid()}, asked of the kernel each time. */
    public static int getpid() {
        return callGetpid();
    }

    private static int callGetpid() {
        try {
            return (int) GETPID.invokeExact(Native.scratch().capture);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code kill(pid, 0)}: true when a process with that pid exists (even one we may not signal).
     * Says nothing about whether it is the same process as before: compare {@link #startTime}.
     */
    public static boolean exists(int pid) {
        if (pid <= 0) {
            return false;
        }
        MemorySegment capture = Native.scratch().capture;
        int result;
        try {
            result = (int) KILL.invokeExact(capture, pid, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result == 0) {
            return true;
        }
        int errno = Native.errno(capture);
        if (errno == Errno.ESRCH) {
            return false;
        }
        if (errno == Errno.EPERM) {
            return true;
        }
        throw new LinuxException("kill", "pid " + pid + ", signal 0", errno);
    }

    /**
     * The start time of {@code pid} in clock ticks since boot, or -1 when there is no such process.
     */
    public static long startTime(int pid) {
        if (pid <= 0) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            if (!exists(pid)) {
                return -1;
            }
            throw new LinuxException("read", "/proc/" + pid + "/stat", Errno.EIO);
        }
        // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
        int end = stat.lastIndexOf(')');
        String[] fields = stat.substring(end + 2).split(" ");
        return Long.parseLong(fields[22 - 3]);
    }

    /** True when {@code pid} exists and started at {@code startTime}: the same process, not a pid reuse. */
    public static boolean isAlive(int pid, long startTime) {
        return exists(pid) && startTime(pid) == startTime;
    }

    /** The pid namespace inode of a process ("self" or a pid), or -1 when it cannot be read. */
    public static long pidNamespace(String process) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", process, "ns", "pid")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code pidfd_open(pid, 0)}: an fd that refers to exactly this process, never to a reuse of its pid. */
    public static int pidfdOpen(int pid) {
        return (int) syscall3("pidfd_open", "pid " + pid, Native.SYS_PIDFD_OPEN, pid, 0, 0);
    }

    /** {@code pidfd_getfd(pidfd, fd, 0)}: a duplicate, in this process, of another process's fd. */
    public static int pidfdGetfd(int pidfd, int targetFd) {
        return (int) syscall3("pidfd_getfd", "pidfd " + pidfd + ", fd " + targetFd, Native.SYS_PIDFD_GETFD,
                pidfd, targetFd, 0);
    }

    /** Duplicates fd {@code targetFd} of live process {@code pid} into this process. */
    public static int takeFd(int pid, int targetFd) {
        int pidfd = pidfdOpen(pid);
        try {
            return pidfdGetfd(pidfd, targetFd);
        } finally {
            Fs.close(pidfd);
        }
    }

    private static long syscall3(String call, String target, long number, long a, long b, long c) {
        MemorySegment capture = Native.scratch().capture;
        long result;
        try {
            result = (long) SYSCALL_3.invokeExact(capture, number, a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (result < 0) {
            throw new LinuxException(call, target, Native.errno(capture));
        }
        return result;
    }
}
