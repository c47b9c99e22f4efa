package io.wsp4j.provider;

import io.wsp4j.winsock.WsaErrors;
import java.util.function.Supplier;

/**
 * Which {@link LayeredProvider} runs in this process: the one registered programmatically (hosts,
 * tests), else the class named by the system property {@value #PROPERTY}, else the sample
 * {@code io.wsp4j.provider.sample.AccountingProvider}.
 */
public final class ProviderSelection {
    public static final String PROPERTY = "wsp4j.provider";
    public static final String DEFAULT_CLASS = "io.wsp4j.provider.sample.AccountingProvider";

    private static volatile Supplier<? extends LayeredProvider> registered;

    private ProviderSelection() {}

    /** Uses {@code factory} for the next WSPStartup that creates the provider (until {@link #reset}). */
    public static void register(Supplier<? extends LayeredProvider> factory) {
        registered = factory;
    }

    public static void reset() {
        registered = null;
    }

    /** A new instance of the selected provider; {@link ProviderStartupException} if it cannot be made. */
    static LayeredProvider create() {
        Supplier<? extends LayeredProvider> f = registered;
        if (f != null) {
            LayeredProvider p = f.get();
            if (p == null) throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, "the registered provider factory returned null");
            return p;
        }
        String name = System.getProperty(PROPERTY, DEFAULT_CLASS);
        try {
            Class<?> c = Class.forName(name, true, ProviderSelection.class.getClassLoader());
            if (!LayeredProvider.class.isAssignableFrom(c)) {
                throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT, name + " does not extend " + LayeredProvider.class.getName());
            }
            return (LayeredProvider) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ProviderStartupException(WsaErrors.WSAEPROVIDERFAILEDINIT,
                    "cannot create the layered provider " + name + " (system property " + PROPERTY + "): " + e, e);
        }
    }
}
