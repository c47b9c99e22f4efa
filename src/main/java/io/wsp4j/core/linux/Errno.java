package io.wsp4j.core.linux;

import io.wsp4j.winsock.WsaErrors;

/** Linux errno values (x86-64 and aarch64 share them) and their Winsock equivalents. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTOTYPE = 91;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int ESOCKTNOSUPPORT = 94;
    public static final int EOPNOTSUPP = 95;
    public static final int EPFNOSUPPORT = 96;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENETRESET = 102;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ESHUTDOWN = 108;
    public static final int ETOOMANYREFS = 109;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private Errno() {}

    /**
     * The WSAE* code Winsock reports for the condition {@code errno} names. A non-blocking connect
     * in progress is WSAEWOULDBLOCK on Windows (not WSAEINPROGRESS, which means a blocking call is
     * running); a write on a shut-down socket is WSAESHUTDOWN; anything without an equivalent is
     * WSASYSCALLFAILURE.
     */
    public static int toWsa(int errno) {
        return switch (errno) {
            case 0 -> 0;
            case EINTR -> WsaErrors.WSAEINTR;
            case EBADF, ENOTSOCK -> WsaErrors.WSAENOTSOCK;
            case EAGAIN, EINPROGRESS -> WsaErrors.WSAEWOULDBLOCK;
            case ENOMEM, ENOBUFS -> WsaErrors.WSAENOBUFS;
            case EPERM, EACCES -> WsaErrors.WSAEACCES;
            case EFAULT -> WsaErrors.WSAEFAULT;
            case EINVAL -> WsaErrors.WSAEINVAL;
            case ENFILE, EMFILE -> WsaErrors.WSAEMFILE;
            case EPIPE, ESHUTDOWN -> WsaErrors.WSAESHUTDOWN;
            case ENAMETOOLONG -> WsaErrors.WSAENAMETOOLONG;
            case EDESTADDRREQ -> WsaErrors.WSAEDESTADDRREQ;
            case EMSGSIZE -> WsaErrors.WSAEMSGSIZE;
            case EPROTOTYPE -> WsaErrors.WSAEPROTOTYPE;
            case ENOPROTOOPT -> WsaErrors.WSAENOPROTOOPT;
            case EPROTONOSUPPORT -> WsaErrors.WSAEPROTONOSUPPORT;
            case ESOCKTNOSUPPORT -> WsaErrors.WSAESOCKTNOSUPPORT;
            case EOPNOTSUPP -> WsaErrors.WSAEOPNOTSUPP;
            case EPFNOSUPPORT -> WsaErrors.WSAEPFNOSUPPORT;
            case EAFNOSUPPORT -> WsaErrors.WSAEAFNOSUPPORT;
            case EADDRINUSE -> WsaErrors.WSAEADDRINUSE;
            case EADDRNOTAVAIL -> WsaErrors.WSAEADDRNOTAVAIL;
            case ENETDOWN -> WsaErrors.WSAENETDOWN;
            case ENETUNREACH -> WsaErrors.WSAENETUNREACH;
            case ENETRESET -> WsaErrors.WSAENETRESET;
            case ECONNABORTED -> WsaErrors.WSAECONNABORTED;
            case ECONNRESET -> WsaErrors.WSAECONNRESET;
            case EISCONN -> WsaErrors.WSAEISCONN;
            case ENOTCONN -> WsaErrors.WSAENOTCONN;
            case ETOOMANYREFS -> WsaErrors.WSAETOOMANYREFS;
            case ETIMEDOUT -> WsaErrors.WSAETIMEDOUT;
            case ECONNREFUSED -> WsaErrors.WSAECONNREFUSED;
            case EHOSTDOWN -> WsaErrors.WSAEHOSTDOWN;
            case EHOSTUNREACH -> WsaErrors.WSAEHOSTUNREACH;
            case EALREADY -> WsaErrors.WSAEALREADY;
            default -> WsaErrors.WSASYSCALLFAILURE;
        };
    }
}
