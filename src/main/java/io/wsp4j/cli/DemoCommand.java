package io.wsp4j.cli;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.winsock.WsaError;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wsp4j demo}: the whole story on the embedded default — install the sample provider into the
 * catalog, run loopback traffic through it on the Linux SPI host, show the window messages and the
 * accounting, uninstall, and show the catalog is back as it was.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "The main job: install the sample LSP, run traffic through it on the Linux host, uninstall.",
            "",
            "The whole story on the embedded default: installs the sample layered provider (per-process"
                    + " connection and byte accounting) into the file catalog, runs a WSAAsyncSelect loopback"
                    + " exchange through it on the Linux SPI host — app → ws2 → native shim → Java provider →"
                    + " base provider over real sockets — prints the window messages and the accounting,"
                    + " uninstalls, and checks the catalog is byte for byte as before.",
            "",
            "If the provider is already installed in the catalog, the demo uses it as it is and leaves it installed."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  wsp4j demo                          # the embedded default catalog",
            "  wsp4j demo --catalog /tmp/cat       # a catalog of your own (created on first use)",
            "  wsp4j demo --engine                 # the WSPAsyncSelect engine alone, step by step",
            "",
            "Exit codes: 0 done; 1 failure; 2 bad manifest or arguments; 3 the catalog is busy or has an unfinished transaction (a demo killed half-way: run `wsp4j rollback`)."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final long HWND = 0x1001;
    private static final int WM_SOCKET = 0x0400 + 1; // WM_USER + 1

    @Spec CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "The file catalog to use. Default: $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "The provider manifest. Default: provider-manifest/accounting.host.json under the wsp4j root.")
    Path manifest;

    @Option(names = "--engine", description = "Walk through the WSPAsyncSelect engine alone (no sockets, no catalog).")
    boolean engineOnly;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (engineOnly) return engineWalkThrough(out);
        return Failures.guard(spec, () -> story(out));
    }

    private int story(PrintWriter out) throws Exception {
        if (WindowsCatalog.isWindows()) {
            throw new CliException(ExitCodes.BAD_INPUT, "the demo runs on the Linux SPI host; on Windows use install / list / uninstall");
        }
        Path manifestFile = manifest != null ? manifest : defaultManifest();
        ProviderManifest m = ManifestParser.parse(manifestFile);
        FileCatalog catalog = CatalogCommand.openFileCatalog(catalogDir, true, spec.commandLine().getErr());
        Path dir = catalog.stateDir();
        CatalogImage before;
        byte[] catalogBytesBefore;
        try (CatalogLock lock = catalog.readLock(Duration.ofSeconds(30))) {
            // A demo killed half-way through its install left a journal: its half install is no state to demo on.
            CatalogCommand.refuseIfInterrupted(catalog);
            before = catalog.read();
            catalogBytesBefore = Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE));
        }
        boolean alreadyInstalled = !before.findProvider(m.providerGuid()).isEmpty();

        heading(out, 1, "install \"" + m.name() + "\" into " + catalog.describe());
        if (alreadyInstalled) {
            out.println("already installed there (by you, or by a demo stopped before its uninstall): using it as it is and leaving"
                    + " it installed; `wsp4j uninstall --manifest " + manifestFile + " --catalog " + dir + "` removes it");
        } else {
            int rc = subcommand(out, "install", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            if (rc != ExitCodes.OK) return rc;
        }

        boolean uninstalled = false;
        try {
            heading(out, 2, "the catalog now: our protocol chains come first");
            int rc = subcommand(out, "list", "--catalog", dir.toString());
            if (rc != ExitCodes.OK) return rc;

            heading(out, 3, "loopback traffic through the installed catalog on the Linux SPI host");
            out.println("app → ws2 (host) → native shim " + PathExpander.systemDefault().expandOrEmpty(m.shimPath()).orElse(m.shimPath()) + " (attaches to this JVM) → Java provider "
                    + m.providerClass() + " → base provider (Linux sockets)");
            out.flush();
            DemoTraffic.Result result = HostTraffic.run(out, catalog, dir, m.providerClass(),
                    HostCommand.installedConfig(catalog).flatMap(c -> c.get("lower_provider")).map(Path::of));

            heading(out, 4, "the accounting the sample provider kept");
            HostTraffic.printAccounting(out, result);

            heading(out, 5, "uninstall");
            if (alreadyInstalled) {
                out.println("left installed, as it was before the demo");
                return ExitCodes.OK;
            }
            rc = subcommand(out, "uninstall", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            uninstalled = true;
            if (rc != ExitCodes.OK) return rc;
        } finally {
            if (!alreadyInstalled && !uninstalled) {
                out.println("the demo failed: uninstalling what it installed");
                subcommand(out, "uninstall", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            }
        }
        byte[] catalogBytesAfter = Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE));
        if (!Arrays.equals(catalogBytesBefore, catalogBytesAfter)) {
            throw new CliException(ExitCodes.FAILURE, "the catalog differs from before the demo: run `wsp4j verify --catalog " + dir + "`");
        }
        out.println("the catalog is back as it was: " + dir.resolve(FileCatalog.CATALOG_FILE) + " is byte for byte as before the demo");
        out.flush();
        return ExitCodes.OK;
    }

    private int subcommand(PrintWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(out);
        cl.setErr(out);
        int rc = cl.execute(args);
        out.flush();
        return rc;
    }

    private static Path defaultManifest() {
        Path base = PathExpander.systemDefault().expandOrEmpty("${WSP4J_ROOT}").map(Path::of).orElse(Path.of(""));
        return base.resolve("provider-manifest").resolve("accounting.host.json");
    }

    private static void heading(PrintWriter out, int step, String what) {
        out.println();
        out.println("== [" + step + "/5] " + what);
        out.flush();
    }

    private static int engineWalkThrough(PrintWriter out) {
        SelectEngine engine = new SelectEngine((hWnd, wMsg, wParam, lParam) -> {
            int error = selectError(lParam);
            out.printf("    message  hWnd=0x%x wMsg=0x%x socket=%d %s%s%n", hWnd, wMsg, wParam,
                    describe(selectEvent(lParam)), error == 0 ? "" : " error=" + WsaError.describe(error));
            return true;
        });
        long listener = 100, accepted = 104;
        step(out, "socket(AF_INET, SOCK_STREAM) + bind + listen; a client connects before WSAAsyncSelect");
        engine.open(listener, true);
        engine.signal(listener, FD_ACCEPT, 0);
        step(out, "WSAAsyncSelect(listener, FD_ACCEPT|FD_READ|FD_CLOSE): the pending connection is posted at once");
        engine.asyncSelect(listener, HWND, WM_SOCKET, FD_ACCEPT | FD_READ | FD_CLOSE);
        step(out, "accept(): the new socket inherits the listener's registration");
        engine.accepted(listener, accepted);
        engine.clear(listener, FD_ACCEPT);
        engine.afterAccept(listener, 0);
        step(out, "data arrives: one FD_READ; more data before recv: no second message");
        engine.signal(accepted, FD_READ, 0);
        engine.signal(accepted, FD_READ, 0);
        step(out, "recv() reads part of it: data remains, so FD_READ is posted again (level-triggered)");
        engine.afterRecv(accepted);
        step(out, "the peer closes gracefully while data is unread: FD_CLOSE at once, as on Windows");
        engine.signal(accepted, FD_CLOSE, 0);
        step(out, "recv() drains the rest: nothing more (by the SPI page's reading, FD_CLOSE would come only now)");
        engine.clear(accepted, FD_READ);
        engine.afterRecv(accepted);
        step(out, "closesocket(): nothing more is posted for the socket");
        engine.closed(accepted);
        engine.signal(accepted, FD_READ, 0);
        out.flush();
        return ExitCodes.OK;
    }

    private static void step(PrintWriter out, String what) {
        out.println("  " + what);
        out.flush();
    }
}
