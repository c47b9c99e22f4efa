package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What {@code wsp4j verify} checks besides the catalog's entries: the catalog's own files (an
 * unfinished or damaged journal, a damaged catalog.json or next-ids.json, temp files a crash left),
 * and what the shim will load, as it is now: the shim configuration must be there for an installed
 * wsp4j provider, be one the shim can read, and name a JVM, class path and lower provider that exist;
 * every path the catalog and the configuration name must pass the installer's path-safety rules
 * ({@link PathSecurity}) today, not only on the day of the install.
 */
public final class StateChecks {
    public enum Kind { INTERRUPTED_TRANSACTION, DAMAGED_FILE, LEFTOVER_FILE, SHIM_CONFIG, MISSING_FILE, UNSAFE_PATH }

    public record Problem(Kind kind, String message) {}

    private StateChecks() {}

    /** The catalog as read (empty when it cannot be), and the problems found. */
    public record Report(Optional<CatalogImage> image, List<Problem> problems) {}

    /** @param provider the provider named on the command line, if any */
    public static Report check(Catalog catalog, Optional<UUID> provider) {
        List<Problem> out = new ArrayList<>();
        Path state = catalog.stateDir();
        Journal journal = new Journal(state);
        if (journal.exists()) {
            try {
                journal.read();
                out.add(new Problem(Kind.INTERRUPTED_TRANSACTION, "an interrupted transaction's journal is present ("
                        + journal.file() + "); the catalog may be half-changed: run `wsp4j rollback`"));
            } catch (CatalogException e) {
                out.add(new Problem(Kind.INTERRUPTED_TRANSACTION, e.getMessage()));
            }
        }
        Optional<CatalogImage> image = readImage(catalog, out);
        leftovers(state, out);
        Optional<ProviderFiles.Record> record = installedFiles(state, out);
        if (image.isEmpty()) return new Report(image, out);

        Set<UUID> ours = new LinkedHashSet<>(installedProviders(image.get()));
        provider.filter(g -> installed(image.get(), g)).ifPresent(ours::add);
        record.map(ProviderFiles.Record::provider).filter(g -> installed(image.get(), g)).ifPresent(ours::add);
        Optional<ShimConfigFile.Parsed> config = shimConfig(catalog, image.get(), ours, out);
        config.flatMap(c -> c.systemProperty(ShimConfigFile.GUID_PROPERTY)).map(Guids::parseOrNull).ifPresent(g -> {
            if (!ours.isEmpty() && !ours.contains(g)) {
                out.add(new Problem(Kind.SHIM_CONFIG, "the shim configuration is for provider " + Guids.format(g) + ", which is not"
                        + " installed, while " + Guids.format(ours.iterator().next()) + " is: reinstall the provider"));
            }
        });
        record.filter(r -> !ours.contains(r.provider())).ifPresent(r -> out.add(new Problem(Kind.SHIM_CONFIG,
                state.resolve(ProviderFiles.RECORD_FILE) + " lists the files of provider " + Guids.format(r.provider())
                        + ", which is not installed: remove the files it lists and it")));
        config.ifPresent(c -> configuredFiles(catalog, c, out));
        catalogPaths(catalog, image.get(), out);
        return new Report(image, out);
    }

    private static Optional<CatalogImage> readImage(Catalog catalog, List<Problem> out) {
        Optional<CatalogImage> image = Optional.empty();
        try {
            image = Optional.of(catalog.read());
            catalog.checkState();
        } catch (CatalogException e) {
            out.add(new Problem(Kind.DAMAGED_FILE, e.getMessage()));
        }
        return image;
    }

    private static Optional<ProviderFiles.Record> installedFiles(Path state, List<Problem> out) {
        try {
            return ProviderFiles.read(state);
        } catch (CatalogException e) {
            out.add(new Problem(Kind.DAMAGED_FILE, e.getMessage()));
            return Optional.empty();
        }
    }

    private static boolean installed(CatalogImage image, UUID provider) {
        return OurEntries.find(image, Bitness.X64, provider).installed() || OurEntries.find(image, Bitness.X86, provider).installed();
    }

    /**
     * wsp4j providers in the catalog that it shows by itself: a 64-bit layered entry with chains whose
     * GUIDs derive from its own. Chains WSCInstallProviderAndChains64_32 made have GUIDs Windows chose;
     * such a provider is known by the GUID its shim configuration or its record of installed files
     * names (see {@link #check}).
     */
    public static Set<UUID> installedProviders(CatalogImage image) {
        Set<UUID> found = new LinkedHashSet<>();
        for (ProtocolEntry layered : image.entries(Bitness.X64)) {
            if (!layered.isLayered()) continue;
            UUID g = layered.info().providerId();
            Set<UUID> derived = new java.util.HashSet<>();
            for (ProtocolEntry t : image.entries(Bitness.X64)) if (t.isBase()) derived.add(LspEntries.chainGuid(g, Bitness.X64, t));
            boolean ours = image.entries(Bitness.X64).stream().anyMatch(e -> e.isChain() && derived.contains(e.info().providerId()));
            if (ours) found.add(g);
        }
        return found;
    }

    /** The shim configuration as the shim parses it; {@code ours} gains the installed provider it names. */
    private static Optional<ShimConfigFile.Parsed> shimConfig(Catalog catalog, CatalogImage image, Set<UUID> ours, List<Problem> out) {
        Path where = catalog.shimConfig().location();
        Optional<byte[]> bytes;
        try {
            bytes = catalog.shimConfig().read();
        } catch (CatalogException e) {
            out.add(new Problem(Kind.SHIM_CONFIG, "the shim configuration cannot be read: " + e.getMessage()
                    + "; targeted processes get nothing of the provider"));
            return Optional.empty();
        }
        Optional<ShimConfigFile.Parsed> parsed = Optional.empty();
        String unusable = null;
        if (bytes.isPresent()) {
            try {
                parsed = Optional.of(ShimConfigFile.parse(bytes.get()));
            } catch (IllegalArgumentException e) {
                unusable = e.getMessage();
            }
        }
        parsed.flatMap(c -> c.systemProperty(ShimConfigFile.GUID_PROPERTY)).map(Guids::parseOrNull)
                .filter(g -> installed(image, g)).ifPresent(ours::add);
        if (bytes.isEmpty()) {
            if (!ours.isEmpty()) {
                out.add(new Problem(Kind.SHIM_CONFIG, "provider " + Guids.format(ours.iterator().next()) + " is installed but its shim"
                        + " configuration " + where + " is missing: the shim targets nothing and cannot pass through; reinstall it"
                        + " (`wsp4j uninstall` then `wsp4j install`)"));
            }
            return Optional.empty();
        }
        if (ours.isEmpty()) {
            out.add(new Problem(Kind.SHIM_CONFIG, "a shim configuration is at " + where + " but no wsp4j provider is installed: a"
                    + " leftover, which makes `wsp4j install` refuse; delete it"));
        }
        if (unusable != null) {
            out.add(new Problem(Kind.SHIM_CONFIG, "the shim cannot use its configuration " + where + " (" + unusable
                    + "): it discards the whole file, targets nothing and cannot pass through; reinstall the provider"));
        }
        return parsed;
    }

    /** The files the shim loads: they must be there, and be safe. */
    private static void configuredFiles(Catalog catalog, ShimConfigFile.Parsed c, List<Problem> out) {
        c.get("jvm").ifPresentOrElse(j -> file("jvm", j, out), () -> out.add(new Problem(Kind.SHIM_CONFIG,
                "the shim configuration names no jvm: a targeted process without a JVM gets the fail policy")));
        c.get("classpath").ifPresent(cp -> {
            for (String entry : cp.split(java.io.File.pathSeparator)) if (!entry.isEmpty()) file("classpath", entry, out);
        });
        Optional<String> lower = c.get("lower_provider");
        if (lower.isPresent()) {
            file("lower_provider", lower.get(), out);
        } else if (!catalog.requiresProviderFiles()) {
            out.add(new Problem(Kind.SHIM_CONFIG, "the shim configuration names no lower_provider: on this platform the shim cannot"
                    + " pass any untargeted process through, and every socket of such a process fails; reinstall the provider"));
        }
        c.get("log").ifPresent(l -> {
            Path dir = pathOrNull(l) == null ? null : pathOrNull(l).getParent();
            if (dir != null && worldWritable(dir)) {
                out.add(new Problem(Kind.UNSAFE_PATH, "log: " + dir + " can be written by anyone; a link planted there would make every"
                        + " targeted process append where it points"));
            }
        });
    }

    private static void file(String key, String path, List<Problem> out) {
        Path p = pathOrNull(path);
        if (p == null || !p.isAbsolute()) {
            out.add(new Problem(Kind.SHIM_CONFIG, key + " in the shim configuration is not an absolute path: " + path));
        } else if (!Files.isRegularFile(p)) {
            out.add(new Problem(Kind.MISSING_FILE, key + " " + p + (Files.exists(p) ? " is not a regular file" : " does not exist")
                    + ": the shim cannot load it"));
        } else {
            PathSecurity.unsafeBecause(p).ifPresent(why -> out.add(new Problem(Kind.UNSAFE_PATH, key + ": " + why)));
        }
    }

    /** Every provider file the catalog names that means something on this system must be safe today. */
    private static void catalogPaths(Catalog catalog, CatalogImage image, List<Problem> out) {
        Set<String> seen = new LinkedHashSet<>();
        for (Bitness b : Bitness.values()) {
            for (ProtocolEntry e : image.entries(b)) {
                if (!seen.add(e.path())) continue;
                Optional<String> expanded = PathExpander.systemDefault().expandOrEmpty(e.path());
                if (expanded.isEmpty()) continue;
                Path p = pathOrNull(expanded.get());
                if (p == null || !p.isAbsolute() || (!catalog.requiresProviderFiles() && expanded.get().contains("\\"))) continue;
                if (!Files.exists(p)) continue; // CatalogChecks reports missing DLLs
                PathSecurity.unsafeBecause(p).ifPresent(why -> out.add(new Problem(Kind.UNSAFE_PATH, "\"" + e.info().protocolName()
                        + "\" (" + b.label() + "-bit id " + e.info().catalogEntryId() + ") loads " + p + ": " + why)));
            }
        }
    }

    private static void leftovers(Path state, List<Problem> out) {
        try {
            List<Path> all = new ArrayList<>(AtomicFiles.leftovers(state));
            all.addAll(AtomicFiles.leftovers(state.resolve("journal")));
            all.addAll(AtomicFiles.leftovers(state.resolve(Snapshots.DIRECTORY)));
            for (Path p : all) {
                out.add(new Problem(Kind.LEFTOVER_FILE, p + " was left by an interrupted write: `wsp4j rollback` removes it"));
            }
        } catch (IOException e) {
            out.add(new Problem(Kind.DAMAGED_FILE, "cannot list " + state + ": " + e.getMessage()));
        }
    }

    private static Path pathOrNull(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean worldWritable(Path dir) {
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
