package io.plenum.linux;

import org.jspecify.annotations.Nullable;

/**
 * The check that this JVM lets Plenum call native code, made before the first downcall handle is
 * built. Without it the JDK only warns at the first call (or, under
 * {@code --illegal-native-access=deny}, fails a class initialiser, after which every later use is a
 * bare {@code NoClassDefFoundError}). This class itself calls nothing native, so the check can be
 * asked again and gives the same answer every time.
 */
public final class NativeAccess {
    private NativeAccess() {
    }

    /** The {@code --enable-native-access} value that names Plenum's module: its name, or ALL-UNNAMED on the class path. */
    public static String flagValue() {
        Module module = NativeAccess.class.getModule();
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /** Null when native access is enabled for Plenum's module, else what to do about it. */
    public static @Nullable String problem() {
        if (NativeAccess.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        Module module = NativeAccess.class.getModule();
        String where = module.isNamed() ? "module " + module.getName() : "the class path (the unnamed module)";
        return "Plenum calls Linux through the JDK's foreign function interface, and native access is not enabled for "
                + where + ": start the JVM with --enable-native-access=" + flagValue()
                + " (or, for an executable jar, put 'Enable-Native-Access: ALL-UNNAMED' in its manifest)";
    }

    /**
     * Throws {@link IllegalStateException} with {@link #problem()} unless native access is enabled.
     * Called by every class of this package before it links a native function.
     */
    public static void require() {
        String problem = problem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }
}
