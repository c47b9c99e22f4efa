package io.wsp4j.selftest.host;

import io.wsp4j.host.Host;
import io.wsp4j.host.Ws2;
import io.wsp4j.provider.LayeredStartup;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The selftest's untargeted program on the Linux host: a child JVM started under an executable name the
 * allow-list does not name, running the installed catalog on a host. It opens a TCP socket (our chain
 * is first, so the host's ws2 loads the native shim and calls its WSPStartup) and reports what the
 * shim did: whether its library is mapped into this process, whether it started the Java provider
 * here, and the socket's outcome.
 *
 * <p>Usage: {@code HostUntargetedProgram CATALOG_DIR SHIM_PATH}.
 */
public final class HostUntargetedProgram {
    private HostUntargetedProgram() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: HostUntargetedProgram CATALOG_DIR SHIM_PATH");
            System.exit(2);
        }
        try {
            Path shim = Path.of(args[1]).toRealPath();
            int socketError;
            boolean exchanged = false;
            try (InstalledHost installed = InstalledHost.open(Path.of(args[0]))) {
                Host host = installed.host();
                Ws2 ws2 = host.ws2();
                long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
                socketError = s == WsaErrors.INVALID_SOCKET ? ws2.WSAGetLastError() : 0;
                if (s != WsaErrors.INVALID_SOCKET) {
                    ws2.closesocket(s);
                    exchanged = HostExchanges.asyncSelect(host).complete();
                }
                System.out.println("image=" + Path.of("/proc/self/exe").toRealPath().getFileName());
                System.out.println("pointerBits=64");
                System.out.println("shimLoaded=" + mapped(shim));
                // LayeredStartup is where every start of the Java provider goes, whoever calls it (the shim's ShimEntry).
                System.out.println("javaStarted=" + (LayeredStartup.references() > 0 || LayeredStartup.activeProvider() != null));
                System.out.println("socketError=" + socketError);
                System.out.println("exchanged=" + exchanged);
            }
            System.out.println("pid=" + ProcessHandle.current().pid());
            System.exit(0);
        } catch (IOException | RuntimeException | Error e) {
            System.err.println("HostUntargetedProgram: " + e);
            System.exit(1);
        }
    }

    /** Whether {@code library} is mapped into this process (a line of /proc/self/maps names it). */
    private static boolean mapped(Path library) throws IOException {
        String name = library.toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.anyMatch(l -> l.endsWith(" " + name) || l.endsWith("\t" + name));
        }
    }
}
