package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CanonicalForm;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.ForeignLsp;
import io.wsp4j.catalog.FreshReads;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.ProcessCopyCatalog;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.RolledBackException;
import io.wsp4j.catalog.TestProvider;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * WSCUpdateProvider does not refresh the calling process's copy of the catalog, so an installer that
 * verified in-process would read the old chains after `uninstall --force` and roll back a good change.
 * The CLI verifies from a new process (a child JVM running `read-catalog`); here over a test double of
 * Windows' per-process copy ({@link ProcessCopyCatalog}) whose catalog a child reads as it is.
 */
@EnabledOnOs(OS.LINUX)
class FreshVerificationTest {
    @TempDir
    Path tmp;

    record Setup(FileCatalog files, ProviderManifest manifest, ForeignLsp foreign) {}

    /** Ours in both catalogs, a foreign LSP over our 64-bit TCP chain entry. */
    Setup setup() {
        TestProvider p = TestProvider.create(tmp.resolve("p"));
        FileCatalog files = FileCatalog.open(tmp.resolve("catalog"));
        new Transaction(files, Duration.ZERO, TransactionListener.NONE)
                .run(b -> new Planner(files, PathExpander.systemDefault()).install(p.manifest(), b));
        ProtocolEntry tcp = OurEntries.find(files.read(), Bitness.X64, p.manifest().providerGuid()).chains().getFirst();
        ForeignLsp f = ForeignLsp.install(files, Bitness.X64, "other lsp", "%SystemRoot%\\system32\\otherlsp.dll",
                List.of(tcp.info().catalogEntryId()));
        return new Setup(files, p.manifest(), f);
    }

    static Transaction transaction(Catalog c, TransactionListener l) {
        return new Transaction(c, Duration.ZERO, l);
    }

    @Test
    void verifiedInProcessTheStaleCopyRollsBackAGoodForcedUninstall() {
        Setup s = setup();
        Catalog stale = new ProcessCopyCatalog(s.files);
        RolledBackException e = assertThrows(RolledBackException.class, () -> transaction(stale, TransactionListener.NONE)
                .run(b -> new Planner(stale, PathExpander.systemDefault()).uninstall(s.manifest.providerGuid(), true, b)));
        assertTrue(e.getMessage().contains("verification failed"), e.getMessage());
    }

    @Test
    void verifiedFromANewProcessTheForcedUninstallCommits() {
        Setup s = setup();
        Catalog c = new FreshReads(new ProcessCopyCatalog(s.files), new ChildCatalogReader(s.files.stateDir()));
        transaction(c, TransactionListener.NONE)
                .run(b -> new Planner(c, PathExpander.systemDefault()).uninstall(s.manifest.providerGuid(), true, b));
        CatalogImage after = s.files.read();
        assertFalse(OurEntries.find(after, Bitness.X64, s.manifest.providerGuid()).installed());
        ProtocolEntry theirs = s.foreign.chains(after).getFirst();
        assertEquals(List.of(s.foreign.hiddenId(after), 1001), theirs.chain(), "re-chained past ours");
    }

    @Test
    void aFailureAfterTheUpdateRollsBackToWhatANewProcessSeesAsBefore() {
        Setup s = setup();
        CatalogImage before = s.files.read();
        Catalog c = new FreshReads(new ProcessCopyCatalog(s.files), new ChildCatalogReader(s.files.stateDir()));
        assertThrows(RolledBackException.class, () -> transaction(c, new TransactionListener() {
            @Override
            public void reached(String point) {
                if (point.equals("step 3")) throw new IllegalStateException("injected after the WSCUpdateProvider of step 1");
            }
        }).run(b -> new Planner(c, PathExpander.systemDefault()).uninstall(s.manifest.providerGuid(), true, b)));
        assertTrue(CanonicalForm.same(before, s.files.read()), CanonicalForm.firstDifference(before, s.files.read()));
    }

    @Test
    void theChildPrintsTheCatalogAsItIs() throws Exception {
        Setup s = setup();
        assertEquals(s.files.read(), new ChildCatalogReader(s.files.stateDir()).read());
    }

    @Test
    void aChildThatCannotReadTheCatalogFailsTheVerificationWithItsReason() throws Exception {
        Setup s = setup();
        Files.writeString(s.files.stateDir().resolve(FileCatalog.CATALOG_FILE), "{ not json");
        CatalogException e = assertThrows(CatalogException.class, () -> new ChildCatalogReader(s.files.stateDir()).read());
        assertTrue(e.getMessage().startsWith("the process reading the catalog failed (exit 1): wsp4j: "), e.getMessage());
    }
}
