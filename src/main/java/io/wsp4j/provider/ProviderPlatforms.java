package io.wsp4j.provider;

/**
 * The {@link ProviderPlatform} the provider code in this JVM runs on. A host (the Linux SPI host, a
 * test) installs it before the first WSPStartup; the provider reads it with {@link #current()}.
 */
public final class ProviderPlatforms {
    private static volatile ProviderPlatform current;

    private ProviderPlatforms() {}

    /** Makes {@code platform} current; returns the one it replaces (null if none). */
    public static synchronized ProviderPlatform install(ProviderPlatform platform) {
        ProviderPlatform previous = current;
        current = platform;
        return previous;
    }

    /** The installed platform; IllegalStateException if none was installed. */
    public static ProviderPlatform current() {
        ProviderPlatform p = current;
        if (p == null) throw new IllegalStateException("no ProviderPlatform installed");
        return p;
    }
}
