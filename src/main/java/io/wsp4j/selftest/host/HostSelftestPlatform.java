package io.wsp4j.selftest.host;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.selftest.AllowList;
import io.wsp4j.selftest.ChildProcesses;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.catalog.FreshCatalogReader;
import io.wsp4j.selftest.SelftestPlatform;
import io.wsp4j.winsock.WsaError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The selftest on Linux: the file catalog, and child JVMs running the Linux SPI host through it. The
 * allowed program is a plain {@code java}; the untargeted one is this JDK's launcher copied under the
 * name {@value #UNTARGETED_IMAGE}; no 32-bit process runs here.
 */
public final class HostSelftestPlatform implements SelftestPlatform {
    /** The executable name of the untargeted child: the allow-list must not name it. */
    public static final String UNTARGETED_IMAGE = "wsp4j-untargeted";
    /** The executable name of the allowed child. */
    public static final String TARGETED_IMAGE = "java";
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(2);

    private final Path catalogDir;
    private final FileCatalog catalog;
    private final FreshCatalogReader fresh;

    public HostSelftestPlatform(Path catalogDir, FreshCatalogReader fresh) {
        this.catalogDir = catalogDir.toAbsolutePath().normalize();
        this.catalog = FileCatalog.open(this.catalogDir);
        this.fresh = fresh;
    }

    @Override
    public String describe() {
        return "Linux SPI host, " + catalog.describe();
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public List<String> catalogArguments() {
        return List.of("--catalog", catalogDir.toString());
    }

    @Override
    public FreshCatalogReader freshCatalog() {
        return fresh;
    }

    /** The file itself. */
    @Override
    public byte[] catalogBytes(CatalogImage fresh) throws IOException {
        return Files.readAllBytes(catalogDir.resolve(FileCatalog.CATALOG_FILE));
    }

    @Override
    public Set<Bitness> loadedHere() {
        return Set.of(Bitness.X64);
    }

    @Override
    public boolean windowsPaths() {
        return false;
    }

    @Override
    public List<String> unsuitable(ProviderManifest m) {
        List<String> why = new ArrayList<>();
        AllowList allow = new AllowList(m.allow(), false);
        if (!m.catalogs().contains(Bitness.X64)) why.add("it does not install the 64-bit catalog, the one the Linux host runs");
        if (!allow.targets(TARGETED_IMAGE)) why.add("its allow-list " + m.allow() + " does not name \"" + TARGETED_IMAGE + "\", the allowed child");
        if (allow.targets(UNTARGETED_IMAGE)) {
            why.add("its allow-list " + m.allow() + " names \"" + UNTARGETED_IMAGE + "\", the child that must stay untargeted"
                    + " (provider-manifest/selftest.host.json allows \"java\" only)");
        }
        return why;
    }

    @Override
    public ChildReport targetedTraffic(Path workDir, ProviderManifest m, Path accountingLog) {
        List<String> cmd = ChildProcesses.javaCommand(ChildProcesses.javaExecutable(), providerOptions(m, accountingLog),
                HostTrafficProgram.class.getName(), List.of(catalogDir.toString()));
        return ChildProcesses.run(TARGETED_IMAGE + " " + HostTrafficProgram.class.getSimpleName(), cmd, shimEnvironment(), CHILD_TIMEOUT);
    }

    @Override
    public UntargetedRun untargeted(Path workDir, ProviderManifest m) {
        Path launcher;
        try {
            launcher = RenamedLauncher.create(workDir.resolve("untargeted-jdk"), UNTARGETED_IMAGE);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot make the launcher " + UNTARGETED_IMAGE + ": " + e.getMessage(), e);
        }
        String shim = PathExpander.systemDefault().expand(m.shimPath());
        List<String> cmd = ChildProcesses.javaCommand(launcher, providerOptions(m, workDir.resolve("untargeted-accounting.log")),
                HostUntargetedProgram.class.getName(), List.of(catalogDir.toString(), shim));
        ChildReport child = ChildProcesses.run(UNTARGETED_IMAGE + " " + HostUntargetedProgram.class.getSimpleName(), cmd,
                shimEnvironment(), CHILD_TIMEOUT);
        if (child.exitCode() != 0) return new UntargetedRun(child, UNTARGETED_IMAGE, 64, false, false, "the program failed", false);
        int socketError = child.integer("socketError");
        String evidence = "executable " + child.get("image") + "; " + shim + (child.bool("shimLoaded") ? " is" : " is not")
                + " in its /proc/self/maps; the Java provider was " + (child.bool("javaStarted") ? "" : "never ")
                + "started in it (LayeredStartup, where the shim's ShimEntry leads); socket(): "
                + (socketError == 0 ? "ok" : WsaError.describe(socketError));
        return new UntargetedRun(child, child.get("image"), child.integer("pointerBits"), child.bool("shimLoaded"),
                child.bool("javaStarted"), evidence, child.bool("exchanged"));
    }

    @Override
    public Optional<String> noThirtyTwoBit() {
        return Optional.of("the Linux host runs no 32-bit processes (verify checked the 32-bit catalog)");
    }

    @Override
    public UntargetedRun thirtyTwoBit(Path workDir, ProviderManifest m) {
        throw new UnsupportedOperationException(noThirtyTwoBit().orElseThrow());
    }

    /** What the shim would pass a JVM it creates, for a JVM that exists already: the provider, our GUID, where to account. */
    private static List<String> providerOptions(ProviderManifest m, Path accountingLog) {
        return List.of("-D" + ShimConfigFile.PROVIDER_PROPERTY + "=" + m.providerClass(),
                "-D" + ShimConfigFile.GUID_PROPERTY + "=" + io.wsp4j.catalog.Guids.format(m.providerGuid()),
                "-D" + io.wsp4j.provider.sample.AccountingProvider.LOG_PROPERTY + "=" + accountingLog);
    }

    /** On Linux the shim finds its configuration only through WSP4J_SHIM_CONFIG (or /etc/wsp4j): the installed one. */
    private Map<String, String> shimEnvironment() {
        return Map.of("WSP4J_SHIM_CONFIG", catalog.shimConfig().location().toString());
    }
}
