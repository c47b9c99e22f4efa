package io.wsp4j.selftest.windows;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.provider.sample.AccountingProvider;
import io.wsp4j.selftest.AllowList;
import io.wsp4j.selftest.ChildProcesses;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.catalog.FreshCatalogReader;
import io.wsp4j.selftest.SelftestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The selftest on Windows (x64, elevated): the system catalogs, and real programs started after the
 * install. The allowed program is a new {@code java.exe} running {@link WindowsTrafficProgram}; the
 * untargeted one is the 64-bit Windows PowerShell, the 32-bit one the 32-bit Windows PowerShell
 * (SysWOW64), both {@link PowerShellProbe}. Nothing here runs off Windows.
 */
public final class WindowsSelftestPlatform implements SelftestPlatform {
    /** What the allowed child's executable is called: the allow-list must name it. */
    public static final String TARGETED_IMAGE = "java.exe";
    /** What the untargeted children are called: the allow-list must not name it. */
    public static final String UNTARGETED_IMAGE = "powershell.exe";
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(3);

    private final WindowsCatalog catalog;
    private final FreshCatalogReader fresh;
    private final Path systemRoot;

    public WindowsSelftestPlatform(FreshCatalogReader fresh) {
        this.catalog = WindowsCatalog.system();
        this.fresh = fresh;
        this.systemRoot = Path.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"));
    }

    @Override
    public String describe() {
        return "Windows " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + "), " + catalog.describe();
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public List<String> catalogArguments() {
        return List.of();
    }

    @Override
    public FreshCatalogReader freshCatalog() {
        return fresh;
    }

    /** Both catalogs as a new process read them, in canonical JSON: ids, order, every field and every path. */
    @Override
    public byte[] catalogBytes(CatalogImage fresh) {
        return CatalogJson.bytes(CatalogJson.toJson(fresh));
    }

    @Override
    public Set<Bitness> loadedHere() {
        return Set.of(Bitness.X64, Bitness.X86);
    }

    @Override
    public boolean windowsPaths() {
        return true;
    }

    @Override
    public List<String> unsuitable(ProviderManifest m) {
        return unsuitableManifest(m);
    }

    /** Why {@code m} cannot serve the selftest on Windows: the allow-list must name java.exe and not powershell.exe. */
    static List<String> unsuitableManifest(ProviderManifest m) {
        List<String> why = new ArrayList<>();
        AllowList allow = new AllowList(m.allow(), true);
        if (!m.catalogs().contains(Bitness.X64)) why.add("it does not install the 64-bit catalog");
        if (!allow.targets(TARGETED_IMAGE)) why.add("its allow-list " + m.allow() + " does not name " + TARGETED_IMAGE + ", the allowed child");
        if (allow.targets(UNTARGETED_IMAGE)) {
            why.add("its allow-list " + m.allow() + " names " + UNTARGETED_IMAGE + ", the child that must stay untargeted"
                    + " (provider-manifest\\accounting.windows.json allows curl.exe and java.exe)");
        }
        return why;
    }

    @Override
    public ChildReport targetedTraffic(Path workDir, ProviderManifest m, Path accountingLog) {
        // A JVM that exists already gets no options from the shim: the program's own command line says
        // which provider runs and where it accounts, as an allowed Java program's would.
        List<String> options = List.of("-D" + ShimConfigFile.PROVIDER_PROPERTY + "=" + m.providerClass(),
                "-D" + ShimConfigFile.GUID_PROPERTY + "=" + Guids.format(m.providerGuid()),
                "-D" + AccountingProvider.LOG_PROPERTY + "=" + accountingLog);
        List<String> cmd = ChildProcesses.javaCommand(ChildProcesses.javaExecutable(), options, WindowsTrafficProgram.class.getName(), List.of());
        return ChildProcesses.run(TARGETED_IMAGE + " " + WindowsTrafficProgram.class.getSimpleName(), cmd, Map.of(), CHILD_TIMEOUT);
    }

    @Override
    public UntargetedRun untargeted(Path workDir, ProviderManifest m) {
        return PowerShellProbe.run(powershell("System32"), shimFile(m.shimPath()));
    }

    @Override
    public Optional<String> noThirtyTwoBit() {
        Path ps = powershell("SysWOW64");
        return Files.isRegularFile(ps) ? Optional.empty() : Optional.of("no 32-bit Windows PowerShell at " + ps + " (a Windows without WOW64?)");
    }

    /** The 32-bit Windows PowerShell: a WOW64 process, so ws2_32 reads the 32-bit catalog and loads the 32-bit shim. */
    @Override
    public UntargetedRun thirtyTwoBit(Path workDir, ProviderManifest m) {
        return PowerShellProbe.run(powershell("SysWOW64"), shimFile(m.shimPath32().orElseThrow()));
    }

    private Path powershell(String systemDir) {
        return systemRoot.resolve(systemDir).resolve("WindowsPowerShell").resolve("v1.0").resolve(UNTARGETED_IMAGE);
    }

    private static String shimFile(String shimPath) {
        String expanded = PathExpander.systemDefault().expandOrEmpty(shimPath).orElse(shimPath);
        return Path.of(expanded.replace('/', '\\')).getFileName().toString();
    }
}
