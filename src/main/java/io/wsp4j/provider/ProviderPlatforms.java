package io.wsp4j.provider;

import io.wsp4j.winsock.WsaErrors;

/**
 * The {@link ProviderPlatform} the layered provider runs on: the one a host installed in this JVM,
 * else on Windows {@code io.wsp4j.provider.windows.WindowsPlatform} (loaded by name, so this class
 * never links Windows code), else none — an error, never a pretend platform.
 */
public final class ProviderPlatforms {
    static final String WINDOWS_PLATFORM = "io.wsp4j.provider.windows.WindowsPlatform";

    private static volatile ProviderPlatform installed;

    private ProviderPlatforms() {}

    /** A host (the Linux SPI host, a test) makes its platform current for this JVM; returns the one it replaces (or null). */
    public static synchronized ProviderPlatform install(ProviderPlatform platform) {
        ProviderPlatform previous = installed;
        installed = platform;
        return previous;
    }

    /** Forgets the installed platform (tests). */
    public static void uninstall() {
        installed = null;
    }

    /** The current platform; {@link ProviderStartupException} (WSAEPROVIDERFAILEDINIT) if there is none. */
    public static ProviderPlatform current() {
        ProviderPlatform p = installed;
        if (p != null) return p;
        if (!io.wsp4j.core.windows.Kernel32.isWindows()) {
            throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT,
                    "no Winsock platform: not on Windows and no host installed one (ProviderPlatforms.install)");
        }
        try {
            p = (ProviderPlatform) Class.forName(WINDOWS_PLATFORM).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT,
                    "no Winsock platform: cannot load " + WINDOWS_PLATFORM + ": " + e, e);
        }
        installed = p;
        return p;
    }
}
