package io.wsp4j.selftest;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.TestProvider;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
import io.wsp4j.manifest.ProviderManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The verify step's expectations, on a file catalog installed by the real installer, then broken on purpose. */
@EnabledOnOs(OS.LINUX)
class CatalogExpectationsTest {
    @TempDir Path tmp;
    FileCatalog catalog;
    TestProvider provider;
    ProviderManifest manifest;

    @BeforeEach
    void install() {
        provider = TestProvider.create(tmp.resolve("p"));
        manifest = provider.manifest();
        catalog = FileCatalog.open(tmp.resolve("catalog"));
        Planner planner = new Planner(catalog, PathExpander.systemDefault());
        new Transaction(catalog, Duration.ofSeconds(5), TransactionListener.NONE).run(before -> planner.install(manifest, before));
    }

    CatalogExpectations.Findings check(Set<Bitness> loadedHere) {
        return new CatalogExpectations(manifest, PathExpander.systemDefault(), false, loadedHere).check(catalog, catalog.read());
    }

    @Test
    void anInstallMeetsThemInBothCatalogs() {
        CatalogExpectations.Findings f = check(Set.of(Bitness.X64, Bitness.X86));
        assertTrue(f.ok(), f.problems().toString());
        assertTrue(f.seen().stream().anyMatch(s -> s.startsWith("64-bit catalog: hidden layered entry id")), f.seen().toString());
        assertTrue(f.seen().stream().anyMatch(s -> s.startsWith("32-bit catalog: hidden layered entry id") && s.endsWith("shim32.so")),
                f.seen().toString());
    }

    @Test
    void ourChainsNotFirstIsAProblem() {
        CatalogImage now = catalog.read();
        List<Integer> order = new ArrayList<>(now.order(Bitness.X64));
        order.add(order.removeFirst()); // our first chain to the end
        catalog.writeOrder(Bitness.X64, order);
        CatalogExpectations.Findings f = check(Set.of(Bitness.X64, Bitness.X86));
        assertTrue(f.problems().stream().anyMatch(p -> p.startsWith("64-bit catalog: our chains") && p.contains("are not first")),
                f.problems().toString());
    }

    @Test
    void a32BitChainNamingThe64BitShimIsAProblem() {
        OurEntries ours = OurEntries.find(catalog.read(), Bitness.X86, manifest.providerGuid());
        ProtocolEntry chain = ours.chains().getFirst();
        catalog.updateProvider(Bitness.X86, chain.info().providerId(), manifest.shimPath(), List.of(chain));
        CatalogExpectations.Findings f = check(Set.of(Bitness.X64, Bitness.X86));
        assertTrue(f.problems().stream().anyMatch(p -> p.startsWith("32-bit catalog: chain") && p.contains("expected " + manifest.shimPath32().get())),
                f.problems().toString());
    }

    @Test
    void aMissingShimFailsWhereItsCatalogIsLoadedAndIsOnlyNotedWhereNot() throws Exception {
        Files.delete(Path.of(manifest.shimPath32().get()));
        CatalogExpectations.Findings windows = check(Set.of(Bitness.X64, Bitness.X86));
        assertTrue(windows.problems().stream().anyMatch(p -> p.startsWith("32-bit id") && p.contains("does not exist")), windows.problems().toString());
        CatalogExpectations.Findings linux = check(Set.of(Bitness.X64));
        assertTrue(linux.ok(), linux.problems().toString());
        assertTrue(linux.seen().stream().anyMatch(s -> s.contains("does not exist") && s.contains("not a failure here")), linux.seen().toString());
    }

    @Test
    void ourEntriesInACatalogTheManifestDoesNotNameAreAProblem_andNoneThereIsFine() throws Exception {
        TestProvider only64 = TestProvider.create(tmp.resolve("q"), TestProvider.GUID, "test lsp", "[\"64\"]");
        CatalogExpectations.Findings f = new CatalogExpectations(only64.manifest(), PathExpander.systemDefault(), false,
                Set.of(Bitness.X64)).check(catalog, catalog.read());
        assertTrue(f.problems().contains("32-bit catalog: the manifest does not name it, yet our layered entry is there"), f.problems().toString());

        FileCatalog fresh = FileCatalog.open(tmp.resolve("fresh"));
        CatalogExpectations.Findings none = new CatalogExpectations(only64.manifest(), PathExpander.systemDefault(), false,
                Set.of(Bitness.X64)).check(fresh, fresh.read());
        assertTrue(none.problems().stream().anyMatch(p -> p.startsWith("64-bit catalog: no layered entry")), none.problems().toString());
        assertTrue(none.seen().contains("32-bit catalog: not named by the manifest; nothing of ours there"), none.seen().toString());
    }
}
