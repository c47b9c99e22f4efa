package io.wsp4j.winsock;

/**
 * Winsock error codes (winsock2.h / winerror.h values) with their names and Microsoft's short messages.
 * {@link #code()} is what goes into {@code *lpErrno} and into the high word of a select reply.
 */
public enum WsaError {
    WSA_INVALID_HANDLE(6, "The specified event object handle is invalid."),
    WSA_NOT_ENOUGH_MEMORY(8, "Insufficient memory available."),
    WSA_INVALID_PARAMETER(87, "One or more parameters are invalid."),
    WSA_OPERATION_ABORTED(995, "Overlapped operation aborted."),
    WSA_IO_INCOMPLETE(996, "Overlapped I/O event object not in signaled state."),
    WSA_IO_PENDING(997, "Overlapped operations will complete later."),
    WSAEINTR(10004, "Interrupted function call."),
    WSAEBADF(10009, "File handle is not valid."),
    WSAEACCES(10013, "Permission denied."),
    WSAEFAULT(10014, "Bad address."),
    WSAEINVAL(10022, "Invalid argument."),
    WSAEMFILE(10024, "Too many open files."),
    WSAEWOULDBLOCK(10035, "Resource temporarily unavailable."),
    WSAEINPROGRESS(10036, "Operation now in progress."),
    WSAEALREADY(10037, "Operation already in progress."),
    WSAENOTSOCK(10038, "Socket operation on nonsocket."),
    WSAEDESTADDRREQ(10039, "Destination address required."),
    WSAEMSGSIZE(10040, "Message too long."),
    WSAEPROTOTYPE(10041, "Protocol wrong type for socket."),
    WSAENOPROTOOPT(10042, "Bad protocol option."),
    WSAEPROTONOSUPPORT(10043, "Protocol not supported."),
    WSAESOCKTNOSUPPORT(10044, "Socket type not supported."),
    WSAEOPNOTSUPP(10045, "Operation not supported."),
    WSAEPFNOSUPPORT(10046, "Protocol family not supported."),
    WSAEAFNOSUPPORT(10047, "Address family not supported by protocol family."),
    WSAEADDRINUSE(10048, "Address already in use."),
    WSAEADDRNOTAVAIL(10049, "Cannot assign requested address."),
    WSAENETDOWN(10050, "Network is down."),
    WSAENETUNREACH(10051, "Network is unreachable."),
    WSAENETRESET(10052, "Network dropped connection on reset."),
    WSAECONNABORTED(10053, "Software caused connection abort."),
    WSAECONNRESET(10054, "Connection reset by peer."),
    WSAENOBUFS(10055, "No buffer space available."),
    WSAEISCONN(10056, "Socket is already connected."),
    WSAENOTCONN(10057, "Socket is not connected."),
    WSAESHUTDOWN(10058, "Cannot send after socket shutdown."),
    WSAETOOMANYREFS(10059, "Too many references."),
    WSAETIMEDOUT(10060, "Connection timed out."),
    WSAECONNREFUSED(10061, "Connection refused."),
    WSAELOOP(10062, "Cannot translate name."),
    WSAENAMETOOLONG(10063, "Name too long."),
    WSAEHOSTDOWN(10064, "Host is down."),
    WSAEHOSTUNREACH(10065, "No route to host."),
    WSAENOTEMPTY(10066, "Directory not empty."),
    WSAEPROCLIM(10067, "Too many processes."),
    WSAEUSERS(10068, "User quota exceeded."),
    WSAEDQUOT(10069, "Disk quota exceeded."),
    WSAESTALE(10070, "Stale file handle reference."),
    WSAEREMOTE(10071, "Item is remote."),
    WSASYSNOTREADY(10091, "Network subsystem is unavailable."),
    WSAVERNOTSUPPORTED(10092, "Winsock.dll version out of range."),
    WSANOTINITIALISED(10093, "Successful WSAStartup not yet performed."),
    WSAEDISCON(10101, "Graceful shutdown in progress."),
    WSAENOMORE(10102, "No more results."),
    WSAECANCELLED(10103, "Call has been canceled."),
    WSAEINVALIDPROCTABLE(10104, "Procedure call table is invalid."),
    WSAEINVALIDPROVIDER(10105, "Service provider is invalid."),
    WSAEPROVIDERFAILEDINIT(10106, "Service provider failed to initialize."),
    WSASYSCALLFAILURE(10107, "System call failure."),
    WSASERVICE_NOT_FOUND(10108, "Service not found."),
    WSATYPE_NOT_FOUND(10109, "Class type not found."),
    WSA_E_NO_MORE(10110, "No more results."),
    WSA_E_CANCELLED(10111, "Call was canceled."),
    WSAEREFUSED(10112, "Database query was refused."),
    WSAHOST_NOT_FOUND(11001, "Host not found."),
    WSATRY_AGAIN(11002, "Nonauthoritative host not found, or the condition function deferred (CF_DEFER)."),
    WSANO_RECOVERY(11003, "This is a nonrecoverable error."),
    WSANO_DATA(11004, "Valid name, no data record of requested type.");

    /** The value of each code as a plain int constant, for switch labels and hot paths. */
    private final int code;
    private final String message;

    WsaError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    private static final java.util.Map<Integer, WsaError> BY_CODE = new java.util.HashMap<>();
    static {
        for (WsaError e : values()) BY_CODE.putIfAbsent(e.code, e);
    }

    /** The error with this code, or {@code null} if Winsock defines none. */
    public static WsaError of(int code) {
        return BY_CODE.get(code);
    }

    /** "WSAECONNRESET (10054): Connection reset by peer." — or "error 12345" for an unknown code; "0" for none. */
    public static String describe(int code) {
        if (code == 0) return "0";
        WsaError e = of(code);
        return e == null ? "error " + code : e.name() + " (" + code + "): " + e.message;
    }
}
