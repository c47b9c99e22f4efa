package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsp4j.winsock.ProtocolChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON the installer writes (catalog.json; the catalog image of journals, snapshots and
 * {@code list --json}; the steps of a journal's plan) against files written by an earlier build:
 * what is written stays byte for byte what was written, and what was written still reads. On a
 * difference the bytes written are left in target/formats for a diff.
 */
@EnabledOnOs(OS.LINUX)
class CatalogFormatsTest {
    static final Path GOLDEN = Path.of("src/test/resources/formats");
    static final UUID OTHER_LAYERED = Guids.parse("{0B6E3A52-77C1-4F0E-9D2A-5C8B1E4F6A01}");
    static final UUID OTHER_CHAIN = Guids.parse("{0B6E3A52-77C1-4F0E-9D2A-5C8B1E4F6A02}");

    @TempDir
    Path tmp;

    @Test
    void installAndForcedUninstallWriteTheFormatsAsBefore() throws IOException {
        TestProvider p = TestProvider.create(tmp.resolve("provider"), TestProvider.GUID, "test lsp", "[\"64\", \"32\"]");
        FileCatalog c = FileCatalog.open(tmp.resolve("catalog"));
        Planner planner = new Planner(c, PathExpander.systemDefault());
        assertWrittenAsBefore("stock-catalog.json", catalogFile(c));

        Plan install = new Transaction(c, Duration.ZERO, TransactionListener.NONE).run(before -> planner.install(p.manifest(), before));
        assertWrittenAsBefore("install-steps.json", catalogSteps(install));
        assertWrittenAsBefore("installed-catalog.json", catalogFile(c));

        // Another layered provider chained over ours, so that a forced uninstall re-chains it (WSCUpdateProvider).
        OurEntries ours = OurEntries.find(c.read(), Bitness.X64, p.manifest().providerGuid());
        ProtocolEntry ourLayered = ours.layered().orElseThrow();
        ProtocolEntry ourTcpChain = ours.chains().getFirst();
        c.installProvider(Bitness.X64, OTHER_LAYERED, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ourLayered.info().withProviderId(OTHER_LAYERED).withProtocolName("other lsp"),
                        "/opt/other/lsp.dll")));
        int otherId = c.read().byProvider(Bitness.X64, OTHER_LAYERED).getFirst().info().catalogEntryId();
        List<Integer> chain = new ArrayList<>(List.of(otherId));
        chain.addAll(ourTcpChain.chain());
        c.installProvider(Bitness.X64, OTHER_CHAIN, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ourTcpChain.info().withProviderId(OTHER_CHAIN).withProtocolName("other lsp over [wsp4j]")
                        .withChain(ProtocolChain.of(chain)),
                        "/opt/other/lsp.dll")));
        assertWrittenAsBefore("layered-over-ours-catalog.json", catalogFile(c));

        Plan uninstall = new Transaction(c, Duration.ZERO, TransactionListener.NONE)
                .run(before -> planner.uninstall(p.manifest().providerGuid(), true, before));
        assertWrittenAsBefore("forced-uninstall-steps.json", catalogSteps(uninstall));
        assertWrittenAsBefore("uninstalled-catalog.json", catalogFile(c));
    }

    @Test
    void catalogsWrittenBeforeReadAndWriteBackByteForByte() throws IOException {
        for (String name : List.of("stock-catalog.json", "installed-catalog.json", "layered-over-ours-catalog.json",
                "uninstalled-catalog.json")) {
            byte[] golden = Files.readAllBytes(GOLDEN.resolve(name));
            CatalogImage image = CatalogJson.imageFromJson(CatalogJson.MAPPER.readTree(golden), name);
            assertArrayEquals(golden, CatalogJson.bytes(CatalogJson.toJson(image)), name);
        }
    }

    @Test
    void entriesOfPlansWrittenBeforeReadAndWriteBackByteForByte() throws IOException {
        for (String name : List.of("install-steps.json", "forced-uninstall-steps.json")) {
            var steps = CatalogJson.MAPPER.readTree(Files.readAllBytes(GOLDEN.resolve(name)));
            int entries = 0;
            for (var step : steps) {
                List<com.fasterxml.jackson.databind.JsonNode> es = new ArrayList<>();
                if (step.has("entry")) es.add(step.get("entry"));
                if (step.has("entries")) step.get("entries").forEach(es::add);
                for (var e : es) {
                    assertArrayEquals(CatalogJson.bytes(e), CatalogJson.bytes(CatalogJson.toJson(CatalogJson.entryFromJson(e))), name);
                    entries++;
                }
            }
            // An install into both catalogs is one WSCInstallProviderAndChains64_32: protocols, no entries.
            if (name.startsWith("forced")) assertTrue(entries > 0, name + " has catalog entries");
        }
    }

    /** catalog.json, with the test's temporary directory (in the provider's paths) made fixed. */
    private String catalogFile(FileCatalog c) throws IOException {
        return fixedPaths(Files.readAllBytes(c.stateDir().resolve(FileCatalog.CATALOG_FILE)));
    }

    /** A plan's catalog steps as its journal holds them; the shim configuration step names this machine's JVM. */
    private String catalogSteps(Plan plan) {
        ArrayNode steps = CatalogJson.MAPPER.createArrayNode();
        plan.steps().stream().filter(s -> !(s instanceof Step.ShimConfig)).forEach(s -> steps.add(s.toJson()));
        return fixedPaths(CatalogJson.bytes(steps));
    }

    private String fixedPaths(byte[] json) {
        return new String(json, StandardCharsets.UTF_8).replace(tmp.toString(), "${TMP}");
    }

    private static void assertWrittenAsBefore(String name, String written) throws IOException {
        String golden = Files.readString(GOLDEN.resolve(name), StandardCharsets.UTF_8);
        if (!golden.equals(written)) {
            Path actual = Files.createDirectories(Path.of("target", "formats")).resolve(name);
            Files.writeString(actual, written, StandardCharsets.UTF_8);
            fail(name + " is no longer written as before; what is written now: " + actual);
        }
    }
}
