package io.wsp4j.catalog;

import io.wsp4j.manifest.LayerSelector;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.LspCategory;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns a manifest and the current catalog into a {@link Plan}, or refuses with the reason. It
 * changes nothing. The entries it builds follow Microsoft's LSP sample (see WINDOWS-NOTES and
 * {@link LspEntries}): a hidden layered entry copied from the first target, then one chain entry per
 * target, {@code [layered id, target id]}, named "<name> over [<target>]", and the chains put first;
 * into both catalogs with one WSCInstallProviderAndChains64_32, into the 64-bit one alone entry by entry.
 */
public final class Planner {
    private final Catalog catalog;
    private final PathExpander expander;
    private final InstallerFiles installer;
    private final boolean force;

    public Planner(Catalog catalog, PathExpander expander) {
        this(catalog, expander, InstallerFiles.ofThisInstallation(), false);
    }

    /**
     * @param installer the files install may put in place (the shims, the wsp4j jar and its jars)
     * @param force     install: accept missing files and a log in a directory anyone can write, saying so
     */
    public Planner(Catalog catalog, PathExpander expander, InstallerFiles installer, boolean force) {
        this.catalog = catalog;
        this.expander = expander;
        this.installer = installer;
        this.force = force;
    }

    // ---------------------------------------------------------------------------------- install

    public Plan install(ProviderManifest m, CatalogImage before) {
        List<String> notes = new ArrayList<>();
        FilePlanner.Result files = new FilePlanner(catalog, expander, installer, force).plan(m, jvm(m), notes);
        Set<Bitness> catalogs = chosenCatalogs(m);
        refuseCollisions(m, before, catalogs);
        Optional<byte[]> config = catalog.shimConfig().read();
        if (config.isPresent()) {
            throw new PlanException(PlanException.Kind.REFUSED, "a shim configuration already exists at "
                    + catalog.shimConfig().location() + ": another wsp4j provider is installed; uninstall it first");
        }

        Map<Bitness, List<ProtocolEntry>> targets = new LinkedHashMap<>();
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            if (!catalogs.contains(b)) continue;
            targets.put(b, targets(m, before, b));
            notes.add(b.label() + "-bit catalog: layering over " + targets.get(b).stream()
                    .map(t -> t.info().catalogEntryId() + " " + t.info().protocolName()).collect(Collectors.joining(", ")));
        }
        // Files first: the catalog never names a shim that is not there yet.
        List<Step> steps = new ArrayList<>(files.placing());
        if (catalogs.contains(Bitness.X86)) {
            steps.add(bothCatalogs(m, before, targets));
        } else {
            steps.addAll(catalog64(m, before, targets.get(Bitness.X64)));
        }
        if (m.categoryMask() != 0) {
            for (Bitness b : targets.keySet()) {
                steps.add(new Step.SetLspCategories(b, OurEntries.layeredGuid(m.providerGuid(), b), m.name(), m.categoryMask()));
            }
        } else {
            notes.add("no categories: Windows counts the provider as \"All Other\" and loads it into no service, no system"
                    + " process and no application whose LSP categories are set; name them in the manifest's \"categories\"");
        }
        steps.add(new Step.ShimConfig(new Step.FileContent(shimConfig(m, targets.get(Bitness.X64).getFirst()))));
        files.record().ifPresent(steps::add);
        return new Plan("install", before, steps, notes);
    }

    /**
     * The 64-bit catalog alone, entry by entry (WSCInstallProvider, the documented way to install into
     * it only): the hidden entry, one chain per target {@code [hidden id, target id]}, then the order.
     */
    private static List<Step> catalog64(ProviderManifest m, CatalogImage before, List<ProtocolEntry> targets) {
        Bitness b = Bitness.X64;
        List<Step> steps = new ArrayList<>();
        UUID layeredGuid = OurEntries.layeredGuid(m.providerGuid(), b);
        String path = m.shimPathFor(b);
        steps.add(new Step.InstallProvider(b, layeredGuid, path, LspEntries.hidden(m.name(), targets.getFirst(), 0), List.of()));
        List<IdRef> order = new ArrayList<>();
        for (ProtocolEntry t : targets) {
            UUID chainGuid = LspEntries.chainGuid(m.providerGuid(), b, t);
            // The hidden entry's id is known once it is installed (see Step.InstallProvider).
            steps.add(new Step.InstallProvider(b, chainGuid, path, LspEntries.chain(m.name(), t, 0, 0),
                    List.of(new IdRef.Installed(layeredGuid), new IdRef.Existing(t.info().catalogEntryId()))));
            order.add(new IdRef.Installed(chainGuid));
        }
        before.order(b).forEach(id -> order.add(new IdRef.Existing(id)));
        order.add(new IdRef.Installed(layeredGuid));
        steps.add(new Step.WriteOrder(b, order));
        return steps;
    }

    /**
     * Both catalogs: a 64-bit process has no call that writes the 32-bit catalog alone since Windows
     * Vista (WSCInstallProvider64_32 is gone), so, as Microsoft's installer does there, one
     * WSCInstallProviderAndChains64_32 with the 64- and the 32-bit shim. It layers over the top-most
     * entry of each (family, type, protocol) in each catalog; that must be the base entry the manifest
     * picked, in both catalogs, or the plan is refused before anything changes.
     */
    private static Step bothCatalogs(ProviderManifest m, CatalogImage before, Map<Bitness, List<ProtocolEntry>> targets) {
        if (!targets.containsKey(Bitness.X64)) {
            throw new PlanException(PlanException.Kind.BAD_INPUT, "catalogs: [\"32\"] alone cannot be installed: a 64-bit process"
                    + " reaches the 32-bit catalog only together with the 64-bit one (WSCInstallProviderAndChains64_32;"
                    + " WSCInstallProvider64_32 is gone since Windows Vista); use [\"64\", \"32\"]");
        }
        List<ProtocolEntry> protocols = new ArrayList<>();
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            for (ProtocolEntry t : targets.get(b)) {
                if (protocols.stream().noneMatch(p -> p.triple().equals(t.triple()))) protocols.add(t);
            }
        }
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            for (ProtocolEntry p : protocols) {
                List<ProtocolEntry> picked = targets.get(b).stream().filter(t -> t.triple().equals(p.triple())).toList();
                if (picked.size() != 1) {
                    throw new PlanException(PlanException.Kind.BAD_INPUT, "layerOver picks " + picked.size() + " " + p.triple()
                            + " entries in the " + b.label() + "-bit catalog; an install into both catalogs"
                            + " (WSCInstallProviderAndChains64_32) layers over exactly one per protocol in each");
                }
                ProtocolEntry top = before.entries(b).stream()
                        .filter(e -> !e.isLayered() && !e.isHidden() && e.triple().equals(p.triple())).findFirst().orElseThrow();
                if (!top.equals(picked.getFirst())) {
                    throw new PlanException(PlanException.Kind.REFUSED, "the first " + p.triple() + " entry of the " + b.label()
                            + "-bit catalog is " + top.info().catalogEntryId() + " \"" + top.info().protocolName() + "\", not the base entry "
                            + picked.getFirst().info().catalogEntryId() + " \"" + picked.getFirst().info().protocolName() + "\": an install"
                            + " into both catalogs layers over the first entry of each protocol; uninstall the LSP above it first,"
                            + " or install into \"64\" alone");
                }
            }
        }
        return new Step.InstallProviderAndChains(m.providerGuid(), m.shimPath(), m.shimPath32().orElseThrow(), m.name(), 0, protocols);
    }

    private Set<Bitness> chosenCatalogs(ProviderManifest m) {
        Set<Bitness> missing = new LinkedHashSet<>(m.catalogs());
        missing.removeAll(catalog.bitnesses());
        if (!missing.isEmpty()) {
            throw new PlanException(PlanException.Kind.REFUSED, "the manifest asks for the "
                    + missing.stream().map(Bitness::label).collect(Collectors.joining(" and ")) + "-bit catalog, which the "
                    + catalog.describe() + " does not have");
        }
        return m.catalogs();
    }

    /** Each GUID we would install must be new to both catalogs. */
    private static void refuseCollisions(ProviderManifest m, CatalogImage before, Set<Bitness> catalogs) {
        for (Bitness b : catalogs) {
            OurEntries ours = OurEntries.find(before, b, m.providerGuid());
            if (ours.installed()) {
                ProtocolInfo layered = ours.layered().get().info();
                throw new PlanException(PlanException.Kind.REFUSED, "provider " + Guids.format(m.providerGuid())
                        + " (\"" + layered.protocolName() + "\") is already installed in the " + b.label()
                        + "-bit catalog (id " + layered.catalogEntryId() + "); uninstall it first");
            }
        }
        Set<UUID> ours = new LinkedHashSet<>();
        for (Bitness b : catalogs) {
            ours.add(OurEntries.layeredGuid(m.providerGuid(), b));
            for (ProtocolEntry t : before.entries(b)) {
                if (t.isBase()) ours.add(LspEntries.chainGuid(m.providerGuid(), b, t));
            }
        }
        for (UUID g : ours) {
            var taken = before.findProvider(g);
            if (!taken.isEmpty()) {
                var e = taken.getFirst();
                ProtocolInfo user = e.getValue().info();
                throw new PlanException(PlanException.Kind.REFUSED, "GUID " + Guids.format(g) + " is already used by \""
                        + user.protocolName() + "\" (" + e.getKey().label() + "-bit catalog, id " + user.catalogEntryId()
                        + "); choose another providerGuid");
            }
        }
    }

    /** The visible base entries the selectors pick, in catalog order; each selector must pick one. */
    private static List<ProtocolEntry> targets(ProviderManifest m, CatalogImage before, Bitness b) {
        List<ProtocolEntry> bases = before.entries(b).stream().filter(e -> e.isBase() && !e.isHidden()).toList();
        Set<ProtocolEntry> picked = new LinkedHashSet<>();
        for (int i = 0; i < m.layerOver().size(); i++) {
            LayerSelector s = m.layerOver().get(i);
            // By triple alone: the entry socket(af, type, protocol) gets today, the first match in the order.
            // With a base provider GUID: every matching entry of that provider.
            List<ProtocolEntry> hits = s.baseProvider() != null ? bases.stream().filter(e -> s.matches(e.info())).toList()
                    : bases.stream().filter(e -> s.matches(e.info())).limit(1).toList();
            if (hits.isEmpty()) {
                throw new PlanException(PlanException.Kind.BAD_INPUT, "layerOver[" + i + "] (" + s.describe()
                        + ") matches no base provider in the " + b.label() + "-bit catalog; `wsp4j list` shows them");
            }
            picked.addAll(hits);
        }
        return bases.stream().filter(picked::contains).toList();
    }

    private Path expanded(String field, String raw) {
        return new FilePlanner(catalog, expander, installer, force).expand(field, raw);
    }

    private byte[] shimConfig(ProviderManifest m, ProtocolEntry firstTarget) {
        String cp = m.classpath().stream().map(c -> expanded("classpath", c).toString())
                .collect(Collectors.joining(File.pathSeparator));
        String lower = lowerProvider(firstTarget);
        ShimConfigFile f = new ShimConfigFile(expanded("jvm", jvm(m)).toString(), cp, m.jvmOptions(), m.providerClass(),
                Guids.format(m.providerGuid()), m.allow(), m.failPolicy().label(), lower,
                m.log().map(l -> expanded("log", l).toString()).orElse(null));
        return f.render("wsp4j shim configuration for provider " + Guids.format(m.providerGuid()) + " \"" + m.name()
                + "\".\nWritten by `wsp4j install`; `wsp4j uninstall` removes it. Reinstall rather than edit.");
    }

    // ---------------------------------------------------------------------- application categories

    /**
     * Permits {@code permitted} to an application (WSCSetApplicationCategory adds to what it has). The
     * plan's before-image knows the application's categories now (not categorized: empty), which is what
     * a rollback restores. Refused when it permits them all already.
     */
    public Plan applicationCategories(AppId app, int permitted, CatalogImage before) {
        if (permitted == 0) {
            throw new PlanException(PlanException.Kind.BAD_INPUT, "no LSP category to permit to " + app);
        }
        OptionalInt now = before.applications().containsKey(app) ? before.applications().get(app) : catalog.applicationCategories(app);
        if (now.isPresent() && (now.getAsInt() & permitted) == permitted) {
            throw new PlanException(PlanException.Kind.REFUSED, app + " permits " + LspCategory.describe(permitted)
                    + " already (it permits " + LspCategory.describe(now.getAsInt()) + ")");
        }
        CatalogImage known = before.withApplication(app, now);
        List<String> notes = new ArrayList<>();
        notes.add(app + " permits " + (now.isPresent() ? LspCategory.describe(now.getAsInt()) : "every LSP (not categorized)")
                + " now; afterwards " + LspCategory.describe(now.orElse(0) | permitted) + ", from its next start");
        notes.add("Windows has no call that takes a permitted category back: on Windows this change can be undone only"
                + " while the transaction runs");
        return new Plan("app-category", known, List.of(new Step.SetApplicationCategories(app, permitted)), notes);
    }

    /**
     * The shim's lower_provider: what it hands an untargeted process (and, under pass-through, one
     * whose Java provider cannot start). On Windows the base entry's DLL, the shim's fallback when
     * it cannot resolve the chain from the catalog. In the file catalog, whose base entries the Linux
     * host serves in-process, the host's base provider library: there the shim has no other way to
     * find it, and without it every untargeted process's sockets would fail.
     */
    private String lowerProvider(ProtocolEntry base) {
        Optional<String> dll = expander.expandOrEmpty(base.path()).filter(p -> Path.of(p).isAbsolute() && Files.isRegularFile(Path.of(p)));
        if (dll.isPresent() || catalog.requiresProviderFiles()) return dll.orElse(null);
        Optional<Path> host = installer.hostBaseProvider();
        if (host.isEmpty() || !Files.isRegularFile(host.get())) {
            throw new PlanException(PlanException.Kind.BAD_INPUT, "the shim could not pass untargeted processes through: "
                    + host.map(h -> h + " (the host's base provider library) is missing; build it: src/main/c/build.sh linux "
                    + h.getParent()).orElse("this installation has no host base provider library (target/native)"));
        }
        return host.get().toString();
    }

    /** The manifest's jvm, else the JVM library of the JDK the installer runs on. */
    static String jvm(ProviderManifest m) {
        return m.jvm().orElseGet(() -> Path.of(System.getProperty("java.home")).resolve(
                System.getProperty("os.name", "").startsWith("Windows") ? Path.of("bin", "server", "jvm.dll")
                        : Path.of("lib", "server", "libjvm.so")).toString());
    }

    // -------------------------------------------------------------------------------- uninstall

    /**
     * Removes our chains, then our layered entry, in each catalog; the order closes up around them,
     * which is the order before the install. Other LSPs layered over ours block it unless
     * {@code force}, which re-chains them past ours.
     */
    public Plan uninstall(UUID providerGuid, boolean force, CatalogImage before) {
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean any = false;
        for (Bitness b : List.of(Bitness.X64, Bitness.X86)) {
            if (!before.has(b)) continue;
            OurEntries ours = OurEntries.find(before, b, providerGuid);
            if (!ours.installed()) continue;
            any = true;
            if (!ours.dependants().isEmpty()) {
                String who = ours.dependants().stream()
                        .map(d -> "\"" + d.info().protocolName() + "\" (id " + d.info().catalogEntryId() + ")")
                        .collect(Collectors.joining(", "));
                if (!force) {
                    throw new PlanException(PlanException.Kind.REFUSED, "other layered providers are chained over ours in the "
                            + b.label() + "-bit catalog: " + who + "; uninstall them first, or use --force to re-chain them"
                            + " past ours");
                }
                steps.addAll(rechainDependants(before, b, ours, notes));
            }
            for (UUID g : ours.chainGuids()) {
                String name = before.byProvider(b, g).getFirst().info().protocolName();
                steps.add(new Step.DeinstallProvider(b, g, name));
            }
            ProtocolInfo layered = ours.layered().get().info();
            steps.add(new Step.DeinstallProvider(b, layered.providerId(), layered.protocolName()));
        }
        if (!any) {
            throw new PlanException(PlanException.Kind.REFUSED, "provider " + Guids.format(providerGuid)
                    + " is not installed in the " + catalog.describe());
        }
        if (catalog.shimConfig().read().isPresent()) steps.add(new Step.ShimConfig(Step.FileContent.ABSENT));
        // Then the files the install put in place (recorded), and only those.
        steps.addAll(ProviderFiles.uninstallSteps(catalog.stateDir(), providerGuid, notes));
        return new Plan("uninstall", before, steps, notes);
    }

    /**
     * Each dependant provider loses every id of ours from its chains (WSCUpdateProvider with its own
     * GUID and path), as Microsoft's uninstaller does; a provider with a chain that would have nothing
     * left below its own layer cannot be re-chained and is removed (WSCDeinstallProvider). Every
     * change is named in the notes.
     */
    private static List<Step> rechainDependants(CatalogImage before, Bitness b, OurEntries ours, List<String> notes) {
        Set<Integer> ourIds = ours.ids();
        Map<UUID, List<ProtocolEntry>> byProvider = new LinkedHashMap<>();
        ours.dependants().forEach(d -> byProvider.put(d.info().providerId(), before.byProvider(b, d.info().providerId())));
        List<Step> steps = new ArrayList<>();
        for (var e : byProvider.entrySet()) {
            List<ProtocolEntry> updated = new ArrayList<>();
            List<String> changes = new ArrayList<>();
            Set<Integer> named = new java.util.TreeSet<>();
            boolean removable = false;
            for (ProtocolEntry x : e.getValue()) {
                if (!x.isChain() || x.chain().stream().noneMatch(ourIds::contains)) {
                    updated.add(x);
                    continue;
                }
                x.chain().stream().filter(ourIds::contains).forEach(named::add);
                List<Integer> chain = x.chain().stream().filter(id -> !ourIds.contains(id)).toList();
                if (chain.size() <= ProtocolChain.BASE_PROTOCOL) removable = true;
                updated.add(x.withChain(ProtocolChain.of(chain)));
                changes.add("--force: re-chained \"" + x.info().protocolName() + "\" (" + b.label() + "-bit id "
                        + x.info().catalogEntryId() + ") from " + x.chain() + " to " + chain);
            }
            String name = e.getValue().getFirst().info().protocolName();
            if (removable) {
                steps.add(new Step.DeinstallProvider(b, e.getKey(), name));
                notes.add("--force: removed \"" + name + "\" " + Guids.format(e.getKey()) + " (" + e.getValue().size() + " "
                        + b.label() + "-bit entries, ids " + e.getValue().stream().map(x -> x.info().catalogEntryId()).toList()
                        + "): without ours a chain of it would layer over nothing");
            } else {
                steps.add(new Step.UpdateProvider(b, e.getKey(), e.getValue().getFirst().path(), updated,
                        "remove " + (named.size() == 1 ? "our id " + named.iterator().next() : "our ids " + named) + " from its chains"));
                notes.addAll(changes);
            }
        }
        return steps;
    }
}
