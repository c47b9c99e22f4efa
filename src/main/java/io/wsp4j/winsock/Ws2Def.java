package io.wsp4j.winsock;

/**
 * Socket constants with their Windows values (ws2def.h, winsock2.h, ws2ipdef.h): address families,
 * socket types, protocols, option levels and names, message flags, shutdown directions; and the names
 * the CLI and the manifest give address families, socket types and protocols.
 */
public final class Ws2Def {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int AF_BTH = 32;
    public static final int AF_HYPERV = 34;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_RAW = 255;

    public static final int SOL_SOCKET = 0xffff;
    public static final int SO_DEBUG = 0x0001;
    public static final int SO_ACCEPTCONN = 0x0002;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_DONTROUTE = 0x0010;
    public static final int SO_BROADCAST = 0x0020;
    public static final int SO_LINGER = 0x0080;
    public static final int SO_OOBINLINE = 0x0100;
    public static final int SO_DONTLINGER = ~SO_LINGER;
    public static final int SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_SNDLOWAT = 0x1003;
    public static final int SO_RCVLOWAT = 0x1004;
    public static final int SO_SNDTIMEO = 0x1005;
    public static final int SO_RCVTIMEO = 0x1006;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_TYPE = 0x1008;

    public static final int TCP_NODELAY = 0x0001;
    public static final int IPV6_V6ONLY = 27;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_WAITALL = 0x8;

    public static final int SD_RECEIVE = 0;
    public static final int SD_SEND = 1;
    public static final int SD_BOTH = 2;

    public static final int SOMAXCONN = 0x7fffffff;

    private Ws2Def() {}

    /** "AF_INET", or the number of a family without a name here. */
    public static String familyName(int af) {
        return switch (af) {
            case AF_UNSPEC -> "AF_UNSPEC";
            case AF_UNIX -> "AF_UNIX";
            case AF_INET -> "AF_INET";
            case AF_INET6 -> "AF_INET6";
            case AF_BTH -> "AF_BTH";
            case AF_HYPERV -> "AF_HYPERV";
            default -> Integer.toString(af);
        };
    }

    /** "SOCK_STREAM", or the number of a type without a name here (0 among them). */
    public static String socketTypeName(int type) {
        return switch (type) {
            case SOCK_STREAM -> "SOCK_STREAM";
            case SOCK_DGRAM -> "SOCK_DGRAM";
            case SOCK_RAW -> "SOCK_RAW";
            case SOCK_RDM -> "SOCK_RDM";
            case SOCK_SEQPACKET -> "SOCK_SEQPACKET";
            default -> Integer.toString(type);
        };
    }

    /** "IPPROTO_TCP", or the number of a protocol without a name here (IPPROTO_IP, 0, among them). */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case IPPROTO_ICMP -> "IPPROTO_ICMP";
            case IPPROTO_TCP -> "IPPROTO_TCP";
            case IPPROTO_UDP -> "IPPROTO_UDP";
            case IPPROTO_ICMPV6 -> "IPPROTO_ICMPV6";
            default -> Integer.toString(protocol);
        };
    }
}
