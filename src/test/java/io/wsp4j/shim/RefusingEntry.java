package io.wsp4j.shim;

import io.wsp4j.winsock.WsaErrors;

/** An entry class whose WSPStartup returns an error code: a result, which the shim returns as it is. */
public final class RefusingEntry {
    private RefusingEntry() {}

    public static int wspStartup(short version, long lpWSPData, long lpProtocolInfo, long lpUpcallTable, long lpProcTable) {
        return WsaErrors.WSAVERNOTSUPPORTED;
    }
}
