package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.wsp4j.catalog.CatalogException;
import org.junit.jupiter.api.Test;

/** Off Windows the Windows catalog loads (it is real code, compiled everywhere) and refuses clearly. */
class WindowsCatalogOffWindowsTest {
    @Test
    void refusesWithAClearMessageAndLoadsNoWindowsLibrary() {
        assumeFalse(WindowsCatalog.isWindows());
        CatalogException e = assertThrows(CatalogException.class, WindowsCatalog::system);
        assertTrue(e.getMessage().contains("only on Windows; use --catalog DIR"), e.getMessage());
    }
}
