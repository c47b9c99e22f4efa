package io.wsp4j.selftest;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.Journal;
import io.wsp4j.catalog.OurEntries;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ProviderFiles;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.Snapshots;
import io.wsp4j.manifest.ProviderManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The README's Windows test run as one program: snapshot the catalog, install, verify from a new
 * process, run an allowed program's traffic and check its accounting, check an untargeted program got
 * no Java, run a 32-bit program, uninstall, and compare the catalog with the snapshot byte for byte.
 * The checks between install and uninstall all run even when one fails; after any failure the install is
 * undone (uninstall, the journal, or at last the snapshot) and the catalog compared again, and the
 * report says what was done.
 */
public final class Selftest {
    public static final String SNAPSHOT = "snapshot";
    public static final String INSTALL = "install";
    public static final String VERIFY = "verify";
    public static final String TRAFFIC = "traffic";
    public static final String UNTARGETED = "untargeted";
    public static final String THIRTY_TWO_BIT = "32-bit";
    public static final String UNINSTALL = "uninstall";
    public static final String COMPARE = "compare";

    /** The steps, in order, with what each does. */
    public static final List<String[]> STEPS = List.of(
            new String[] {SNAPSHOT, "snapshot the catalog"},
            new String[] {INSTALL, "install the provider"},
            new String[] {VERIFY, "read the catalog from a new process: our chains first, the hidden entry, each catalog's shim"},
            new String[] {TRAFFIC, "an allowed program's WSAAsyncSelect and IOCP/AcceptEx traffic, counted in the accounting log"},
            new String[] {UNTARGETED, "a program off the allow-list: the shim passes it by, no Java in it"},
            new String[] {THIRTY_TWO_BIT, "a 32-bit program through the 32-bit catalog"},
            new String[] {UNINSTALL, "uninstall the provider"},
            new String[] {COMPARE, "compare the catalog with the snapshot, byte for byte"});

    private final SelftestPlatform platform;
    private final Installer installer;
    private final ProviderManifest manifest;
    private final Path workDir;
    private final SelftestListener listener;
    private final Catalog catalog;
    private final List<StepResult> results = new ArrayList<>();
    private final List<String> rollback = new ArrayList<>();
    private final Instant started = Instant.now();

    private String snapshotName;
    private byte[] catalogBefore;
    private Optional<byte[]> shimConfigBefore = Optional.empty();
    private Optional<byte[]> installedFilesBefore = Optional.empty();

    public Selftest(SelftestPlatform platform, Installer installer, ProviderManifest manifest, Path workDir, SelftestListener listener) {
        this.platform = platform;
        this.installer = installer;
        this.manifest = manifest;
        this.workDir = workDir;
        this.listener = listener;
        this.catalog = platform.catalog();
    }

    public SelftestReport run() {
        SelftestReport.Verdict early = snapshot();
        if (early != null) return report(early, results.getLast().summary() + "; nothing was changed");

        boolean installed = step(INSTALL, this::install).outcome() == Outcome.PASS;
        for (String s : List.of(VERIFY, TRAFFIC, UNTARGETED, THIRTY_TWO_BIT)) {
            if (installed) step(s, check(s));
            else notRun(s, "not run: the install did not succeed");
        }
        boolean failed = results.stream().anyMatch(StepResult::failed);
        if (failed) note("a step failed: rolling back the install");

        StepResult uninstall = step(UNINSTALL, () -> uninstall(installed));
        if (uninstall.failed()) failed = true;
        StepResult compare = step(COMPARE, this::compare);
        boolean restored = compare.outcome() == Outcome.PASS;
        if (!restored) {
            failed = true;
            restored = restoreSnapshot();
        }
        if (restored) deleteSnapshot();
        if (!failed) return report(SelftestReport.Verdict.PASSED, "all steps passed; the catalog is byte for byte as before");
        if (restored) return report(SelftestReport.Verdict.FAILED_ROLLED_BACK, failedSteps()
                + "; rolled back: the catalog is byte for byte as before");
        return report(SelftestReport.Verdict.FAILED, failedSteps() + "; the rollback did NOT bring the catalog back:"
                + " run `wsp4j rollback --snapshot " + snapshotName + catalogOption() + "`");
    }

    // ---- the steps -----------------------------------------------------------------------------------

    /** Step 1; a verdict when the run must stop here (nothing changed), else null. */
    private SelftestReport.Verdict snapshot() {
        SelftestReport.Verdict[] stop = new SelftestReport.Verdict[1];
        step(SNAPSHOT, () -> {
            List<String> unsuitable = platform.unsuitable(manifest);
            if (!unsuitable.isEmpty()) {
                stop[0] = SelftestReport.Verdict.BAD_INPUT;
                return StepResult.fail(SNAPSHOT, "the manifest does not suit the selftest here", unsuitable);
            }
            if (new Journal(catalog.stateDir()).exists()) {
                stop[0] = SelftestReport.Verdict.REFUSED;
                return StepResult.fail(SNAPSHOT, "an interrupted transaction left its journal: run `wsp4j rollback" + catalogOption()
                        + "` first", List.of());
            }
            try {
                catalog.checkWriteAccess();
            } catch (CatalogException e) {
                stop[0] = SelftestReport.Verdict.REFUSED;
                return StepResult.fail(SNAPSHOT, e.getMessage(), List.of());
            }
            CatalogImage before;
            try {
                before = platform.freshCatalog().read();
                catalogBefore = platform.catalogBytes(before);
                shimConfigBefore = catalog.shimConfig().read();
                installedFilesBefore = ProviderFiles.readBytes(catalog.stateDir());
            } catch (CatalogException | IOException e) {
                stop[0] = SelftestReport.Verdict.FAILED;
                return StepResult.fail(SNAPSHOT, "cannot read the catalog: " + e.getMessage(), List.of());
            }
            for (Bitness b : Bitness.values()) {
                if (OurEntries.find(before, b, manifest.providerGuid()).installed()) {
                    stop[0] = SelftestReport.Verdict.REFUSED;
                    return StepResult.fail(SNAPSHOT, "\"" + manifest.name() + "\" is installed already (" + b.label()
                            + "-bit catalog); the selftest installs and removes it itself: uninstall it first, or use another catalog", List.of());
                }
            }
            if (shimConfigBefore.isPresent()) {
                stop[0] = SelftestReport.Verdict.REFUSED;
                return StepResult.fail(SNAPSHOT, "a shim configuration exists at " + catalog.shimConfig().location()
                        + ": another wsp4j provider is installed; the selftest needs a catalog without one", List.of());
            }
            snapshotName = "selftest-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
            Path saved = new Snapshots(catalog.stateDir()).save(snapshotName, before, shimConfigBefore, installedFilesBefore);
            List<String> counts = new ArrayList<>();
            for (Bitness b : Bitness.values()) if (before.has(b)) counts.add(b.label() + "-bit: " + before.entries(b).size() + " entries");
            return StepResult.pass(SNAPSHOT, "snapshot \"" + snapshotName + "\" of the " + catalog.describe() + " (" + String.join(", ", counts) + ")",
                    List.of("saved " + saved + " (restore with `wsp4j rollback --snapshot " + snapshotName + catalogOption() + "`)"));
        });
        if (results.getLast().failed()) return stop[0] != null ? stop[0] : SelftestReport.Verdict.FAILED;
        return null;
    }

    private StepResult install() {
        Installer.Result r = installer.install();
        String catalogs = manifest.catalogs().stream().sorted().map(b -> b.label() + "-bit").reduce((a, b) -> a + " and " + b).orElse("");
        if (r.ok()) return StepResult.pass(INSTALL, "installed \"" + manifest.name() + "\" into the " + catalogs + " catalog", r.output());
        return StepResult.fail(INSTALL, "`wsp4j install` failed with exit code " + r.exitCode(), r.output());
    }

    private Body check(String step) {
        return switch (step) {
            case VERIFY -> this::verify;
            case TRAFFIC -> this::traffic;
            case UNTARGETED -> () -> untargeted(UNTARGETED, platform.untargeted(workDir, manifest), 0, manifest.shimPath());
            case THIRTY_TWO_BIT -> this::thirtyTwoBit;
            default -> throw new IllegalArgumentException(step);
        };
    }

    private StepResult verify() {
        CatalogImage now = platform.freshCatalog().read();
        CatalogExpectations.Findings f = new CatalogExpectations(manifest, PathExpander.systemDefault(), platform.windowsPaths(),
                platform.loadedHere()).check(catalog, now);
        List<String> details = new ArrayList<>(f.seen());
        f.problems().forEach(p -> details.add("PROBLEM " + p));
        if (f.ok()) return StepResult.pass(VERIFY, "a new process sees our chains first in every catalog the manifest names", details);
        return StepResult.fail(VERIFY, f.problems().size() + " problem(s) in the catalog a new process read: " + f.problems().getFirst(), details);
    }

    private StepResult traffic() {
        Path log = workDir.resolve("accounting.log");
        ChildReport child = platform.targetedTraffic(workDir, manifest, log);
        List<String> details = new ArrayList<>(child.transcript());
        if (child.exitCode() != 0) return StepResult.fail(TRAFFIC, child.program() + " failed (exit " + child.exitCode() + ")", details);
        List<Exchange> exchanges;
        try {
            exchanges = Exchange.parse(child);
        } catch (RuntimeException e) {
            return StepResult.fail(TRAFFIC, child.program() + " printed no usable report: " + e.getMessage(), details);
        }
        List<String> problems = new ArrayList<>();
        for (Exchange e : exchanges) if (!e.complete()) problems.add("incomplete exchange: " + e);
        AccountingLog.Verdict counted;
        try {
            counted = AccountingLog.read(log).check(child.pid(), exchanges);
        } catch (IOException e) {
            return StepResult.fail(TRAFFIC, "cannot read the accounting log " + log + ": " + e.getMessage(), details);
        }
        problems.addAll(counted.problems());
        details.addAll(shimLogLines(child.pid()));
        details.add("accounting log " + log + ":");
        counted.matched().forEach(m -> details.add("  counted " + m));
        problems.forEach(p -> details.add("PROBLEM " + p));
        String kinds = String.join(" and ", exchanges.stream().map(Exchange::kind).toList());
        if (exchanges.isEmpty()) return StepResult.fail(TRAFFIC, child.program() + " reported no exchange", details);
        if (!problems.isEmpty()) return StepResult.fail(TRAFFIC, problems.getFirst(), details);
        return StepResult.pass(TRAFFIC, kinds + " exchanges of " + child.program() + " (pid " + child.pid()
                + ") went through the provider; the accounting log counts each connection's bytes", details);
    }

    /** What the shim (and the provider, which logs beside it) wrote about process {@code pid} in the manifest's log, if it has one. */
    private List<String> shimLogLines(long pid) {
        if (manifest.log().isEmpty() || pid <= 0) return List.of();
        Optional<String> file = PathExpander.systemDefault().expandOrEmpty(manifest.log().get());
        if (file.isEmpty() || !Files.isRegularFile(Path.of(file.get()))) return List.of(); // nothing logged yet
        try (var lines = Files.lines(Path.of(file.get()), StandardCharsets.UTF_8)) {
            List<String> mine = lines.filter(l -> l.contains("[" + pid + "]")).map(l -> "  log: " + l).toList();
            return mine.isEmpty() ? List.of() : concat("the shim's log " + file.get() + " on pid " + pid + ":", mine);
        } catch (IOException | UncheckedIOException e) {
            return List.of("the shim's log " + file.get() + " cannot be read: " + e.getMessage());
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private StepResult thirtyTwoBit() {
        Optional<String> none = platform.noThirtyTwoBit();
        if (none.isPresent()) return StepResult.skip(THIRTY_TWO_BIT, none.get());
        if (!manifest.catalogs().contains(Bitness.X86)) {
            return StepResult.skip(THIRTY_TWO_BIT, "the manifest does not install the 32-bit catalog");
        }
        return untargeted(THIRTY_TWO_BIT, platform.thirtyTwoBit(workDir, manifest), 32, manifest.shimPath32().orElseThrow());
    }

    /** An untargeted (or 32-bit) program: our shim loaded into it, no Java, its exchange done (or why it cannot be). */
    private StepResult untargeted(String step, SelftestPlatform.UntargetedRun run, int bits, String shim) {
        List<String> details = new ArrayList<>(run.child().transcript());
        details.addAll(shimLogLines(run.child().pid()));
        details.add("seen: " + run.evidence());
        List<String> problems = new ArrayList<>();
        if (run.child().exitCode() != 0) problems.add(run.child().program() + " failed (exit " + run.child().exitCode() + ")");
        if (bits != 0 && run.pointerBits() != bits) problems.add(run.image() + " ran as a " + run.pointerBits() + "-bit process, not " + bits + "-bit");
        if (!run.shimLoaded()) problems.add("the shim " + shim + " was not loaded into " + run.image() + ": its sockets did not go through our chain");
        if (run.javaStarted()) problems.add("Java was started in " + run.image() + ", which the allow-list does not name");
        if (!run.exchanged()) problems.add(run.image() + "'s loopback exchange did not complete: the shim did not pass it through");
        problems.forEach(p -> details.add("PROBLEM " + p));
        if (!problems.isEmpty()) return StepResult.fail(step, problems.getFirst(), details);
        return StepResult.pass(step, run.image() + " (" + run.pointerBits() + "-bit, pid " + run.child().pid() + "): the shim was loaded and"
                + " passed it through to the provider below, its loopback exchange completed, no Java in it", details);
    }

    private StepResult uninstall(boolean installed) {
        List<String> details = new ArrayList<>();
        if (new Journal(catalog.stateDir()).exists()) {
            Installer.Result r = installer.rollbackJournal();
            action("an unfinished transaction's journal: `wsp4j rollback` exited with " + r.exitCode());
            details.addAll(r.output());
        }
        boolean ours = false;
        CatalogImage now = platform.freshCatalog().read();
        for (Bitness b : Bitness.values()) ours |= OurEntries.find(now, b, manifest.providerGuid()).installed();
        if (!ours && catalog.shimConfig().read().isEmpty()) {
            if (installed) return StepResult.fail(UNINSTALL, "our entries are gone before the uninstall", details);
            return StepResult.skip(UNINSTALL, "nothing of ours in the catalog to remove");
        }
        Installer.Result r = installer.uninstall();
        details.addAll(r.output());
        if (!installed || results.stream().anyMatch(StepResult::failed)) action("`wsp4j uninstall` exited with " + r.exitCode());
        if (r.ok()) return StepResult.pass(UNINSTALL, "uninstalled \"" + manifest.name() + "\"", details);
        return StepResult.fail(UNINSTALL, "`wsp4j uninstall` failed with exit code " + r.exitCode(), details);
    }

    private StepResult compare() throws IOException {
        CatalogImage now = platform.freshCatalog().read();
        byte[] after = platform.catalogBytes(now);
        Optional<byte[]> shimConfig = catalog.shimConfig().read();
        List<String> details = new ArrayList<>();
        boolean same = Arrays.equals(catalogBefore, after);
        if (!same) details.addAll(differences(now));
        boolean sameConfig = shimConfig.isPresent() == shimConfigBefore.isPresent()
                && (shimConfig.isEmpty() || Arrays.equals(shimConfig.get(), shimConfigBefore.get()));
        if (!sameConfig) details.add("the shim configuration " + catalog.shimConfig().location() + " is "
                + (shimConfig.isPresent() ? "present" : "absent") + ", and was " + (shimConfigBefore.isPresent() ? "present" : "absent"));
        Optional<byte[]> installedFiles = ProviderFiles.readBytes(catalog.stateDir());
        boolean sameFiles = installedFiles.isPresent() == installedFilesBefore.isPresent()
                && (installedFiles.isEmpty() || Arrays.equals(installedFiles.get(), installedFilesBefore.get()));
        if (!sameFiles) details.add("the record of installed files (" + ProviderFiles.RECORD_FILE + ") is "
                + (installedFiles.isPresent() ? "present" : "absent") + ", and was " + (installedFilesBefore.isPresent() ? "present" : "absent"));
        if (same && sameConfig && sameFiles) {
            return StepResult.pass(COMPARE, "the catalog is byte for byte as in the snapshot (" + after.length + " bytes), the shim"
                    + " configuration and the installed files as before", List.of());
        }
        return StepResult.fail(COMPARE, "the catalog differs from the snapshot", details);
    }

    /** Where the catalog a new process reads differs from the snapshot, per catalog. */
    private List<String> differences(CatalogImage now) {
        List<String> out = new ArrayList<>();
        Optional<Snapshots.Snapshot> s = new Snapshots(catalog.stateDir()).load(snapshotName);
        if (s.isEmpty()) return List.of("the snapshot " + snapshotName + " cannot be read back");
        for (Bitness b : Bitness.values()) {
            List<ProtocolEntry> was = s.get().image().entries(b), is = now.entries(b);
            for (int i = 0; i < Math.max(was.size(), is.size()); i++) {
                ProtocolEntry w = i < was.size() ? was.get(i) : null, n = i < is.size() ? is.get(i) : null;
                if (w == null || !w.equals(n)) {
                    out.add(b.label() + "-bit catalog, position " + i + ": was " + describe(w) + ", is " + describe(n));
                    break;
                }
            }
        }
        if (out.isEmpty()) out.add("the entries are equal, their bytes are not (the catalog's file was rewritten differently)");
        return out;
    }

    private static String describe(ProtocolEntry e) {
        return e == null ? "nothing" : "id " + e.info().catalogEntryId() + " \"" + e.info().protocolName() + "\" " + e.path();
    }

    /** The last resort: the snapshot restored, and compared again. */
    private boolean restoreSnapshot() {
        note("the catalog is not as before: restoring the snapshot \"" + snapshotName + "\"");
        Installer.Result r = installer.restoreSnapshot(snapshotName);
        action("`wsp4j rollback --snapshot " + snapshotName + "` exited with " + r.exitCode());
        StepResult again = step(COMPARE, this::compare);
        return again.outcome() == Outcome.PASS;
    }

    /** The snapshot is not needed once the catalog is back. */
    private void deleteSnapshot() {
        try {
            new Snapshots(catalog.stateDir()).delete(snapshotName);
        } catch (CatalogException e) {
            note("the snapshot " + snapshotName + " could not be deleted: " + e.getMessage());
        }
    }

    // ---- running steps -------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Body {
        StepResult run() throws Exception;
    }

    /** Runs one step; whatever it throws is its failure, never the selftest's end (the rollback must still run). */
    private StepResult step(String step, Body body) {
        int index = indexOf(step);
        listener.started(index, STEPS.size(), step, STEPS.get(index - 1)[1]);
        StepResult r;
        try {
            r = body.run();
        } catch (Exception | LinkageError | AssertionError e) {
            r = StepResult.fail(step, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
        }
        results.add(r);
        listener.finished(r);
        return r;
    }

    private void notRun(String step, String why) {
        StepResult r = StepResult.skip(step, why);
        results.add(r);
        listener.finished(r);
    }

    private static int indexOf(String step) {
        for (int i = 0; i < STEPS.size(); i++) if (STEPS.get(i)[0].equals(step)) return i + 1;
        throw new IllegalArgumentException(step);
    }

    private void note(String line) {
        listener.note(line);
    }

    private void action(String line) {
        rollback.add(line);
        listener.note("rollback: " + line);
    }

    private String failedSteps() {
        return String.join(", ", results.stream().filter(StepResult::failed).map(StepResult::step).distinct().toList()) + " failed";
    }

    /** " --catalog DIR" when the catalog is not the default one, for the commands the report suggests. */
    private String catalogOption() {
        List<String> args = platform.catalogArguments();
        return args.isEmpty() ? "" : " " + String.join(" ", args);
    }

    private SelftestReport report(SelftestReport.Verdict verdict, String message) {
        Optional<String> kept = snapshotName != null && new Snapshots(catalog.stateDir()).names().contains(snapshotName)
                ? Optional.of(snapshotName) : Optional.empty();
        return new SelftestReport(platform.describe(), started, results, verdict, message, kept, rollback, Optional.of(workDir));
    }
}
