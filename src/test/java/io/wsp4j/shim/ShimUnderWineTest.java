package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shim's Windows builds, run for real under Wine: a mingw-built shim_host loads wsp4j_shim.dll
 * (and wsp4j_shim32.dll) and calls WSPStartup as ws2_32 would, over a fake lower provider and a fake
 * jvm.dll (src/test/c). Wine supplies what the shim asks of Windows: the registry, ws2_32's catalog
 * (WSCEnumProtocols; its WSCGetProviderPath succeeds without giving a path), the loader and its
 * process-exit order, the ANSI code page and the debugger channel. Wine cannot host an LSP and has no
 * JVM, so the catalog install and Java itself are not run here. One Wine prefix serves the class.
 */
@EnabledOnOs(OS.LINUX)
class ShimUnderWineTest {
    /** What lower_provider.c writes into entry i, and what the fake jvm.dll's Java writes. */
    private static final long LOWER_MARKER = 0x51500000L;
    private static final long FAKE_JAVA_MARKER = 0x4a415600L;
    private static final int SPI_VERSION = 0x0202;
    private static final String JNI_VERSION_21 = "150000";
    private static final String HKLM_WSP4J = "HKLM\\SOFTWARE\\wsp4j";

    private static Wine wine;
    private static WinePrograms x64;
    private static WinePrograms x86; // null without 32-bit Wine
    private static String x86Missing;

    @TempDir
    Path dir;

    @BeforeAll
    static void bootWine() throws Exception {
        Wine.require();
        WinePrograms.require(false);
        x64 = WinePrograms.build(false);
        // Without the 32-bit parts only the 32-bit tests skip (or, under CI, fail).
        if (!Files.isExecutable(Wine.LOADER_32)) {
            x86Missing = Wine.LOADER_32 + " is not installed (Debian: dpkg --add-architecture i386, then wine32; .ci/run installs it)";
        } else if (!NativeTools.onPath(WinePrograms.compiler(true))) {
            x86Missing = WinePrograms.compiler(true) + " is not installed (Debian: gcc-mingw-w64-i686; .ci/run installs it)";
        } else {
            x86 = WinePrograms.build(true);
        }
        wine = Wine.boot();
    }

    @AfterAll
    static void shutDownWine() throws Exception {
        if (wine == null) return;
        System.out.println(wine.timings());
        wine.close();
    }

    // ---- running shim_host ----------------------------------------------------------------------

    private ShimConfigLines config() {
        return new ShimConfigLines();
    }

    /** The fake JVM, a class path, an option, the lower provider and a log; no allow-list yet. */
    private ShimConfigLines javaConfigured(WinePrograms programs) {
        return config()
                .set("jvm", Wine.windowsPath(programs.fakeJvm() != null ? programs.fakeJvm() : dir.resolve("no-jvm.dll")))
                .set("classpath", Wine.windowsPath(dir.resolve("wsp4j.jar")))
                .set("jvm_option", "-Xrs")
                .set("lower_provider", Wine.windowsPath(programs.lower()))
                .set("log", Wine.windowsPath(log()));
    }

    /** A configuration that targets shim_host by its executable's name. */
    private ShimConfigLines targeting(WinePrograms programs) {
        return javaConfigured(programs).set("allow", programs.host().getFileName().toString());
    }

    private Path log() {
        return dir.resolve("shim.log");
    }

    private Path write(ShimConfigLines config) throws Exception {
        return config.writeTo(dir.resolve("shim.conf"));
    }

    /** shim_host under Wine, with WSP4J_SHIM_CONFIG naming config (null: unset) and more environment. */
    private HostReport host(WinePrograms programs, Path config, Map<String, String> environment, String... arguments) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.put("WSP4J_SHIM_CONFIG", config == null ? null : Wine.windowsPath(config));
        List<String> command = new ArrayList<>(List.of(Wine.windowsPath(programs.shim()), Wine.windowsPath(programs.lower())));
        command.addAll(List.of(arguments));
        HostReport report = HostReport.of(wine.run(env, programs.host(), command));
        // shim_host prints what reached the debugger as debug.N lines; nothing else may name the shim.
        assertFalse(report.stdout().lines().anyMatch(l -> !l.startsWith("debug.") && l.contains("wsp4j-shim"))
                        || report.stderr().contains("wsp4j-shim"),
                () -> "the shim must never write to a process's stdout or stderr:\n" + report.stdout() + report.stderr());
        return report;
    }

    private HostReport host(WinePrograms programs, Path config, String... arguments) throws Exception {
        return host(programs, config, Map.of(), arguments);
    }

    private static List<Long> markers(long base) {
        List<Long> markers = new ArrayList<>();
        for (int i = 0; i < WSPPROC_TABLE.layout().memberLayouts().size(); i++) markers.add(base + i);
        return markers;
    }

    private static List<Long> untouched() {
        return Collections.nCopies(WSPPROC_TABLE.layout().memberLayouts().size(), 0L);
    }

    private List<String> logLines() throws Exception {
        return Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8) : List.of();
    }

    private String onlyLogLine() throws Exception {
        List<String> lines = logLines();
        assertEquals(1, lines.size(), () -> "one line per failure: " + lines);
        return lines.get(0);
    }

    /** The lower provider was called once, with the caller's own pointers, and its result and table came back untouched. */
    private static void assertPassedThroughUntouched(HostReport report, int lowerStatus) {
        assertEquals(lowerStatus, report.integer("call0.status"));
        assertEquals(markers(LOWER_MARKER), report.procTable(0));
        assertEquals(1, report.integer("lower.calls"));
        assertEquals(SPI_VERSION, report.integer("lower.version"));
        assertEquals(report.pointer("host.protocol_info"), report.pointer("lower.protocol_info"));
        assertEquals(report.pointer("call0.wsp_data"), report.pointer("lower.wsp_data"));
        assertEquals(report.pointer("call0.proc_table"), report.pointer("lower.proc_table"));
        assertEquals(report.upcallTable("host.upcall"), report.upcallTable("lower.upcall"));
    }

    /** The registry value the shim reads when WSP4J_SHIM_CONFIG is not set; removed again by the test. */
    private void registryConfigPath(String type, String value) throws Exception {
        wine.reg("add", HKLM_WSP4J, "/v", "ConfigPath", "/t", type, "/d", value, "/f").assertSucceeded();
    }

    private void removeRegistryKey() throws Exception {
        wine.reg("delete", HKLM_WSP4J, "/f"); // absent already is fine
    }

    // ---- finding the configuration --------------------------------------------------------------

    @Test
    void theConfigurationIsFoundThroughTheEnvironment() throws Exception {
        HostReport report = host(x64, write(targeting(x64)));

        assertEquals(0, report.integer("call0.status"));
        assertEquals(1, report.integer("fake.entry_calls"));
    }

    @Test
    void theConfigurationIsFoundThroughTheRegistry() throws Exception {
        registryConfigPath("REG_SZ", Wine.windowsPath(write(targeting(x64))));
        try {
            HostReport report = host(x64, null);

            assertEquals(0, report.integer("call0.status"));
            assertEquals(1, report.integer("fake.entry_calls"), "HKLM\\SOFTWARE\\wsp4j\\ConfigPath named the targeting configuration");
        } finally {
            removeRegistryKey();
        }
    }

    @Test
    void anExpandableRegistryValueIsExpanded() throws Exception {
        write(targeting(x64));
        registryConfigPath("REG_EXPAND_SZ", "%WSP4J_TEST_CONFIG_DIR%\\shim.conf");
        try {
            HostReport report = host(x64, null, Map.of("WSP4J_TEST_CONFIG_DIR", Wine.windowsPath(dir)));

            assertEquals(1, report.integer("fake.entry_calls"));
        } finally {
            removeRegistryKey();
        }
    }

    @Test
    void theEnvironmentWinsOverTheRegistry() throws Exception {
        Path targets = targeting(x64).writeTo(dir.resolve("targets.conf"));
        Path untargets = config().set("allow", "other.exe").set("lower_provider", Wine.windowsPath(x64.lower()))
                .writeTo(dir.resolve("untargets.conf"));
        registryConfigPath("REG_SZ", Wine.windowsPath(targets));
        try {
            HostReport report = host(x64, untargets);

            assertEquals(0, report.integer("jvm.after"));
            assertPassedThroughUntouched(report, 0);
        } finally {
            removeRegistryKey();
        }
    }

    @Test
    void withoutAnyConfigurationNothingIsTargetedAndTheDebuggerIsTold() throws Exception {
        removeRegistryKey();
        HostReport report = host(x64, null);

        assertEquals(0, report.integer("jvm.after"));
        // Wine's catalog gives no provider paths and nothing names a lower_provider: no way down.
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals("0", report.get("lower.loaded"));
        List<String> debug = report.list("debug");
        assertEquals(1, debug.size(), debug::toString);
        assertTrue(debug.get(0).contains("wsp4j-shim ShimHost.exe["), debug.get(0));
        assertTrue(debug.get(0).contains("no usable configuration (no WSP4J_SHIM_CONFIG and no registry key HKLM\\SOFTWARE\\wsp4j"), debug.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jvm_opton=-Xrs", "no equals sign here", "fail_policy=closed", "jvm=Z:\\twice\\jvm.dll",
            "fail_policy=fail\nfail_policy=pass-through"})
    void aMalformedConfigurationTargetsNothing(String badLine) throws Exception {
        Path config = javaConfigured(x64).set("allow", "*").writeTo(dir.resolve("shim.conf"));
        Files.writeString(config, badLine + "\n", java.nio.file.StandardOpenOption.APPEND);

        HostReport report = host(x64, config);

        assertEquals(0, report.integer("jvm.after"), "no JVM for a configuration that is discarded whole");
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"), "its lower_provider is discarded too");
        assertEquals(List.of(), logLines(), "and its log setting");
        List<String> debug = report.list("debug");
        assertEquals(1, debug.size(), debug::toString);
        assertTrue(debug.get(0).contains("no usable configuration (Z:"), debug.get(0));
    }

    // ---- the allow-list ---------------------------------------------------------------------------

    @ParameterizedTest(name = "allow={0} targets: {1}")
    @CsvSource({"ShimHost.exe, true", "shimhost.EXE, true", "SHIM?OST.*, true", "*, true", "shimhost, false",
            "ShimHost.ex, false", "other.exe, false"})
    void theAllowListMatchesTheImageNameIgnoringAsciiCase(String pattern, boolean targeted) throws Exception {
        HostReport report = host(x64, write(javaConfigured(x64).set("allow", "java.exe").set("allow", pattern)));

        assertEquals(targeted ? 1 : 0, report.integer("jvm.after"));
        assertEquals(targeted ? "0" : "1", report.get("lower.loaded"));
    }

    @Test
    void anUntargetedProcessGetsTheLowerProvidersResultAndTableUntouchedAndNoJvm() throws Exception {
        Path config = write(config()
                .set("jvm", Wine.windowsPath(x64.fakeJvm()))
                .set("allow", "other.exe")
                .set("lower_provider", Wine.windowsPath(x64.lower()))
                .set("log", Wine.windowsPath(log())));

        HostReport report = host(x64, config, Map.of("LOWER_STATUS", String.valueOf(WsaErrors.WSASYSNOTREADY)));

        assertEquals(0, report.integer("jvm.before"));
        assertEquals(0, report.integer("jvm.after"), "jvm.dll must never be loaded into an untargeted process");
        assertPassedThroughUntouched(report, WsaErrors.WSASYSNOTREADY);
        assertEquals(List.of(), logLines());
    }

    /**
     * ws2_32 unloads the provider at a process's last WSACleanup and loads it again at its next socket.
     * The shim used to keep one TLS index per load (mingw's emulated C11 TLS): ~1,080 cycles used them
     * all up and the process was ended by abort() inside the shim, untargeted processes included.
     */
    @ParameterizedTest(name = "32-bit: {0}")
    @ValueSource(booleans = {false, true})
    void aProcessThatStartsAndStopsWinsockOverAndOverKeepsNoTlsIndexOfTheShim(boolean bits32) throws Exception {
        if (bits32) need32BitWine();
        WinePrograms programs = bits32 ? x86 : x64;
        Path config = write(config().set("allow", "other.exe").set("lower_provider", Wine.windowsPath(programs.lower())));

        HostReport report = host(programs, config, "--cycle", "200");

        assertEquals(0, report.integer("cycle.status"), "every cycle passed through");
        assertEquals(report.integer("tls.before"), report.integer("tls.after"), "200 loads and unloads of the shim kept no TLS index");
        assertEquals(0, report.integer("call0.status"), "and the process goes on as before");
        assertEquals(markers(LOWER_MARKER), report.procTable(0));
        assertEquals(201, report.integer("lower.calls"));
    }

    // ---- the targeted path: the JVM and ShimEntry.wspStartup -------------------------------------

    @Test
    void aTargetedProcessCreatesTheJvmWithTheConfiguredOptionsAndCallsShimEntry() throws Exception {
        Path config = write(targeting(x64).set("jvm_option", "--enable-native-access=ALL-UNNAMED"));

        HostReport report = host(x64, config);

        assertEquals(0, report.integer("jvm.before"));
        assertEquals(1, report.integer("jvm.after"));
        assertEquals(1, report.integer("fake.create_calls"));
        assertEquals(JNI_VERSION_21, report.get("fake.create.version"));
        assertEquals(0, report.integer("fake.create.ignore_unrecognized"), "a mistyped option must fail, not be ignored");
        assertEquals(List.of(hex("-Djava.class.path=" + Wine.windowsPath(dir.resolve("wsp4j.jar"))), hex("-Xrs"),
                hex("--enable-native-access=ALL-UNNAMED")), optionsOf(report));
        // The entry class through the system class loader, then its static int wspStartup(SJJJJ)I.
        assertEquals("io.wsp4j.provider.ShimEntry", report.get("fake.for_name"));
        assertEquals(1, report.integer("fake.for_name.initialize"));
        assertEquals("entry wspStartup(SJJJJ)I", report.get("fake.static_method.2"));
        assertEquals(1, report.integer("fake.entry_calls"));
        assertEquals(SPI_VERSION, report.integer("fake.entry.version"));
        assertEquals(report.pointer("call0.wsp_data"), report.pointer("fake.entry.wsp_data"));
        assertEquals(report.pointer("host.protocol_info"), report.pointer("fake.entry.protocol_info"));
        assertEquals(report.pointer("call0.proc_table"), report.pointer("fake.entry.proc_table"));
        // lpUpcallTable: the shim's own copy of the by-value table, with the caller's entries.
        assertNotEquals(0L, report.pointer("fake.entry.upcall_table"));
        assertEquals(report.upcallTable("host.upcall"), report.upcallTable("fake.entry.upcall"));
        // Java's table comes back, but for lpWSPCleanup, which is the shim's own.
        assertEquals(0, report.integer("call0.status"));
        List<Long> table = report.procTable(0);
        List<Long> expected = new ArrayList<>(markers(FAKE_JAVA_MARKER));
        expected.set(CreatePathEntry.SLOT_CLEANUP, table.get(CreatePathEntry.SLOT_CLEANUP));
        assertEquals(expected, table);
        assertEquals("0", report.get("lower.loaded"), "a started Java provider leaves the lower provider to Java");
        assertEquals(0, report.integer("fake.exception_pending"));
        assertEquals(report.integer("fake.frames_pushed"), report.integer("fake.frames_popped"));
        assertEquals(List.of(), logLines(), "success logs nothing");
    }

    @Test
    void aProcessWithAJvmAlreadyLoadedIsAttachedToIt() throws Exception {
        HostReport report = host(x64, write(targeting(x64)), Map.of("FAKE_JVM_EXISTS", "1"),
                "--preload-jvm", Wine.windowsPath(x64.fakeJvm()));

        assertEquals(0, report.integer("call0.status"));
        assertEquals(0, report.integer("fake.create_calls"));
        assertEquals(JNI_VERSION_21, report.get("fake.get_env.version"));
        assertEquals(1, report.integer("fake.attach_daemon_calls"), "attached as a daemon: the application's threads decide when the JVM ends");
        assertEquals(1, report.integer("fake.detach_calls"));
        assertEquals(1, report.integer("fake.entry_calls"));
    }

    /**
     * A process whose own JVM is being created (a java agent's premain or JDWP's listener opens a socket
     * before JNI_CreateJavaVM returns): creating one in its place would make the application's own
     * JNI_CreateJavaVM fail.
     */
    @Test
    void aJvmLibraryInTheProcessWithNoJvmYetIsNotUsedToCreateOne() throws Exception {
        HostReport report = host(x64, write(targeting(x64)), "--preload-jvm", Wine.windowsPath(x64.fakeJvm()));

        assertEquals(0, report.integer("fake.create_calls"), "the application's JVM library is left to the application");
        assertEquals(0, report.integer("fake.entry_calls"));
        assertPassedThroughUntouched(report, 0);
        String line = onlyLogLine();
        assertTrue(line.contains("the process has a JVM library but no JVM yet"), line);
    }

    @Test
    void aWinsockCallFromTheJavaStartOnTheSameThreadPassesThrough() throws Exception {
        HostReport report = host(x64, write(targeting(x64)), Map.of("FAKE_JVM_REENTER", "1"));

        assertEquals(1, report.integer("fake.entry_calls"), "the nested WSPStartup did not call Java again");
        assertEquals(0, report.integer("fake.nested.status"));
        assertEquals(LOWER_MARKER, report.pointer("fake.nested.proc.0"), "it got the lower provider's table");
        assertEquals(0, report.integer("call0.status"));
        assertEquals(FAKE_JAVA_MARKER, report.pointer("call0.proc.0"), "the outer call still got Java's");
    }

    @Test
    void jvmOptionsReachTheJvmInTheAnsiCodePage() throws Exception {
        Charset ansi = ansiCodePage();
        String label = "-Dwsp4j.label=na\u00efve caf\u00e9"; // in every Western code page
        assertTrue(ansi.newEncoder().canEncode(label), "the test needs a code page with \u00ef and \u00e9, not " + ansi);
        Path classPath = dir.resolve("d\u00e9j\u00e0/wsp4j.jar");

        HostReport report = host(x64, write(config()
                .set("jvm", Wine.windowsPath(x64.fakeJvm()))
                .set("classpath", Wine.windowsPath(classPath))
                .set("jvm_option", "-Xrs")
                .set("jvm_option", label)
                .set("allow", "*")));

        assertEquals(0, report.integer("call0.status"));
        assertEquals(List.of(hex("-Djava.class.path=" + Wine.windowsPath(classPath), ansi), hex("-Xrs", ansi), hex(label, ansi)),
                optionsOf(report));
    }

    @ParameterizedTest(name = "fail_policy={0}")
    @ValueSource(strings = {"pass-through", "fail"})
    void aJvmOptionTheAnsiCodePageCannotSpellIsRefused(String policy) throws Exception {
        String option = "-Dwsp4j.label=\u65e5\u672c\u8a9e"; // not in a Western code page
        assertFalse(ansiCodePage().newEncoder().canEncode(option));

        HostReport report = host(x64, write(targeting(x64).set("jvm_option", option).set("fail_policy", policy)));

        assertEquals(0, report.integer("fake.create_calls"), "no JVM created with mojibake options");
        if (policy.equals("fail")) {
            assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
            assertEquals(untouched(), report.procTable(0));
        } else {
            assertPassedThroughUntouched(report, 0);
        }
        String line = onlyLogLine();
        assertTrue(line.contains("JVM option `" + option + "` cannot be written in the ANSI code page (" + report.get("acp") + ")"), line);
    }

    // ---- a failed Java start ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "FAKE_JVM_RESULT, 10106, the Java WSPStartup returned 10106",
            "FAKE_JVM_FAIL, call, the Java WSPStartup threw: java.lang.IllegalStateException: (fake) the entry refuses to start",
            "FAKE_JVM_FAIL, class, cannot load the entry class: java.lang.ClassNotFoundException",
            "FAKE_JVM_FAIL, method, the entry class has no static int wspStartup(SJJJJ)I: java.lang.NoSuchMethodError",
            "FAKE_JVM_CREATE_STATUS, -1, JNI_CreateJavaVM failed (-1)"})
    void aFailedJavaStartPassesThroughWithTheLowerTableByDefault(String variable, String value, String why) throws Exception {
        HostReport report = host(x64, write(targeting(x64)), Map.of(variable, value));

        assertPassedThroughUntouched(report, 0);
        assertEquals(0, report.integer("fake.exception_pending"), "no exception left pending in the JVM");
        String line = onlyLogLine();
        assertTrue(line.contains("wsp4j-shim ShimHost.exe["), line);
        assertTrue(line.contains("Java provider not started: " + why), line);
        assertTrue(line.endsWith("; passed through to the lower provider"), line);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"FAKE_JVM_RESULT, 10106", "FAKE_JVM_FAIL, call", "FAKE_JVM_FAIL, class"})
    void aFailedJavaStartFailsWith10106UnderFailPolicyFailAndLeavesTheTableUntouched(String variable, String value) throws Exception {
        HostReport report = host(x64, write(targeting(x64).set("fail_policy", "fail")), Map.of(variable, value));

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals(untouched(), report.procTable(0), "nothing the failed Java start wrote survives");
        assertEquals(0, report.integer("call0.wsp_version"));
        assertEquals("0", report.get("lower.loaded"));
        assertTrue(onlyLogLine().contains("failing with WSAEPROVIDERFAILEDINIT (fail_policy=fail)"));
    }

    @Test
    void aJvmThatFailedToStartIsNotCreatedAgainInTheSameProcess() throws Exception {
        HostReport report = host(x64, write(targeting(x64)), Map.of("FAKE_JVM_CREATE_STATUS", "-1"), "--again-on-new-thread");

        assertEquals(1, report.integer("fake.create_calls"), "HotSpot cannot create a JVM twice in a process");
        assertEquals(0, report.integer("call1.status"));
        assertEquals(markers(LOWER_MARKER), report.procTable(1));
        List<String> lines = logLines();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(1).contains("creating the JVM failed earlier in this process"), lines.get(1));
    }

    // ---- WSPCleanup and process exit ---------------------------------------------------------------

    @Test
    void wspCleanupBeforeProcessExitReachesJava() throws Exception {
        HostReport report = host(x64, write(targeting(x64)), "--cleanup");

        assertEquals(0, report.integer("cleanup.status"));
        assertEquals(1, report.integer("fake.cleanups"));
    }

    @Test
    void wspCleanupAfterTheShimsDetachAtProcessExitDoesNotEnterJava() throws Exception {
        Path exitReport = dir.resolve("exit.txt");

        HostReport report = host(x64, write(targeting(x64)), "--exit-cleanup", Wine.windowsPath(x64.exitStandIn()), Wine.windowsPath(exitReport));

        assertEquals(0, report.integer("call0.status"));
        assertTrue(Files.exists(exitReport), "the stand-in for ws2_32 called WSPCleanup at process exit");
        HostReport atExit = report.with(Files.readString(exitReport));
        assertEquals(0, atExit.integer("exit.cleanup_status"), "NO_ERROR, as Microsoft's sample LSP returns once detached");
        assertEquals(0, atExit.integer("exit.java_cleanups_before"));
        assertEquals(0, atExit.integer("exit.java_cleanups_after"), "Java's WSPCleanup must not run after DLL_PROCESS_DETACH");
    }

    // ---- the chain, from Wine's catalog ------------------------------------------------------------

    @Test
    void theChainIsResolvedFromTheCatalogAndWithoutProviderPathsFallsBackToLowerProvider() throws Exception {
        // Wine's stock catalog has 1001 (TCP/IP) and 1002 (UDP/IP); WSCGetProviderPath gives no path.
        Path config = write(config().set("lower_provider", Wine.windowsPath(x64.lower())).set("log", Wine.windowsPath(log())));

        HostReport report = host(x64, config, "--chain", "1003:1001,1002");

        assertPassedThroughUntouched(report, 0); // the caller's protocol info, as for a layered lower provider
        assertEquals(List.of(), logLines(), "the fallback is the configured way down, not a failure");
    }

    @ParameterizedTest(name = "chain {0}")
    @CsvSource(delimiter = '|', value = {
            "1003:1001,1002 | WSCGetProviderPath gave no path for catalog entry 1002",
            "1003:1001,4242 | chain entry 1 (catalog id 4242) is not in the catalog",
            "1003:1001      | catalog entry 1003 is not a protocol chain (ChainLen 1)"})
    void withoutLowerProviderAChainTheCatalogCannotResolveFailsAndSaysWhy(String chain, String why) throws Exception {
        HostReport report = host(x64, write(config().set("log", Wine.windowsPath(log()))), "--chain", chain);

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        String line = onlyLogLine();
        assertTrue(line.contains("cannot pass through: " + why), line);
    }

    // ---- the chain, from a catalog that gives provider paths (fake_ws2_32.c) -----------------------

    // Catalog ids: 1001 a base entry (lower_provider.dll); ours: 2000 the hidden entry, 2001 a chain
    // [2000, 1001], 2002 a chain over another LSP's chain entry 4001 [4000, 1001]; 3001 the chain of an
    // LSP installed over ours as Microsoft's installer does: [3000 its hidden entry, 2001, 1001].

    /** shim_host over the fake catalog (ENTRY;ENTRY;..., see fake_ws2_32.c) with lpProtocolInfo's chain. */
    private HostReport hostOverCatalog(WinePrograms programs, Path config, List<String> catalog, String chain, String... more)
            throws Exception {
        return hostOverCatalog(programs, config, catalog, chain, Map.of(), more);
    }

    private HostReport hostOverCatalog(WinePrograms programs, Path config, List<String> catalog, String chain,
                                       Map<String, String> environment, String... more) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(Map.of("FAKE_WS2_CATALOG", String.join(";", catalog),
                "WINEDLLOVERRIDES", Wine.DLL_OVERRIDES + ";ws2_32=n", // the fake's file, not Wine's builtin
                "WSP4J_TEST_LOWER_DIR", Wine.windowsPath(programs.lower().getParent())));
        List<String> arguments = new ArrayList<>(List.of("--ws2", Wine.windowsPath(programs.fakeWs2()), "--chain", chain));
        arguments.addAll(List.of(more));
        return host(programs, config, env, arguments.toArray(String[]::new));
    }

    private static String entry(int id, String chain, String path) {
        return id + ":" + chain + ":" + path;
    }

    private static List<String> ourEntriesOver(WinePrograms programs, String basePath) {
        String shim = Wine.windowsPath(programs.shim());
        return List.of(entry(1001, "1", basePath), entry(2000, "0", shim), entry(2001, "2,2000,1001", shim));
    }

    private Path untargeted() throws Exception {
        return write(config().set("allow", "other.exe").set("log", Wine.windowsPath(log())));
    }

    /** The lower provider got its own catalog entry (as Microsoft's sample passes a base provider), not the caller's. */
    private static void assertBaseGotItsOwnEntry(HostReport report) {
        assertEquals(0, report.integer("call0.status"));
        assertEquals(markers(LOWER_MARKER), report.procTable(0));
        assertEquals(1, report.integer("lower.calls"));
        assertEquals(1001, report.integer("lower.catalog_entry_id"));
        assertEquals(1, report.integer("lower.chain_len"));
        assertNotEquals(report.pointer("host.protocol_info"), report.pointer("lower.protocol_info"));
    }

    @ParameterizedTest(name = "32-bit: {0}")
    @ValueSource(booleans = {false, true})
    void aBaseProviderBelowGetsItsOwnCatalogEntry(boolean bits32) throws Exception {
        if (bits32) need32BitWine();
        WinePrograms programs = bits32 ? x86 : x64;

        HostReport report = hostOverCatalog(programs, untargeted(), ourEntriesOver(programs, Wine.windowsPath(programs.lower())), "2001:2000,1001");

        assertBaseGotItsOwnEntry(report);
        assertEquals(List.of(), logLines(), "the catalog was the way down: nothing to say");
    }

    @ParameterizedTest(name = "32-bit: {0}")
    @ValueSource(booleans = {false, true})
    void belowAnotherLspTheShimFindsItsOwnEntryByItsPath(boolean bits32) throws Exception {
        if (bits32) need32BitWine();
        WinePrograms programs = bits32 ? x86 : x64;
        List<String> catalog = new ArrayList<>(ourEntriesOver(programs, Wine.windowsPath(programs.lower())));
        String other = Wine.windowsPath(dir.resolve("other-lsp.dll"));
        catalog.addAll(List.of(entry(3000, "0", other), entry(3001, "3,3000,2001,1001", other)));

        // The other LSP calls our WSPStartup with its own chain: ours is its second entry, not the first.
        HostReport report = hostOverCatalog(programs, untargeted(), catalog, "3001:3000,2001,1001");

        assertBaseGotItsOwnEntry(report);
    }

    @Test
    void anEntryOfOursWhosePathIsSpelledOtherwiseIsPassedOverNotCalledUntilTheStackOverflows() throws Exception {
        // The loader keeps "Z:\dir\wsp4j_shim.dll" for "Z:\dir\.\wsp4j_shim.dll": the path match misses,
        // ChainEntries[1] is taken for the next provider, and it is this very DLL.
        String spelledOtherwise = Wine.windowsPath(x64.shim().getParent()) + "\\.\\" + x64.shim().getFileName();
        String other = Wine.windowsPath(dir.resolve("other-lsp.dll"));
        List<String> catalog = List.of(entry(1001, "1", Wine.windowsPath(x64.lower())), entry(2000, "0", spelledOtherwise),
                entry(2001, "2,2000,1001", spelledOtherwise), entry(3000, "0", other), entry(3001, "3,3000,2001,1001", other));

        HostReport report = hostOverCatalog(x64, untargeted(), catalog, "3001:3000,2001,1001");

        assertBaseGotItsOwnEntry(report);
    }

    @Test
    void aCatalogThatGrowsBetweenTheSizingAndTheReadingIsReadAgain() throws Exception {
        Path config = untargeted();
        List<String> catalog = ourEntriesOver(x64, Wine.windowsPath(x64.lower()));

        HostReport report = hostOverCatalog(x64, config, catalog, "2001:2000,1001", Map.of("FAKE_WS2_GROWS", "1"));

        assertBaseGotItsOwnEntry(report);
        assertEquals(List.of(), logLines());
    }

    @Test
    void aLayeredProviderBelowGetsTheCallersProtocolInfo() throws Exception {
        String lower = Wine.windowsPath(x64.lower());
        String shim = Wine.windowsPath(x64.shim());
        List<String> catalog = List.of(entry(1001, "1", Wine.windowsPath(dir.resolve("base.dll"))), entry(4000, "0", lower),
                entry(4001, "2,4000,1001", lower), entry(2000, "0", shim), entry(2002, "3,2000,4001,1001", shim));

        HostReport report = hostOverCatalog(x64, untargeted(), catalog, "2002:2000,4001,1001");

        assertPassedThroughUntouched(report, 0); // the caller's protocol info: the LSP below finds its place in our chain
        assertEquals(3, report.integer("lower.chain_len"));
    }

    @Test
    void providerPathsHaveTheirEnvironmentVariablesExpanded() throws Exception {
        String unexpanded = "%WSP4J_TEST_LOWER_DIR%\\" + x64.lower().getFileName();

        HostReport report = hostOverCatalog(x64, untargeted(), ourEntriesOver(x64, unexpanded), "2001:2000,1001");

        assertBaseGotItsOwnEntry(report);
    }

    @ParameterizedTest(name = "32-bit: {0}")
    @ValueSource(booleans = {false, true})
    void startingWinsockOverAndOverHandsTheBaseProviderOneCopyOfItsEntry(boolean bits32) throws Exception {
        if (bits32) need32BitWine();
        WinePrograms programs = bits32 ? x86 : x64;

        HostReport report = hostOverCatalog(programs, untargeted(), ourEntriesOver(programs, Wine.windowsPath(programs.lower())),
                "2001:2000,1001", "--cycle", "100");

        assertEquals(101, report.integer("lower.calls"));
        int copies = report.integer("lower.distinct_infos");
        // One per load of the shim's DLL (the same address when it loads at the same place), not one per call.
        assertTrue(copies <= 2, () -> "101 WSPStartups handed the base provider " + copies + " copies of its entry, each kept for good");
    }

    // ---- the log ---------------------------------------------------------------------------------

    @Test
    void aLogThatCannotBeOpenedGoesToTheDebuggerInUtf16AndSaysWhy() throws Exception {
        String unopenable = Wine.windowsPath(dir.resolve("journal-\u00e9t\u00e9/missing/shim.log"));
        Path config = write(config().set("allow", "*").set("fail_policy", "fail").set("log", unopenable)
                .set("jvm", Wine.windowsPath(dir.resolve("no-such-jdk/bin/server/jvm.dll"))));

        HostReport report = host(x64, config);

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        List<String> debug = report.list("debug");
        assertEquals(1, debug.size(), debug::toString);
        assertTrue(debug.get(0).contains("fail_policy=fail"), debug.get(0));
        assertTrue(debug.get(0).endsWith("(cannot open the log " + unopenable + " (error 3))"), debug.get(0));
    }

    @Test
    void theLogIsAppendedTo() throws Exception {
        Files.writeString(log(), "an earlier line\n");

        host(x64, write(targeting(x64)), Map.of("FAKE_JVM_RESULT", "10106"));

        List<String> lines = logLines();
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("an earlier line", lines.get(0));
        assertTrue(lines.get(1).contains("the Java WSPStartup returned 10106"), lines.get(1));
    }

    // ---- wsp4j_shim32.dll: pass-through only ---------------------------------------------------------

    /** Skips the 32-bit tests without 32-bit Wine or the i686 compiler; under CI they fail. */
    private static void need32BitWine() {
        if (x86 != null) return;
        if (System.getenv("CI") != null) fail(x86Missing);
        Assumptions.abort(x86Missing);
    }

    @Test
    void thirtyTwoBitUntargetedProcessGetsTheLowerProviderUntouched() throws Exception {
        need32BitWine();
        HostReport report = host(x86, write(config().set("allow", "other.exe").set("lower_provider", Wine.windowsPath(x86.lower()))),
                Map.of("LOWER_STATUS", String.valueOf(WsaErrors.WSASYSNOTREADY)));

        assertEquals(0, report.integer("jvm.after"));
        assertPassedThroughUntouched(report, WsaErrors.WSASYSNOTREADY);
    }

    @Test
    void thirtyTwoBitTargetedProcessPassesThroughAndSaysWhy() throws Exception {
        need32BitWine();
        HostReport report = host(x86, write(targeting(x86)));

        assertEquals(0, report.integer("jvm.after"), "the 32-bit build has no JVM code");
        assertPassedThroughUntouched(report, 0);
        assertTrue(onlyLogLine().contains("this build has no JVM support"));
    }

    @Test
    void thirtyTwoBitTargetedProcessUnderFailPolicyFailGets10106() throws Exception {
        need32BitWine();
        HostReport report = host(x86, write(targeting(x86).set("fail_policy", "fail")));

        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"));
        assertEquals(untouched(), report.procTable(0));
        assertEquals("0", report.get("lower.loaded"));
    }

    @Test
    void thirtyTwoBitReadsTheRegistryValueFromThe64BitView() throws Exception {
        need32BitWine();
        registryConfigPath("REG_SZ", Wine.windowsPath(write(targeting(x86).set("fail_policy", "fail"))));
        try {
            HostReport report = host(x86, null);

            assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, report.integer("call0.status"), "the configuration targeting it was read");
            assertTrue(onlyLogLine().contains("fail_policy=fail"));
        } finally {
            removeRegistryKey();
        }
    }

    @Test
    void thirtyTwoBitChainFallsBackToLowerProvider() throws Exception {
        need32BitWine();
        HostReport report = host(x86, write(config().set("lower_provider", Wine.windowsPath(x86.lower()))), "--chain", "1003:1001,1002");

        assertPassedThroughUntouched(report, 0);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The code page Wine runs the programs in (shim_host prints it; 1252 in a default prefix). */
    private Charset ansiCodePage() throws Exception {
        HostReport probe = host(x64, write(config().set("lower_provider", Wine.windowsPath(x64.lower()))));
        return Charset.forName("windows-" + probe.get("acp"));
    }

    private static String hex(String text) {
        return hex(text, StandardCharsets.US_ASCII);
    }

    private static String hex(String text, Charset charset) {
        return HexFormat.of().formatHex(text.getBytes(charset));
    }

    /** The VM options JNI_CreateJavaVM got, byte for byte (hex). */
    private static List<String> optionsOf(HostReport report) {
        List<String> options = new ArrayList<>();
        for (int i = 0, n = report.integer("fake.option.count"); i < n; i++) options.add(report.get("fake.option." + i));
        return options;
    }
}
