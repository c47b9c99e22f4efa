package io.wsp4j.catalog;

import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolFlags;
import io.wsp4j.winsock.ProtocolInfo;
import io.wsp4j.winsock.Ws2Def;

/**
 * The winsock2.h / ws2def.h values that describe catalog entries, with the names the CLI and the
 * manifest use for them: the winsock views' values where they have them (Ws2Def, ProtocolFlags,
 * ProtocolChain), and the few they do not (AF_UNIX, AF_BTH, AF_HYPERV, ...). The catalog model is platform-neutral: it keeps these as
 * plain ints, exactly as WSAPROTOCOL_INFOW does.
 */
public final class Protocols {
    public static final int AF_UNSPEC = Ws2Def.AF_UNSPEC;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = Ws2Def.AF_INET;
    public static final int AF_INET6 = Ws2Def.AF_INET6;
    public static final int AF_BTH = 32;
    public static final int AF_HYPERV = 34;

    public static final int SOCK_STREAM = Ws2Def.SOCK_STREAM;
    public static final int SOCK_DGRAM = Ws2Def.SOCK_DGRAM;
    public static final int SOCK_RAW = Ws2Def.SOCK_RAW;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;

    public static final int IPPROTO_IP = Ws2Def.IPPROTO_IP;
    public static final int IPPROTO_ICMP = Ws2Def.IPPROTO_ICMP;
    public static final int IPPROTO_TCP = Ws2Def.IPPROTO_TCP;
    public static final int IPPROTO_UDP = Ws2Def.IPPROTO_UDP;
    public static final int IPPROTO_ICMPV6 = Ws2Def.IPPROTO_ICMPV6;

    /** WSAPROTOCOL_INFOW.ProtocolChain.ChainLen: 0 = the hidden entry of a layered provider. */
    public static final int LAYERED_PROTOCOL = ProtocolChain.LAYERED_PROTOCOL;
    /** ChainLen 1 = a base provider; greater = a protocol chain. */
    public static final int BASE_PROTOCOL = ProtocolChain.BASE_PROTOCOL;
    public static final int MAX_PROTOCOL_CHAIN = ProtocolChain.MAX_LENGTH;
    /** WSAPROTOCOL_LEN: szProtocol holds this many characters plus the terminating NUL. */
    public static final int WSAPROTOCOL_LEN = ProtocolInfo.MAX_NAME_LENGTH;

    // dwServiceFlags1
    public static final int XP1_CONNECTIONLESS = ProtocolFlags.XP1_CONNECTIONLESS;
    public static final int XP1_GUARANTEED_DELIVERY = ProtocolFlags.XP1_GUARANTEED_DELIVERY;
    public static final int XP1_GUARANTEED_ORDER = ProtocolFlags.XP1_GUARANTEED_ORDER;
    public static final int XP1_MESSAGE_ORIENTED = ProtocolFlags.XP1_MESSAGE_ORIENTED;
    public static final int XP1_PSEUDO_STREAM = ProtocolFlags.XP1_PSEUDO_STREAM;
    public static final int XP1_GRACEFUL_CLOSE = ProtocolFlags.XP1_GRACEFUL_CLOSE;
    public static final int XP1_EXPEDITED_DATA = ProtocolFlags.XP1_EXPEDITED_DATA;
    public static final int XP1_CONNECT_DATA = ProtocolFlags.XP1_CONNECT_DATA;
    public static final int XP1_DISCONNECT_DATA = ProtocolFlags.XP1_DISCONNECT_DATA;
    public static final int XP1_SUPPORT_BROADCAST = ProtocolFlags.XP1_SUPPORT_BROADCAST;
    public static final int XP1_SUPPORT_MULTIPOINT = ProtocolFlags.XP1_SUPPORT_MULTIPOINT;
    public static final int XP1_QOS_SUPPORTED = ProtocolFlags.XP1_QOS_SUPPORTED;
    public static final int XP1_PARTIAL_MESSAGE = ProtocolFlags.XP1_PARTIAL_MESSAGE;
    public static final int XP1_IFS_HANDLES = ProtocolFlags.XP1_IFS_HANDLES;

    // dwProviderFlags
    public static final int PFL_MULTIPLE_PROTO_ENTRIES = ProtocolFlags.PFL_MULTIPLE_PROTO_ENTRIES;
    public static final int PFL_RECOMMENDED_PROTO_ENTRY = ProtocolFlags.PFL_RECOMMENDED_PROTO_ENTRY;
    public static final int PFL_HIDDEN = ProtocolFlags.PFL_HIDDEN;
    public static final int PFL_MATCHES_PROTOCOL_ZERO = ProtocolFlags.PFL_MATCHES_PROTOCOL_ZERO;
    public static final int PFL_NETWORKDIRECT_PROVIDER = ProtocolFlags.PFL_NETWORKDIRECT_PROVIDER;

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
