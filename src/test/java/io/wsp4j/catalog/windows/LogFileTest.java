package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides where the shim's log goes, before any ACL is set: plain file and path logic, checked everywhere. */
class LogFileTest {
    @TempDir Path dir;

    private static byte[] config(String log) {
        return new ShimConfigFile("/j", "/a.jar", List.of(), "p.P", "{3F2A8C41-9B7E-4D06-A1C5-6E0F2B9D7A13}", List.of("*"),
                "pass-through", null, log).render("test");
    }

    @Test
    void theLogIsTheConfigsLogLine() {
        Path log = dir.resolve("wsp4j-log").resolve("wsp4j.log");
        assertEquals(Optional.of(log), LogFile.in(config(log.toString())));
        assertEquals(Optional.empty(), LogFile.in(config(null)));
    }

    @Test
    void aLogInOrAboveTheStateFolderIsRefused() {
        Path state = dir.resolve("ProgramData").resolve("wsp4j");
        assertThrows(CatalogException.class, () -> LogFile.checkOutside(state.resolve("wsp4j.log"), state));
        assertThrows(CatalogException.class, () -> LogFile.checkOutside(state.resolve("logs").resolve("wsp4j.log"), state));
        assertThrows(CatalogException.class, () -> LogFile.checkOutside(state.getParent().resolve("wsp4j.log"), state));
        LogFile.checkOutside(state.getParent().resolve("wsp4j-log").resolve("wsp4j.log"), state);
    }

    /** The Windows sample manifest's log is one every user's process can append to: out of the state folder. */
    @Test
    void theWindowsManifestsLogHasAFolderOfItsOwn() throws Exception {
        ProviderManifest m = ManifestParser.parse(Path.of(System.getProperty("basedir", "")).resolve("provider-manifest/accounting.windows.json"));
        Path programData = dir.resolve("ProgramData");
        Path log = programData.resolve(m.log().orElseThrow().replace("%ProgramData%\\", "").replace('\\', '/'));
        LogFile.checkOutside(log, programData.resolve("wsp4j"));
    }

    @Test
    void aFolderThatHoldsAnythingButTheLogIsNotTaken() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("other.txt"), "not ours");
        CatalogException e = assertThrows(CatalogException.class, () -> LogFile.prepare(shared.resolve("wsp4j.log"), state));
        assertTrue(e.getMessage().contains("holds other.txt"), e.getMessage());
    }
}
