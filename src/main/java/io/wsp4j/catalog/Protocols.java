package io.wsp4j.catalog;

/**
 * The winsock2.h / ws2def.h values that describe catalog entries (Windows values), with the names
 * the CLI and the manifest use for them. The catalog model is platform-neutral: it keeps these as
 * plain ints, exactly as WSAPROTOCOL_INFOW does.
 */
public final class Protocols {
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
    public static final int IPPROTO_ICMPV6 = 58;

    /** WSAPROTOCOL_INFOW.ProtocolChain.ChainLen: 0 = the hidden entry of a layered provider. */
    public static final int LAYERED_PROTOCOL = 0;
    /** ChainLen 1 = a base provider; greater = a protocol chain. */
    public static final int BASE_PROTOCOL = 1;
    public static final int MAX_PROTOCOL_CHAIN = 7;
    /** WSAPROTOCOL_LEN: szProtocol holds this many characters plus the terminating NUL. */
    public static final int WSAPROTOCOL_LEN = 255;

    // dwServiceFlags1
    public static final int XP1_CONNECTIONLESS = 0x00000001;
    public static final int XP1_GUARANTEED_DELIVERY = 0x00000002;
    public static final int XP1_GUARANTEED_ORDER = 0x00000004;
    public static final int XP1_MESSAGE_ORIENTED = 0x00000008;
    public static final int XP1_PSEUDO_STREAM = 0x00000010;
    public static final int XP1_GRACEFUL_CLOSE = 0x00000020;
    public static final int XP1_EXPEDITED_DATA = 0x00000040;
    public static final int XP1_CONNECT_DATA = 0x00000080;
    public static final int XP1_DISCONNECT_DATA = 0x00000100;
    public static final int XP1_SUPPORT_BROADCAST = 0x00000200;
    public static final int XP1_SUPPORT_MULTIPOINT = 0x00000400;
    public static final int XP1_QOS_SUPPORTED = 0x00002000;
    public static final int XP1_PARTIAL_MESSAGE = 0x00040000;
    public static final int XP1_IFS_HANDLES = 0x00020000;

    // dwProviderFlags
    public static final int PFL_MULTIPLE_PROTO_ENTRIES = 0x00000001;
    public static final int PFL_RECOMMENDED_PROTO_ENTRY = 0x00000002;
    public static final int PFL_HIDDEN = 0x00000004;
    public static final int PFL_MATCHES_PROTOCOL_ZERO = 0x00000008;
    public static final int PFL_NETWORKDIRECT_PROVIDER = 0x00000010;

    public static final int BIGENDIAN = 0;
    public static final int LITTLEENDIAN = 1;
    public static final int SECURITY_PROTOCOL_NONE = 0;

    private Protocols() {}

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

    public static String socketTypeName(int type) {
        return switch (type) {
            case 0 -> "0";
            case SOCK_STREAM -> "SOCK_STREAM";
            case SOCK_DGRAM -> "SOCK_DGRAM";
            case SOCK_RAW -> "SOCK_RAW";
            case SOCK_RDM -> "SOCK_RDM";
            case SOCK_SEQPACKET -> "SOCK_SEQPACKET";
            default -> Integer.toString(type);
        };
    }

    public static String protocolName(int protocol) {
        return switch (protocol) {
            case IPPROTO_IP -> "0";
            case IPPROTO_ICMP -> "IPPROTO_ICMP";
            case IPPROTO_TCP -> "IPPROTO_TCP";
            case IPPROTO_UDP -> "IPPROTO_UDP";
            case IPPROTO_ICMPV6 -> "IPPROTO_ICMPV6";
            default -> Integer.toString(protocol);
        };
    }
}
