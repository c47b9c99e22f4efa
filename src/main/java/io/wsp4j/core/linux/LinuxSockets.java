package io.wsp4j.core.linux;

/** Linux socket constants (the values of the Linux headers, which differ from Windows' in places). */
public final class LinuxSockets {
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_ACCEPTCONN = 30;
    /** getsockopt: the socket's memory counters (u32 SK_MEMINFO_* slots). */
    public static final int SO_MEMINFO = 55;
    /** SO_MEMINFO's slot of the memory the receive queue holds. */
    public static final int SK_MEMINFO_RMEM_ALLOC = 0;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    /** getsockopt(IPPROTO_TCP): struct tcp_info, whose first byte is the connection's state (TCP_*). */
    public static final int TCP_INFO = 11;
    /** struct tcp_info's tcpi_unacked (u32): for a listener, the connections waiting to be accepted. */
    public static final int TCP_INFO_UNACKED_OFFSET = 24;
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_CLOSING = 11;
    public static final int IPV6_V6ONLY = 26;
    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final long FIONREAD = 0x541B;
    public static final long FIONBIO = 0x5421;
    public static final long SIOCATMARK = 0x8905;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 0x800;
    /** dup3's close-on-exec flag (the value of SOCK_CLOEXEC). */
    public static final int O_CLOEXEC = 0x80000;

    private LinuxSockets() {}
}
