package io.wsp4j.winsock;

/**
 * WSAIoctl / WSPIoctl control codes of winsock2.h, ws2ipdef.h and mswsock.h (Windows values), built
 * the way the headers build them (_WSAIO, _WSAIOR, _WSAIOW, _WSAIORW) so the origin of each is visible.
 */
public final class Ioctls {
    public static final int IOC_UNIX = 0x00000000;
    public static final int IOC_WS2 = 0x08000000;
    public static final int IOC_PROTOCOL = 0x10000000;
    public static final int IOC_VENDOR = 0x18000000;
    public static final int IOC_VOID = 0x20000000;
    public static final int IOC_OUT = 0x40000000;
    public static final int IOC_IN = 0x80000000;
    public static final int IOC_INOUT = IOC_IN | IOC_OUT;

    public static final int SIO_ASSOCIATE_HANDLE = wsaIoW(IOC_WS2, 1);
    public static final int SIO_ENABLE_CIRCULAR_QUEUEING = wsaIo(IOC_WS2, 2);
    public static final int SIO_FIND_ROUTE = wsaIoR(IOC_WS2, 3);
    public static final int SIO_FLUSH = wsaIo(IOC_WS2, 4);
    public static final int SIO_GET_BROADCAST_ADDRESS = wsaIoR(IOC_WS2, 5);
    public static final int SIO_GET_EXTENSION_FUNCTION_POINTER = wsaIoRW(IOC_WS2, 6);
    public static final int SIO_GET_QOS = wsaIoRW(IOC_WS2, 7);
    public static final int SIO_GET_GROUP_QOS = wsaIoRW(IOC_WS2, 8);
    public static final int SIO_MULTIPOINT_LOOPBACK = wsaIoW(IOC_WS2, 9);
    public static final int SIO_MULTICAST_SCOPE = wsaIoW(IOC_WS2, 10);
    public static final int SIO_SET_QOS = wsaIoW(IOC_WS2, 11);
    public static final int SIO_SET_GROUP_QOS = wsaIoW(IOC_WS2, 12);
    public static final int SIO_TRANSLATE_HANDLE = wsaIoRW(IOC_WS2, 13);
    public static final int SIO_ROUTING_INTERFACE_QUERY = wsaIoRW(IOC_WS2, 20);
    public static final int SIO_ROUTING_INTERFACE_CHANGE = wsaIoW(IOC_WS2, 21);
    public static final int SIO_ADDRESS_LIST_QUERY = wsaIoR(IOC_WS2, 22);
    public static final int SIO_ADDRESS_LIST_CHANGE = wsaIo(IOC_WS2, 23);
    public static final int SIO_QUERY_TARGET_PNP_HANDLE = wsaIoR(IOC_WS2, 24);
    public static final int SIO_ADDRESS_LIST_SORT = wsaIoRW(IOC_WS2, 25);
    /** Reserved for layered providers: the handle of the provider below (pass through, never alter). */
    public static final int SIO_BSP_HANDLE = wsaIoR(IOC_WS2, 27);
    /** What select() asks for since Vista: a layered provider answers it for select to see its sockets. */
    public static final int SIO_BSP_HANDLE_SELECT = wsaIoR(IOC_WS2, 28);
    public static final int SIO_BSP_HANDLE_POLL = wsaIoR(IOC_WS2, 29);
    /** The base provider's handle: used by the JDK, wepoll, mio, libuv. Never intercept it. */
    public static final int SIO_BASE_HANDLE = wsaIoR(IOC_WS2, 34);

    /** ioctlsocket commands (the BSD-compatible ones; sizeof(u_long) = 4 on Windows). */
    public static final int FIONREAD = IOC_OUT | (4 << 16) | ('f' << 8) | 127;
    public static final int FIONBIO = IOC_IN | (4 << 16) | ('f' << 8) | 126;
    public static final int FIOASYNC = IOC_IN | (4 << 16) | ('f' << 8) | 125;
    public static final int SIOCATMARK = IOC_OUT | (4 << 16) | ('s' << 8) | 7;

    private Ioctls() {}

    static int wsaIo(int x, int y) {
        return IOC_VOID | x | y;
    }

    static int wsaIoR(int x, int y) {
        return IOC_OUT | x | y;
    }

    static int wsaIoW(int x, int y) {
        return IOC_IN | x | y;
    }

    static int wsaIoRW(int x, int y) {
        return IOC_INOUT | x | y;
    }
}
