package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.Planner;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.TestProvider;
import io.wsp4j.catalog.Transaction;
import io.wsp4j.catalog.TransactionListener;
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
 * The text the CLI shows of catalogs and plans ({@code list}, {@code plan}) against what an earlier
 * build showed: an install over the stock catalog, and a forced uninstall that re-chains another
 * provider layered over ours. On a difference the text shown now is left in target/formats.
 */
@EnabledOnOs(OS.LINUX)
class CatalogTextTest {
    static final Path GOLDEN = Path.of("src/test/resources/formats");

    @TempDir
    Path tmp;

    @Test
    void tablesAndPlansShowAsBefore() throws IOException {
        TestProvider p = TestProvider.create(tmp.resolve("provider"));
        FileCatalog c = FileCatalog.open(tmp.resolve("catalog"));
        Planner planner = new Planner(c, PathExpander.systemDefault());
        StringBuilder text = new StringBuilder();
        text.append(PlanView.render(planner.install(p.manifest(), c.read())));
        new Transaction(c, Duration.ZERO, TransactionListener.NONE).run(before -> planner.install(p.manifest(), before));

        OurEntries ours = OurEntries.find(c.read(), Bitness.X64, p.manifest().providerGuid());
        UUID otherLayered = Guids.parse("{0B6E3A52-77C1-4F0E-9D2A-5C8B1E4F6A01}");
        UUID otherChain = Guids.parse("{0B6E3A52-77C1-4F0E-9D2A-5C8B1E4F6A02}");
        c.installProvider(Bitness.X64, otherLayered, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ours.layered().orElseThrow().info().withProviderId(otherLayered).withProtocolName("other lsp"),
                        "/opt/other/lsp.dll")));
        int otherId = c.read().byProvider(Bitness.X64, otherLayered).getFirst().info().catalogEntryId();
        ProtocolEntry ourTcpChain = ours.chains().getFirst();
        List<Integer> chain = new ArrayList<>(List.of(otherId));
        chain.addAll(ourTcpChain.chain());
        c.installProvider(Bitness.X64, otherChain, "/opt/other/lsp.dll",
                List.of(new ProtocolEntry(ourTcpChain.info().withProviderId(otherChain).withProtocolName("other lsp over [wsp4j]")
                        .withChain(ProtocolChain.of(chain)),
                        "/opt/other/lsp.dll")));
        for (Bitness b : Bitness.values()) text.append('\n').append(CatalogTable.render(c.read(), b, e -> ""));
        text.append('\n').append(PlanView.render(planner.uninstall(p.manifest().providerGuid(), true, c.read())));

        String shown = text.toString().replace(tmp.toString(), "${TMP}");
        String golden = Files.readString(GOLDEN.resolve("catalog-text.txt"), StandardCharsets.UTF_8);
        if (!golden.equals(shown)) {
            Path actual = Files.createDirectories(Path.of("target", "formats")).resolve("catalog-text.txt");
            Files.writeString(actual, shown, StandardCharsets.UTF_8);
            fail("the catalog and plan text is no longer shown as before; what is shown now: " + actual);
        }
    }
}
