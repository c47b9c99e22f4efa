package io.wsp4j.catalog;

import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.winsock.Bitness;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file part of an install plan: every path the manifest names, expanded and checked as install
 * will leave it, and the steps that put this installation's own files (the shims, the wsp4j jar and
 * its jars) where the manifest says the shim loads them from when they are not there yet.
 *
 * <p>Rules: a path must be absolute once expanded; a file that is there is used as it is (and never
 * recorded, so never removed); a missing one is put there when this installation has it, and is
 * otherwise refused (with {@code --force}: accepted, and said so). A directory where a file belongs,
 * a provider file others could replace ({@link PathSecurity}) and a log in a directory anyone can
 * write are refused; the last with {@code --force} is accepted, and said so.
 */
final class FilePlanner {
    private final Catalog catalog;
    private final PathExpander expander;
    private final InstallerFiles installer;
    private final boolean force;

    FilePlanner(Catalog catalog, PathExpander expander, InstallerFiles installer, boolean force) {
        this.catalog = catalog;
        this.expander = expander;
        this.installer = installer;
        this.force = force;
    }

    /** The steps that place files (directories first), and the record step that lists them; notes for the user. */
    record Result(List<Step> placing, Optional<Step.InstalledFiles> record) {}

    Result plan(ProviderManifest m, String jvm, List<String> notes) {
        boolean windows = catalog.requiresProviderFiles();
        Map<String, Path> targets = new LinkedHashMap<>();
        Map<String, Optional<Path>> sources = new LinkedHashMap<>();
        targets.put("shimPath", expand("shimPath", m.shimPath()));
        sources.put("shimPath", installer.shim(Bitness.X64, windows));
        m.shimPath32().ifPresent(p -> {
            targets.put("shimPath32", expand("shimPath32", p));
            sources.put("shimPath32", installer.shim(Bitness.X86, windows));
        });
        targets.put("jvm", expand("jvm", jvm));
        sources.put("jvm", Optional.empty());
        for (int i = 0; i < m.classpath().size(); i++) {
            String field = "classpath[" + i + "]";
            Path target = expand(field, m.classpath().get(i));
            if (target.toString().contains(File.pathSeparator)) {
                throw bad(field + ": " + target + " contains \"" + File.pathSeparator + "\", which separates class path entries here");
            }
            targets.put(field, target);
            sources.put(field, installer.jar().filter(j -> j.getFileName().equals(target.getFileName())));
            // The wsp4j jar brings the jars its Class-Path names, beside it as beside ours.
            if (sources.get(field).isPresent()) {
                for (String dep : installer.jarDependencies()) {
                    String depField = field + " (" + dep + ")";
                    targets.put(depField, target.getParent().resolve(dep).normalize());
                    sources.put(depField, Optional.of(installer.jar().get().getParent().resolve(dep).normalize()));
                }
            }
        }

        List<Step> placing = new ArrayList<>();
        Set<Path> creating = new LinkedHashSet<>();
        List<ProviderFiles.Record.Placed> placed = new ArrayList<>();
        for (var e : targets.entrySet()) {
            String field = e.getKey();
            Path target = e.getValue();
            Optional<Path> source = sources.get(field).filter(s -> Files.isRegularFile(s) && !s.equals(target));
            if (target.getParent() == null || Files.isDirectory(target)) {
                throw bad(field + ": " + target + " is a directory; expected a file");
            }
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw bad(field + ": " + target + " is not a regular file");
            }
            if (!Files.exists(target)) {
                if (source.isPresent()) {
                    for (Path d : missingDirectories(target.getParent())) {
                        if (creating.add(d)) placing.add(new Step.MakeDirectory(d));
                    }
                    String sha = ProviderFiles.sha256OrEmpty(source.get());
                    placing.add(new Step.PlaceFile(field, source.get(), target, sha));
                    placed.add(new ProviderFiles.Record.Placed(field, target, sha));
                } else {
                    String why = field + ": " + target + " does not exist" + hint(field, sources.get(field));
                    if (!force) throw bad(why + "; the shim would find nothing there (--force installs anyway)");
                    notes.add("accepted with --force: " + why);
                }
            }
            PathSecurity.unsafeBecause(target).ifPresent(why -> {
                throw bad(field + ": " + why);
            });
        }
        m.log().ifPresent(l -> checkLog(expand("log", l), notes));
        Optional<Step.InstalledFiles> record = placed.isEmpty() ? Optional.empty() : Optional.of(new Step.InstalledFiles(new Step.FileContent(
                new ProviderFiles.Record(m.providerGuid(), placed, List.copyOf(creating)).toBytes())));
        return new Result(placing, record);
    }

    /** What could have been put there, and how to get it. */
    private static String hint(String field, Optional<Path> source) {
        if (field.startsWith("shimPath")) {
            return source.map(s -> ", and this installation has no " + s + " to put there (build it: src/main/c/build.sh)")
                    .orElse(", and this installation has no shim to put there");
        }
        return source.map(s -> ", and " + s + " is missing").orElse("");
    }

    /**
     * The shim appends to the log from every targeted process; in a directory anyone can write, anyone
     * could put a link there first and have those processes append wherever it points.
     */
    private void checkLog(Path log, List<String> notes) {
        if (Files.isDirectory(log)) throw bad("log: " + log + " is a directory; expected a file");
        Path dir = log.getParent();
        // On Windows the shim configuration's store makes the log's folder, with its own ACL, when it writes the config.
        if (catalog.requiresProviderFiles()) return;
        if (dir == null || !Files.isDirectory(dir)) {
            notes.add("log: " + (dir == null ? log : dir) + " does not exist; the shim logs to stderr until it does");
            return;
        }
        if (worldWritable(dir)) {
            String why = "log: " + dir + " can be written by anyone; a link planted there would make every targeted process"
                    + " append where it points";
            if (!force) throw bad(why + " (choose a directory only its owner can write, or --force)");
            notes.add("accepted with --force: " + why);
        }
    }

    private static boolean worldWritable(Path dir) {
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false; // Windows: the log directory's ACL is the state directory's business
        }
    }

    private static List<Path> missingDirectories(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) missing.addFirst(d);
        return missing;
    }

    /** The expanded, absolute, normalized path of a manifest field. */
    Path expand(String field, String raw) {
        String text;
        try {
            text = expander.expand(raw);
        } catch (IllegalArgumentException e) {
            throw bad(field + ": " + e.getMessage() + " (in \"" + raw + "\")");
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(field + ": \"" + text + "\" is not a path on this system (" + e.getReason() + ")");
        }
        if (!p.isAbsolute()) throw bad(field + ": \"" + text + "\" is not an absolute path on this system");
        return p.normalize();
    }

    private static PlanException bad(String message) {
        return new PlanException(PlanException.Kind.BAD_INPUT, message);
    }
}
