package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.wsp4j.core.linux.LinuxSockets;
import io.wsp4j.winsock.SocketAddresses;
import io.wsp4j.winsock.Ws2Def;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;

/**
 * sockaddr_in and sockaddr_in6 cross between Windows and Linux unchanged but for the family value
 * (AF_INET6 is 23 on Windows, 10 on Linux): this rewrites it. Reading and writing Windows sockaddrs
 * is {@link SocketAddresses}.
 */
public final class SockAddrs {
    private SockAddrs() {}

    /** Big enough for either (SOCKADDR_STORAGE is larger; these are all the host serves). */
    public static final long MAX_SIZE = SocketAddresses.IPV6_LENGTH;

    private static final long FAMILY = 0; // sa_family is the first member of every sockaddr

    /**
     * Copies the Windows sockaddr at {@code win} ({@code len} bytes, as the caller gave them) into
     * {@code linux} as a Linux sockaddr (only the family changes). Returns its length, or, negated, the
     * Winsock error that bind, connect, sendto and ConnectEx report for it: WSAEFAULT for no address or
     * too few bytes to hold a family, WSAEAFNOSUPPORT for a family the host does not serve or too few
     * bytes for the family's sockaddr.
     */
    public static int windowsToLinux(MemorySegment win, int len, MemorySegment linux) {
        return windowsToLinux(win.address(), len, linux);
    }

    /** {@link #windowsToLinux(MemorySegment, int, MemorySegment)} of the Windows sockaddr at address {@code win}. */
    static int windowsToLinux(long win, int len, MemorySegment linux) {
        if (win == 0 || len < 2) return -WsaErrors.WSAEFAULT;
        int family = RawMemory.ALL.get(JAVA_SHORT, win + FAMILY);
        int size;
        int linuxFamily;
        if (family == Ws2Def.AF_INET && len >= SocketAddresses.IPV4_LENGTH) {
            size = SocketAddresses.IPV4_LENGTH;
            linuxFamily = LinuxSockets.AF_INET;
        } else if (family == Ws2Def.AF_INET6 && len >= SocketAddresses.IPV6_LENGTH) {
            size = SocketAddresses.IPV6_LENGTH;
            linuxFamily = LinuxSockets.AF_INET6;
        } else {
            return -WsaErrors.WSAEAFNOSUPPORT;
        }
        MemorySegment.copy(RawMemory.ALL, win, linux, 0, size);
        linux.set(JAVA_SHORT, FAMILY, (short) linuxFamily);
        return size;
    }

    /** Rewrites, in place, the family of a Linux sockaddr to its Windows value; returns its length. */
    public static int linuxToWindowsInPlace(MemorySegment s, int len) {
        if (len < 2) return len;
        s = s.reinterpret(len);
        int family = s.get(JAVA_SHORT, FAMILY);
        if (family == LinuxSockets.AF_INET6) s.set(JAVA_SHORT, FAMILY, (short) Ws2Def.AF_INET6);
        return len;
    }
}
