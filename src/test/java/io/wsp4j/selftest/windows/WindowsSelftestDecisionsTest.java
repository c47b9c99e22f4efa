package io.wsp4j.selftest.windows;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.selftest.SelftestPlatform.UntargetedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Windows selftest decides from what it is given, checked anywhere: which manifests suit it,
 * and how it reads the PowerShell probe's report (the lines below are what the script prints).
 */
class WindowsSelftestDecisionsTest {
    static final Path MANIFESTS = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("provider-manifest");

    @TempDir Path tmp;

    @Test
    void theSampleWindowsManifestSuits_oneThatTargetsPowerShellOrNotJavaDoesNot() throws Exception {
        assertEquals(List.of(), WindowsSelftestPlatform.unsuitableManifest(ManifestParser.parse(MANIFESTS.resolve("accounting.windows.json"))));

        String sample = Files.readString(MANIFESTS.resolve("accounting.windows.json"));
        ProviderManifest everyone = parse(sample.replace("\"allow\": [\"curl.exe\", \"java.exe\"]", "\"allow\": [\"*\"]"));
        assertTrue(WindowsSelftestPlatform.unsuitableManifest(everyone).getFirst().contains("names powershell.exe"),
                WindowsSelftestPlatform.unsuitableManifest(everyone).toString());
        ProviderManifest curlOnly = parse(sample.replace("\"allow\": [\"curl.exe\", \"java.exe\"]", "\"allow\": [\"CURL.EXE\"]"));
        assertTrue(WindowsSelftestPlatform.unsuitableManifest(curlOnly).getFirst().contains("does not name java.exe"),
                WindowsSelftestPlatform.unsuitableManifest(curlOnly).toString());
    }

    private ProviderManifest parse(String json) throws Exception {
        Path f = Files.writeString(tmp.resolve("m" + System.nanoTime() + ".json"), json);
        return ManifestParser.parse(f);
    }

    static ChildReport printed(String... lines) {
        return ChildReport.of("powershell.exe", 42, 0, List.of(lines), List.of());
    }

    @Test
    void theProbeSeesTheShimAndNoJvm_caseAsWindowsWritesIt() {
        UntargetedRun run = PowerShellProbe.read(printed("image=powershell.exe", "pointerBits=32", "exchanged=True",
                "modules=powershell.exe,ntdll.dll,WS2_32.dll,wsp4j_shim32.dll,mswsock.dll"), "powershell.exe", "wsp4j_shim32.dll");
        assertEquals(32, run.pointerBits());
        assertTrue(run.shimLoaded());
        assertFalse(run.javaStarted());
        assertTrue(run.exchanged());
        assertTrue(run.evidence().contains("wsp4j_shim32.dll present, jvm.dll absent"), run.evidence());
    }

    @Test
    void aJvmInTheProcess_noShim_orAFailedExchangeShow() {
        UntargetedRun jvm = PowerShellProbe.read(printed("image=powershell.exe", "pointerBits=64", "exchanged=True",
                "modules=powershell.exe,JVM.DLL,wsp4j_shim.dll"), "powershell.exe", "wsp4j_shim.dll");
        assertTrue(jvm.javaStarted());
        UntargetedRun bypassed = PowerShellProbe.read(printed("image=powershell.exe", "pointerBits=64",
                "error=Exception calling \"Connect\": refused", "exchanged=False", "modules=powershell.exe,mswsock.dll"),
                "powershell.exe", "wsp4j_shim.dll");
        assertFalse(bypassed.shimLoaded());
        assertFalse(bypassed.exchanged());
        assertTrue(bypassed.evidence().contains("its exchange failed: Exception calling"), bypassed.evidence());
        UntargetedRun silent = PowerShellProbe.read(printed(), "powershell.exe", "wsp4j_shim.dll");
        assertEquals("it listed no modules", silent.evidence());
        assertEquals(0, silent.pointerBits());
    }
}
