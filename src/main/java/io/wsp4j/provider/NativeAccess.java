package io.wsp4j.provider;

import java.util.List;

/**
 * Whether this JVM lets wsp4j call restricted FFM methods without a warning. JEP 472 prints a warning
 * to the process's stderr the first time code without native access calls one (JDK 22 and later), and
 * the JDK offers no way to grant it from inside a running JVM: {@code ModuleLayer.Controller.enableNativeAccess}
 * is itself restricted (it warns, or fails, when its caller lacks native access), and the command line
 * ({@code --enable-native-access}), an executable JAR's {@code Enable-Native-Access} attribute and the
 * options of a JVM the shim creates are all decided when the JVM starts. So when the shim attaches
 * to a JVM that did not grant it (a targeted Java application), wsp4j does not start there at all:
 * nothing may appear on someone else's stderr.
 */
final class NativeAccess {
    private static volatile Boolean granted;

    private NativeAccess() {}

    /**
     * True if restricted methods called from wsp4j's module raise no warning: its module has native
     * access ({@code --enable-native-access=ALL-UNNAMED}, or its name), or the JVM runs with
     * {@code --illegal-native-access=allow}.
     */
    static boolean granted() {
        Boolean g = granted;
        if (g == null) granted = g = NativeAccess.class.getModule().isNativeAccessEnabled() || allowedForAll();
        return g;
    }

    /** The line logged when the provider declines to start. */
    static String refusal() {
        return "not started: this JVM does not grant wsp4j native access, and a restricted method would print a"
                + " warning on the application's stderr (start it with --enable-native-access=ALL-UNNAMED, or "
                + (NativeAccess.class.getModule().isNamed() ? NativeAccess.class.getModule().getName() : "ALL-UNNAMED")
                + " in its own list); the shim's fail_policy applies";
    }

    /** {@code --illegal-native-access=allow} (JDK 24+) leaves the flag unset but warns nobody; the JVM's arguments tell. */
    private static boolean allowedForAll() {
        try {
            List<String> arguments = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
            return arguments.contains("--illegal-native-access=allow") || arguments.contains("-Djdk.module.illegal.native.access=allow");
        } catch (Throwable noManagement) { // a runtime linked without java.management: assume the default (warn)
            return false;
        }
    }
}
