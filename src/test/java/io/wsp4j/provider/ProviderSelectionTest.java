package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.winsock.WsaErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {
    public static final class Custom extends LayeredProvider {}

    @AfterEach
    void reset() {
        ProviderSelection.reset();
        System.clearProperty(ProviderSelection.PROPERTY);
    }

    @Test
    void theSampleIsTheDefault() {
        assertInstanceOf(AccountingProvider.class, ProviderSelection.create());
    }

    @Test
    void theSystemPropertyNamesTheClass() {
        System.setProperty(ProviderSelection.PROPERTY, Custom.class.getName());
        assertInstanceOf(Custom.class, ProviderSelection.create());
    }

    @Test
    void aRegisteredFactoryWinsOverTheProperty() {
        System.setProperty(ProviderSelection.PROPERTY, AccountingProvider.class.getName());
        ProviderSelection.register(Custom::new);
        assertInstanceOf(Custom.class, ProviderSelection.create());
    }

    @Test
    void aClassThatIsNoProviderFailsStartupWithAClearMessage() {
        System.setProperty(ProviderSelection.PROPERTY, String.class.getName());
        ProviderStartupException e = assertThrows(ProviderStartupException.class, ProviderSelection::create);
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, e.errorCode());
        assertTrue(e.getMessage().contains("does not extend"), e.getMessage());
        System.setProperty(ProviderSelection.PROPERTY, "no.such.Provider");
        e = assertThrows(ProviderStartupException.class, ProviderSelection::create);
        assertTrue(e.getMessage().contains("no.such.Provider"), e.getMessage());
    }

    @Test
    void theWindowsPlatformNamedForReflectionExistsAndIsAPlatform() throws Exception {
        // Loaded (not initialised) by name only: ProviderPlatforms never links Windows code on Linux.
        Class<?> c = Class.forName(ProviderPlatforms.WINDOWS_PLATFORM, false, ProviderPlatforms.class.getClassLoader());
        assertTrue(ProviderPlatform.class.isAssignableFrom(c));
        assertNotNull(c.getConstructor());
    }

    @Test
    void anInstalledPlatformIsCurrentAndInstallReturnsThePreviousOne() {
        ProviderPlatform none = ProviderPlatforms.install(null);
        ProviderPlatform p = new SpiTestKit();
        assertNull(ProviderPlatforms.install(p));
        assertSame(p, ProviderPlatforms.current());
        assertSame(p, ProviderPlatforms.install(none));
    }

    @Test
    void withoutAnInstalledPlatformOffWindowsThereIsNoPlatform() {
        ProviderPlatforms.uninstall();
        if (System.getProperty("os.name").startsWith("Windows")) return;
        ProviderStartupException e = assertThrows(ProviderStartupException.class, ProviderPlatforms::current);
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, e.errorCode());
        assertTrue(e.getMessage().contains("no Winsock platform"), e.getMessage());
    }
}
