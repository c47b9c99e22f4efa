package io.wsp4j.selftest.windows;

import io.wsp4j.selftest.ChildProcesses;
import io.wsp4j.selftest.ChildReport;
import io.wsp4j.selftest.SelftestPlatform.UntargetedRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Windows PowerShell (64- or 32-bit) that the allow-list does not name, as the selftest's untargeted
 * and 32-bit programs: it makes a loopback TCP exchange with .NET's TcpListener and TcpClient (Winsock
 * sockets, so they go through the first chain for TCP: ours), then lists the modules loaded into its
 * own process. Our shim among them proves its sockets went through our chain; no {@code jvm.dll}
 * proves the shim passed it by.
 */
final class PowerShellProbe {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Prints key=value lines; never throws out (an error is a line). */
    static final String SCRIPT = """
            $ErrorActionPreference = 'Stop'
            $process = [System.Diagnostics.Process]::GetCurrentProcess()
            'image=' + [System.IO.Path]::GetFileName($process.MainModule.FileName)
            'pointerBits=' + ([IntPtr]::Size * 8)
            $exchanged = $false
            try {
                $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
                $listener.Start()
                $client = [System.Net.Sockets.TcpClient]::new()
                $client.Connect([System.Net.IPAddress]::Loopback, $listener.LocalEndpoint.Port)
                $server = $listener.AcceptTcpClient()
                $request = [System.Text.Encoding]::ASCII.GetBytes('a request from a program the allow-list does not name')
                $client.GetStream().Write($request, 0, $request.Length)
                $buffer = [byte[]]::new(4096)
                $got = 0
                while ($got -lt $request.Length) {
                    $n = $server.GetStream().Read($buffer, $got, $buffer.Length - $got)
                    if ($n -le 0) { break }
                    $got += $n
                }
                $server.GetStream().Write($buffer, 0, $got)
                $back = 0
                while ($back -lt $got) {
                    $n = $client.GetStream().Read($buffer, $back, $buffer.Length - $back)
                    if ($n -le 0) { break }
                    $back += $n
                }
                $exchanged = ($got -eq $request.Length) -and ($back -eq $got)
                $server.Close(); $client.Close(); $listener.Stop()
            } catch {
                'error=' + ($_.Exception.Message -replace '[\\r\\n]+', ' ')
            }
            'exchanged=' + $exchanged
            $process.Refresh()
            'modules=' + (($process.Modules | ForEach-Object { $_.ModuleName }) -join ',')
            """;

    private PowerShellProbe() {}

    /**
     * Runs {@code powershell} ({@code %SystemRoot%\System32\…} for 64-bit, {@code SysWOW64} for 32-bit)
     * and reads what it saw; {@code shimFile} is the shim's file name for that bitness.
     */
    static UntargetedRun run(Path powershell, String shimFile) {
        String encoded = Base64.getEncoder().encodeToString(SCRIPT.getBytes(StandardCharsets.UTF_16LE));
        List<String> cmd = List.of(powershell.toString(), "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                "-EncodedCommand", encoded);
        // Its redirected output is in the console's code page; every line we read is ASCII.
        ChildReport child = ChildProcesses.run(powershell.getFileName() + " (" + powershell.getParent() + ")", cmd, Map.of(), TIMEOUT,
                StandardCharsets.ISO_8859_1);
        return read(child, powershell.getFileName().toString(), shimFile);
    }

    /** What the script printed, read: our shim and jvm.dll among its modules or not, its exchange done or not. */
    static UntargetedRun read(ChildReport child, String program, String shimFile) {
        List<String> modules = child.value("modules").map(m -> Arrays.asList(m.split(","))).orElse(List.of());
        boolean shim = contains(modules, shimFile);
        boolean jvm = contains(modules, "jvm.dll");
        String evidence = modules.isEmpty() ? "it listed no modules" : modules.size() + " modules listed by the process itself: "
                + shimFile + (shim ? " present" : " absent") + ", jvm.dll " + (jvm ? "present" : "absent")
                + child.value("error").map(e -> "; its exchange failed: " + e).orElse("");
        return new UntargetedRun(child, child.value("image").orElse(program),
                child.value("pointerBits").map(Integer::parseInt).orElse(0), shim, jvm, evidence,
                child.value("exchanged").map(v -> v.equalsIgnoreCase("True")).orElse(false));
    }

    private static boolean contains(List<String> modules, String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return modules.stream().anyMatch(m -> m.strip().toLowerCase(Locale.ROOT).equals(f));
    }
}
