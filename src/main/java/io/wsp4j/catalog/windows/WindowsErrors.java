package io.wsp4j.catalog.windows;

import io.wsp4j.winsock.WsaError;

/** " (WSAEACCES: Permission denied.)" for a Winsock code, with a hint for the codes installers meet. */
final class WindowsErrors {
    private WindowsErrors() {}

    static String describe(int code) {
        WsaError e = WsaError.of(code);
        if (e == null) return "";
        String hint = switch (e) {
            case WSAEACCES, WSAEINVALIDPROCTABLE -> "; run as Administrator";
            default -> "";
        };
        return " (" + e.name() + ": " + e.message() + hint + ")";
    }
}
