package io.wsp4j.catalog;

import io.wsp4j.manifest.LayerSelector;
import io.wsp4j.manifest.ProviderManifest;
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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns a manifest and the current catalog into a {@link Plan}, or refuses with the reason. It
 * changes nothing. The entries it builds follow Microsoft's LSP sample (see WINDOWS-NOTES): a hidden
 * layered entry copied from the first target, then one chain entry per target,
 * {@code [layered id, target id]}, named "<name> over [<target>]", and the chains put first.
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

        // Files first: the catalog never names a shim that is not there yet.
        List<Step> steps = new ArrayList<>(files.placing());
        ProtocolEntry firstTarget = null;
        // The 32-bit catalog first: on Windows its install briefly passes through the 64-bit catalog.
        for (Bitness b : List.of(Bitness.X86, Bitness.X64)) {
            if (!catalogs.contains(b)) continue;
            List<ProtocolEntry> targets = targets(m, before, b);
            if (b == Bitness.X64 || firstTarget == null) firstTarget = targets.getFirst();
            UUID layeredGuid = OurEntries.layeredGuid(m.providerGuid(), b);
            String path = m.shimPathFor(b);
            steps.add(new Step.InstallProvider(b, layeredGuid, path, layeredEntry(m, targets.getFirst()), List.of()));
            List<IdRef> order = new ArrayList<>();
            for (ProtocolEntry t : targets) {
                UUID chainGuid = OurEntries.chainGuid(m.providerGuid(), b, t);
                steps.add(new Step.InstallProvider(b, chainGuid, path, chainEntry(m, t),
                        List.of(new IdRef.Installed(layeredGuid), new IdRef.Existing(t.info().catalogEntryId()))));
                order.add(new IdRef.Installed(chainGuid));
            }
            before.order(b).forEach(id -> order.add(new IdRef.Existing(id)));
            order.add(new IdRef.Installed(layeredGuid));
            steps.add(new Step.WriteOrder(b, order));
            notes.add(b.label() + "-bit catalog: layering over " + targets.stream()
                    .map(t -> t.info().catalogEntryId() + " " + t.info().protocolName()).collect(Collectors.joining(", ")));
        }
        steps.add(new Step.ShimConfig(shimConfig(m, firstTarget)));
        files.record().ifPresent(steps::add);
        return new Plan("install", before, steps, notes);
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
                if (t.isBase()) ours.add(OurEntries.chainGuid(m.providerGuid(), b, t));
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
            List<ProtocolEntry> hits = s.baseProvider() != null ? bases.stream().filter(s::matches).toList()
                    : bases.stream().filter(s::matches).limit(1).toList();
            if (hits.isEmpty()) {
                throw new PlanException(PlanException.Kind.BAD_INPUT, "layerOver[" + i + "] (" + s.describe()
                        + ") matches no base provider in the " + b.label() + "-bit catalog; `wsp4j list` shows them");
            }
            picked.addAll(hits);
        }
        return bases.stream().filter(picked::contains).toList();
    }

    static ProtocolEntry layeredEntry(ProviderManifest m, ProtocolEntry first) {
        ProtocolInfo t = first.info();
        return first.withInfo(t.withProtocolName(m.name())
                .withSocket(0, 0)
                .withFlags(t.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES,
                        (t.providerFlags() | Protocols.PFL_HIDDEN) & ~Protocols.PFL_MATCHES_PROTOCOL_ZERO)
                .withChain(ProtocolChain.layered())
                .withCatalogEntryId(0));
    }

    /** The chain ids are filled in when the layered entry's id is known (see Step.InstallProvider). */
    static ProtocolEntry chainEntry(ProviderManifest m, ProtocolEntry target) {
        ProtocolInfo t = target.info();
        String name = m.name() + " over [" + t.protocolName() + "]";
        if (name.length() > Protocols.WSAPROTOCOL_LEN) name = name.substring(0, Protocols.WSAPROTOCOL_LEN);
        return target.withInfo(t.withProtocolName(name)
                .withFlags(t.serviceFlags1() & ~Protocols.XP1_IFS_HANDLES, t.providerFlags())
                .withChain(ProtocolChain.of(List.of(0, t.catalogEntryId())))
                .withCatalogEntryId(0));
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
        if (catalog.shimConfig().read().isPresent()) steps.add(new Step.ShimConfig(null));
        // Then the files the install put in place (recorded), and only those.
        steps.addAll(ProviderFiles.uninstallSteps(catalog.stateDir(), providerGuid, notes));
        return new Plan("uninstall", before, steps, notes);
    }

    /** WSCUpdateProvider for each dependant provider: its chains lose our layered id. */
    private static List<Step> rechainDependants(CatalogImage before, Bitness b, OurEntries ours, List<String> notes) {
        int ourId = ours.layered().get().info().catalogEntryId();
        Map<UUID, List<ProtocolEntry>> byProvider = new LinkedHashMap<>();
        ours.dependants().forEach(d -> byProvider.put(d.info().providerId(), before.byProvider(b, d.info().providerId())));
        List<Step> steps = new ArrayList<>();
        for (var e : byProvider.entrySet()) {
            List<ProtocolEntry> updated = new ArrayList<>();
            for (ProtocolEntry x : e.getValue()) {
                if (x.isChain() && x.chain().contains(ourId)) {
                    List<Integer> chain = new ArrayList<>(x.chain());
                    chain.remove(Integer.valueOf(ourId));
                    updated.add(x.withChain(ProtocolChain.of(chain)));
                    notes.add("--force: re-chained \"" + x.info().protocolName() + "\" (" + b.label() + "-bit id "
                            + x.info().catalogEntryId() + ") from " + x.chain() + " to " + chain);
                } else {
                    updated.add(x);
                }
            }
            steps.add(new Step.UpdateProvider(b, e.getKey(), e.getValue().getFirst().path(), updated,
                    "remove layered id " + ourId + " from its chains"));
        }
        return steps;
    }
}
