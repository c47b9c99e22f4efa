package io.wsp4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.TestProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every damage to a catalog's own files has a way out that the error names, and the way out works:
 * a damaged journal, a truncated or lost catalog.json, a damaged applications.json, garbage in next-ids.json, temp files a crash
 * left; a failed transaction (exit 4) leaves every file as it was.
 */
@EnabledOnOs(OS.LINUX)
class RecoveryTest {
    @TempDir
    Path tmp;

    Path catalog;
    String c;
    TestProvider p;
    String m;

    @BeforeEach
    void installedWithASnapshot() throws Exception {
        catalog = Files.createDirectories(tmp.resolve("catalog"));
        c = catalog.toString();
        p = TestProvider.create(tmp.resolve("p"));
        m = p.manifestFile().toString();
        assertEquals(0, Cli.run("snapshot", "clean", "--catalog", c).code());
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        assertEquals(0, Cli.run("snapshot", "installed", "--catalog", c).code());
    }

    static String oneError(Cli r) {
        List<String> lines = r.err().lines().filter(l -> l.startsWith("wsp4j: ")).toList();
        assertEquals(1, lines.size(), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        return lines.getFirst();
    }

    @Test
    void aDamagedJournalNamesItsWayOutAndTheWayOutWorks() throws Exception {
        Path journal = Files.createDirectories(catalog.resolve("journal")).resolve("transaction.json");
        Files.writeString(journal, "{\"format\": \"wsp4j-journal/1\", \"oper");

        Cli rollback = Cli.run("rollback", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, rollback.code(), rollback.toString());
        String error = oneError(rollback);
        assertTrue(error.contains("is damaged") && error.contains("rollback --snapshot NAME --discard-journal")
                && error.contains("rollback --discard-journal"), error);
        assertFalse(error.contains("REDACTED") || error.contains("StreamReadFeature"), "no parser internals: " + error);
        assertTrue(Files.exists(journal), "kept for a human until told");

        Cli snapshotOnly = Cli.run("rollback", "--snapshot", "installed", "--catalog", c);
        assertEquals(ExitCodes.REFUSED, snapshotOnly.code(), "a journal is there: refused without --discard-journal");

        Cli out = Cli.run("rollback", "--snapshot", "installed", "--discard-journal", "--catalog", c);
        assertEquals(0, out.code(), out.toString());
        assertFalse(Files.exists(journal));
        try (var s = Files.list(catalog.resolve("journal"))) {
            assertTrue(s.anyMatch(f -> f.getFileName().toString().startsWith("transaction.json.discarded-")), "set aside, not deleted");
        }
        Cli verify = Cli.run("verify", "--catalog", c, "--manifest", m);
        assertEquals(0, verify.code(), verify.toString());
        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", c).code(), "usable again");
    }

    @Test
    void aDamagedJournalCanBeSetAsideKeepingTheCatalogAsItIs() throws Exception {
        Path journal = Files.createDirectories(catalog.resolve("journal")).resolve("transaction.json");
        Files.writeString(journal, "garbage");
        Cli aside = Cli.run("rollback", "--discard-journal", "--catalog", c, "--json");
        assertEquals(0, aside.code(), aside.toString());
        assertEquals("journalSetAside", new com.fasterxml.jackson.databind.ObjectMapper().readTree(aside.out()).get("result").asText());
        assertEquals(0, Cli.run("verify", "--catalog", c).code());
    }

    @Test
    void aTruncatedCatalogIsReportedAndASnapshotRestoresIt() throws Exception {
        Path file = catalog.resolve(FileCatalog.CATALOG_FILE);
        byte[] good = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));

        for (String[] cmd : new String[][] {{"list"}, {"verify"}, {"install", "--manifest", m}, {"uninstall", "--manifest", m}}) {
            List<String> args = new java.util.ArrayList<>(List.of(cmd));
            args.addAll(List.of("--catalog", c));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
            String error = cmd[0].equals("verify") ? r.out() : oneError(r);
            assertTrue(error.contains("catalog.json cannot be read") && error.contains("rollback --snapshot NAME"), error);
            assertFalse(error.contains("REDACTED"), error);
        }
        Cli restore = Cli.run("rollback", "--snapshot", "installed", "--catalog", c);
        assertEquals(0, restore.code(), restore.toString());
        assertArrayEquals(good, Files.readAllBytes(file));
        assertEquals(0, Cli.run("verify", "--catalog", c, "--manifest", m).code());
    }

    /** The applications' permitted categories (applications.json): damaged, they are reported, and a snapshot restores them. */
    @Test
    void damagedApplicationCategoriesAreReportedAndASnapshotRestoresThem() throws Exception {
        assertEquals(0, Cli.run("app-category", "/usr/bin/scanner", "--permit", "LSP_PROXY", "--catalog", c).code());
        assertEquals(0, Cli.run("snapshot", "categorized", "--catalog", c).code());
        Path file = catalog.resolve(FileCatalog.APPLICATIONS_FILE);
        byte[] good = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));

        for (String[] cmd : new String[][] {{"list"}, {"verify"}, {"app-category", "/usr/bin/scanner"}, {"uninstall", "--manifest", m}}) {
            List<String> args = new java.util.ArrayList<>(List.of(cmd));
            args.addAll(List.of("--catalog", c));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.FAILURE, r.code(), r.toString());
            String error = cmd[0].equals("verify") ? r.out() : oneError(r);
            assertTrue(error.contains("applications.json cannot be read") && error.contains("rollback --snapshot NAME"), error);
        }
        Cli restore = Cli.run("rollback", "--snapshot", "categorized", "--catalog", c);
        assertEquals(0, restore.code(), restore.toString());
        assertArrayEquals(good, Files.readAllBytes(file));
        assertEquals(0, Cli.run("verify", "--catalog", c, "--manifest", m).code());
        assertEquals(0, Cli.run("rollback", "--snapshot", "installed", "--catalog", c).code(), "a snapshot before any category");
        assertFalse(Files.exists(file), "no categorized application, no applications.json");
    }

    @Test
    void aLostCatalogIsDamageToReportNotToReseed() throws Exception {
        Files.delete(catalog.resolve(FileCatalog.CATALOG_FILE));
        DirectoryBytes before = DirectoryBytes.of(catalog);

        Cli list = Cli.run("list", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, list.code(), list.toString());
        assertTrue(oneError(list).contains("catalog.json is missing while"), list.toString());
        Cli verify = Cli.run("verify", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, verify.code(), verify.toString());
        assertTrue(verify.out().contains("catalog.json is missing"), verify.out());
        assertEquals(ExitCodes.FAILURE, Cli.run("install", "--manifest", m, "--catalog", c).code());
        assertEquals(ExitCodes.FAILURE, Cli.run("uninstall", "--manifest", m, "--catalog", c).code());
        assertEquals(before, DirectoryBytes.of(catalog), "nothing seeded, no counter reset");

        assertEquals(0, Cli.run("rollback", "--snapshot", "installed", "--catalog", c).code());
        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", c).code());
    }

    @Test
    void garbageIdCountersStopNothingHalfWayAndRepairRewritesThem() throws Exception {
        Path ids = catalog.resolve(FileCatalog.NEXT_IDS_FILE);
        Files.writeString(ids, "{\"64\": \"lots\"");
        Cli verify = Cli.run("verify", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, verify.code(), verify.toString());
        assertTrue(verify.out().contains("next-ids.json cannot be read") && verify.out().contains("wsp4j repair"), verify.out());

        DirectoryBytes before = DirectoryBytes.of(catalog);
        Cli uninstall = Cli.run("uninstall", "--manifest", m, "--catalog", c);
        assertEquals(ExitCodes.FAILURE, uninstall.code(), uninstall.toString());
        assertTrue(oneError(uninstall).contains("wsp4j repair"), uninstall.toString());
        assertEquals(before, DirectoryBytes.of(catalog), "refused before any journal or change");

        Cli repair = Cli.run("repair", "--catalog", c);
        assertEquals(0, repair.code(), repair.toString());
        assertTrue(repair.err().contains("rewrote next-ids.json"), repair.toString());
        assertEquals(0, Cli.run("verify", "--catalog", c).code());
        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", c).code());
        assertEquals(0, Cli.run("install", "--manifest", m, "--catalog", c).code());
        String list = Cli.run("list", "--catalog", c).out();
        assertTrue(list.contains("1020"), "new ids above every id ever used: " + list);
    }

    @Test
    void aSnapshotRestoresOverGarbageIdCounters() throws Exception {
        Files.writeString(catalog.resolve(FileCatalog.NEXT_IDS_FILE), "\u0000\u0001");
        Cli restore = Cli.run("rollback", "--snapshot", "clean", "--catalog", c);
        assertEquals(0, restore.code(), restore.toString());
        assertEquals(0, Cli.run("verify", "--catalog", c).code());
    }

    @Test
    void rollbackRemovesTheTempFilesACrashLeft() throws Exception {
        Path stray = Files.writeString(catalog.resolve(".next-ids.json.8675309.tmp"), "{\"64\": 10");
        Path stray2 = Files.writeString(catalog.resolve(".catalog.json.42.tmp"), "{");
        Cli verify = Cli.run("verify", "--catalog", c);
        assertEquals(ExitCodes.FAILURE, verify.code(), verify.toString());
        assertTrue(verify.out().contains("leftover file") && verify.out().contains("wsp4j rollback"), verify.out());
        Cli rollback = Cli.run("rollback", "--catalog", c);
        assertEquals(0, rollback.code(), rollback.toString());
        assertFalse(Files.exists(stray) || Files.exists(stray2));
        assertTrue(rollback.out().contains("removed " + stray), rollback.out());
        assertEquals(0, Cli.run("verify", "--catalog", c).code());
    }

    @Test
    void exitFourLeavesEveryFileAsItWasAndSaysWhatFailedInOneLine() throws Exception {
        assertEquals(0, Cli.run("uninstall", "--manifest", m, "--catalog", c).code());
        DirectoryBytes before = DirectoryBytes.of(catalog);
        List<String> steps = PlannedSteps.of("install", "--manifest", m, "--catalog", c);
        List<String> points = new java.util.ArrayList<>();
        for (int i = 0; i < steps.size(); i++) points.add(PlannedSteps.before(i));
        points.addAll(List.of("verify", "commit"));
        for (String point : points) {
            System.setProperty(TestHooks.FAIL_AT, point);
            try {
                Cli r = Cli.run("install", "--manifest", m, "--catalog", c);
                assertEquals(ExitCodes.ROLLED_BACK, r.code(), r.toString());
                String error = oneError(r);
                assertTrue(error.length() < 300, "a few words, not a dump: " + error);
            } finally {
                System.clearProperty(TestHooks.FAIL_AT);
            }
            assertEquals(before, DirectoryBytes.of(catalog), "after a failure at " + point);
        }
    }
}
