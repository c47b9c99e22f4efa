package io.wsp4j.cli;

import static io.wsp4j.winsock.FdEvents.*;

import io.wsp4j.select.SelectEngine;
import io.wsp4j.winsock.WsaError;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wsp4j demo}: the main job on the embedded default, shown step by step. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Shows wsp4j's WSPAsyncSelect engine at work: a listening socket, a connection, data,"
                    + " a graceful close — and the window messages an application would receive.",
        })
public final class DemoCommand implements Callable<Integer> {
    private static final long HWND = 0x1001;
    private static final int WM_SOCKET = 0x0400 + 1; // WM_USER + 1

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
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
        step(out, "the peer closes gracefully while data is unread: FD_CLOSE waits");
        engine.signal(accepted, FD_CLOSE, 0);
        step(out, "recv() drains the rest: now FD_CLOSE is posted");
        engine.clear(accepted, FD_READ);
        engine.afterRecv(accepted);
        step(out, "closesocket(): nothing more is posted for the socket");
        engine.closed(accepted);
        engine.signal(accepted, FD_READ, 0);
        out.println();
        out.println("This demo drives the platform-neutral engine alone; see README.md for the full stack.");
        out.flush();
        return ExitCodes.OK;
    }

    private static void step(PrintWriter out, String what) {
        out.println("  " + what);
        out.flush();
    }
}
