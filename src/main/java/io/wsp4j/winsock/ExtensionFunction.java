package io.wsp4j.winsock;

import java.util.Optional;
import java.util.UUID;

/**
 * The Microsoft extension functions of mswsock.h, by the {@code WSAID_*} GUIDs an application passes
 * to {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)} to get a pointer to them. A provider answers
 * that ioctl with its own function; the application then calls the pointer directly, not through
 * ws2_32. mswsock.h defines the GUIDs as brace initializers, which jextract cannot turn into
 * constants, so they are written here and checked against the header by a test.
 */
public enum ExtensionFunction {
    ACCEPT_EX("WSAID_ACCEPTEX", "b5367df1-cbac-11cf-95ca-00805f48a192"),
    CONNECT_EX("WSAID_CONNECTEX", "25a207b9-ddf3-4660-8ee9-76e58c74063e"),
    DISCONNECT_EX("WSAID_DISCONNECTEX", "7fda2e11-8630-436f-a031-f536a6eec157"),
    GET_ACCEPT_EX_SOCKADDRS("WSAID_GETACCEPTEXSOCKADDRS", "b5367df2-cbac-11cf-95ca-00805f48a192"),
    TRANSMIT_FILE("WSAID_TRANSMITFILE", "b5367df0-cbac-11cf-95ca-00805f48a192"),
    TRANSMIT_PACKETS("WSAID_TRANSMITPACKETS", "d9689da0-1f90-11d3-9971-00c04f68c876"),
    WSA_RECV_MSG("WSAID_WSARECVMSG", "f689d7c8-6f1f-436b-8a53-e54fe351c322"),
    WSA_SEND_MSG("WSAID_WSASENDMSG", "a441e712-754f-43ca-84a7-0dee44cf606d"),
    WSA_POLL("WSAID_WSAPOLL", "18c76f85-dc66-4964-972e-23c27238312b");

    private final String macro;
    private final UUID guid;

    ExtensionFunction(String macro, String guid) {
        this.macro = macro;
        this.guid = UUID.fromString(guid);
    }

    /** The mswsock.h macro that defines the GUID, e.g. {@code WSAID_ACCEPTEX}. */
    public String macro() {
        return macro;
    }

    public UUID guid() {
        return guid;
    }

    /** The function a GUID names, if it is one of these. */
    public static Optional<ExtensionFunction> of(UUID guid) {
        for (ExtensionFunction f : values()) if (f.guid.equals(guid)) return Optional.of(f);
        return Optional.empty();
    }
}
