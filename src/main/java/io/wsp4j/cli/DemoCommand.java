package io.wsp4j.cli;

import static io.wsp4j.winsock.FdEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogJson;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.winsock.Guids;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.windows.WindowsCatalog;
import io.wsp4j.manifest.ProviderManifest;
import io.wsp4j.manifest.ManifestParser;
import io.wsp4j.select.SelectEngine;
import io.wsp4j.winsock.WsaError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wsp4j demo}: the whole story on the embedded default — install the sample provider into the
 * catalog, run loopback traffic through it on the Linux SPI host, show the window messages and the
 * accounting, uninstall, and show the catalog is back as it was.
 */
@Command(
        name = "demo",
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
        footer = {
            "  wsp4j demo                          # the embedded default catalog",
            "  wsp4j demo --catalog /tmp/cat       # a catalog of your own (created on first use)",
            "  wsp4j demo --engine                 # the WSPAsyncSelect engine alone, step by step",
            "",
            "Exit codes: 0 done; 1 failure; 2 bad manifest or arguments; 3 the catalog is busy or has an unfinished transaction (a demo killed half-way: run `wsp4j rollback`)."
        })
public final class DemoCommand extends Subcommand {
    private static final long HWND = 0x1001;
    private static final int WM_SOCKET = 0x0400 + 1; // WM_USER + 1

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "The file catalog to use. Default: $WSP4J_HOME, else $XDG_STATE_HOME/wsp4j, else ~/.local/state/wsp4j.")
    Path catalogDir;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "The provider manifest. Default: provider-manifest/accounting.host.json under the wsp4j root.")
    Path manifest;

    @Option(names = "--engine", description = "Walk through the WSPAsyncSelect engine alone (no sockets, no catalog).")
    boolean engineOnly;

    @Option(names = "--json", description = "Print the story as JSON on stdout: each step (with the JSON of the install, list and"
            + " uninstall it runs), the window messages decoded and the accounting; a failure too, with the steps done so far."
            + " Progress goes to stderr.")
    boolean json;

    @Option(names = {"-x", "--stacktrace"}, description = "On failure, print the stack trace, not just one line.")
    boolean stacktrace;

    /** The story, or the engine's walk-through; under --json a failure carries the steps done so far. */
    @Override
    public Integer call() {
        PrintWriter out = out();
        if (engineOnly) {
            if (!json) return engineWalkThrough(out, null);
            ArrayNode steps = CatalogJson.MAPPER.createArrayNode();
            engineWalkThrough(new PrintWriter(Writer.nullWriter()), steps);
            JsonOutput.print(out, CatalogJson.MAPPER.createObjectNode().set("steps", steps));
            return ExitCodes.OK;
        }
        if (!json) return super.call();
        Story s = new Story(err(), CatalogJson.MAPPER.createObjectNode());
        int rc;
        try {
            rc = Failures.guard(spec, () -> story(s));
        } catch (RuntimeException e) {
            throw CliException.of(e).withReport(s.report);
        }
        if (rc != ExitCodes.OK) {
            throw new CliException(rc, s.failure != null ? s.failure : "the demo failed (exit " + rc + ")").withReport(s.report);
        }
        JsonOutput.print(out, s.report.put("result", "done"));
        return rc;
    }

    /**
     * Where the story goes: as text on {@code text} (stdout; under --json stderr, for people), and under
     * --json into {@code report} (null in text mode), with the failure of the step that failed.
     */
    private static final class Story {
        final PrintWriter text;
        final ObjectNode report;
        String failure;

        Story(PrintWriter text, ObjectNode report) {
            this.text = text;
            this.report = report;
        }

        boolean json() {
            return report != null;
        }

        ArrayNode steps() {
            return report.has("steps") ? (ArrayNode) report.get("steps") : report.putArray("steps");
        }

        /** A numbered step: its heading in the text, its entry in the JSON (null in text mode). */
        ObjectNode step(int index, String name, String what) {
            text.println();
            text.println("== [" + index + "/5] " + what);
            text.flush();
            return json() ? steps().addObject().put("index", index).put("step", name).put("what", what) : null;
        }
    }

    @Override
    int execute() throws Exception {
        return story(new Story(out(), null));
    }

    private int story(Story s) throws Exception {
        if (WindowsCatalog.isWindows()) {
            throw new CliException(ExitCodes.BAD_INPUT, "the demo runs on the Linux SPI host; on Windows use install / list / uninstall");
        }
        PrintWriter out = s.text;
        Path manifestFile = manifest != null ? manifest : Main.shipped("provider-manifest", "accounting.host.json");
        ProviderManifest m = ManifestParser.parse(manifestFile);
        FileCatalog catalog = CatalogCommand.openFileCatalog(catalogDir, true, err());
        Path dir = catalog.stateDir();
        // A demo killed half-way through its install left a journal: its half install is no state to demo on (refused).
        Before before = CatalogCommand.underReadLock(catalog, Duration.ofSeconds(CatalogCommand.DEFAULT_WAIT_SECONDS),
                c -> new Before(c.read(), bytes(dir.resolve(FileCatalog.CATALOG_FILE))));
        byte[] catalogBytesBefore = before.catalogBytes();
        boolean alreadyInstalled = !before.image().findProvider(m.providerGuid()).isEmpty();
        if (s.json()) {
            s.report.put("catalog", dir.toString()).put("manifest", manifestFile.toString());
            s.report.putObject("provider").put("name", m.name()).put("providerGuid", Guids.format(m.providerGuid()))
                    .put("providerClass", m.providerClass());
            s.report.put("alreadyInstalled", alreadyInstalled);
        }

        ObjectNode step = s.step(1, "install", "install \"" + m.name() + "\" into " + catalog.describe());
        if (alreadyInstalled) {
            String note = "already installed there (by you, or by a demo stopped before its uninstall): using it as it is and leaving"
                    + " it installed; `wsp4j uninstall --manifest " + manifestFile + " --catalog " + dir + "` removes it";
            out.println(note);
            if (step != null) step.put("skipped", note);
        } else {
            int rc = subcommand(s, step, "install", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            if (rc != ExitCodes.OK) return rc;
        }

        boolean uninstalled = false;
        try {
            step = s.step(2, "list", "the catalog now: our protocol chains come first");
            int rc = subcommand(s, step, "list", "--catalog", dir.toString());
            if (rc != ExitCodes.OK) return rc;

            step = s.step(3, "traffic", "loopback traffic through the installed catalog on the Linux SPI host");
            String shim = PathExpander.systemDefault().expandOrEmpty(m.shimPath()).orElse(m.shimPath());
            out.println("app → ws2 (host) → native shim " + shim + " (attaches to this JVM) → Java provider "
                    + m.providerClass() + " → base provider (Linux sockets)");
            out.flush();
            HostTraffic.Run traffic = HostTraffic.run(s.json() ? null : out, catalog, dir, m.providerClass(),
                    HostCommand.installedConfig(catalog).flatMap(c -> c.get("lower_provider")).map(Path::of), OptionalInt.empty());
            ObjectNode trafficJson = s.json() ? HostTraffic.toJson(traffic) : null;
            if (step != null) {
                step.put("shim", shim).put("providerClass", m.providerClass());
                step.set("leftOut", trafficJson.get("leftOut"));
                step.set("messages", trafficJson.get("messages"));
                step.set("appSent", trafficJson.get("appSent"));
            }

            step = s.step(4, "accounting", "the accounting the sample provider kept");
            if (step != null) step.set("accounting", trafficJson.get("accounting"));
            else HostTraffic.printAccounting(out, traffic.result());

            step = s.step(5, "uninstall", "uninstall");
            if (alreadyInstalled) {
                out.println("left installed, as it was before the demo");
                if (step != null) step.put("skipped", "left installed, as it was before the demo");
                return ExitCodes.OK;
            }
            rc = subcommand(s, step, "uninstall", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            uninstalled = true;
            if (rc != ExitCodes.OK) return rc;
        } finally {
            if (!alreadyInstalled && !uninstalled) {
                out.println("the demo failed: uninstalling what it installed");
                ObjectNode undo = s.json() ? s.steps().addObject().put("step", "uninstall").put("what",
                        "the demo failed: uninstalling what it installed") : null;
                subcommand(s, undo, "uninstall", "--manifest", manifestFile.toString(), "--catalog", dir.toString());
            }
        }
        byte[] catalogBytesAfter = Files.readAllBytes(dir.resolve(FileCatalog.CATALOG_FILE));
        boolean asBefore = Arrays.equals(catalogBytesBefore, catalogBytesAfter);
        if (s.json()) s.report.put("catalogAsBefore", asBefore);
        if (!asBefore) {
            throw new CliException(ExitCodes.FAILURE, "the catalog differs from before the demo: run `wsp4j verify --catalog " + dir + "`");
        }
        out.println("the catalog is back as it was: " + dir.resolve(FileCatalog.CATALOG_FILE) + " is byte for byte as before the demo");
        out.flush();
        return ExitCodes.OK;
    }

    /** The catalog as the demo found it: read, and catalog.json's bytes, to compare with at the end. */
    private record Before(CatalogImage image, byte[] catalogBytes) {}

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command of this CLI as a step of the story. As text its output joins the story's; under
     * --json its JSON becomes the step's {@code output} (with its exit code), its progress goes to
     * stderr, and the failure of a numbered step is the demo's.
     */
    private int subcommand(Story s, ObjectNode step, String... args) {
        if (!s.json()) return Main.run(s.text, s.text, args);
        StringWriter json = new StringWriter();
        String[] withJson = Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        int rc = Main.run(new PrintWriter(json), s.text, withJson);
        JsonNode output;
        try {
            output = CatalogJson.MAPPER.readTree(json.toString());
        } catch (IOException e) {
            output = CatalogJson.MAPPER.getNodeFactory().textNode(json.toString());
        }
        if (step != null) step.put("exitCode", rc).set("output", output);
        if (rc != ExitCodes.OK && step != null && step.has("index") && s.failure == null) {
            s.failure = "`wsp4j " + args[0] + "` failed (exit " + rc + "): " + output.path("error").asText(json.toString().strip());
        }
        return rc;
    }

    /** The engine walk-through on {@code text}; under --json also each step with its messages into {@code steps} (else null). */
    private static int engineWalkThrough(PrintWriter text, ArrayNode steps) {
        Walk out = new Walk(text, steps);
        SelectEngine engine = new SelectEngine((hWnd, wMsg, wParam, lParam) -> {
            out.message(hWnd, wMsg, wParam, lParam);
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

    private static void step(Walk out, String what) {
        out.step(what);
    }

    /** Where the walk-through goes: text, and under --json its steps with the messages each posted. */
    private record Walk(PrintWriter text, ArrayNode steps) {
        void step(String what) {
            text.println("  " + what);
            text.flush();
            if (steps != null) steps.addObject().put("what", what).putArray("messages");
        }

        void message(long hWnd, int wMsg, long wParam, long lParam) {
            int error = selectError(lParam);
            text.printf("    message  hWnd=0x%x wMsg=0x%x socket=%d %s%s%n", hWnd, wMsg, wParam,
                    describe(selectEvent(lParam)), error == 0 ? "" : " error=" + WsaError.describe(error));
            if (steps == null) return;
            ObjectNode m = ((ArrayNode) steps.get(steps.size() - 1).get("messages")).addObject()
                    .put("hWnd", String.format("0x%x", hWnd)).put("wMsg", String.format("0x%x", wMsg)).put("socket", wParam)
                    .put("event", describe(selectEvent(lParam))).put("error", error);
            WsaError e = WsaError.of(error);
            if (error != 0) m.put("errorName", e == null ? "error " + error : e.name());
        }

        void flush() {
            text.flush();
        }
    }
}
