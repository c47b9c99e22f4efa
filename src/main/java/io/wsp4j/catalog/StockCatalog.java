package io.wsp4j.catalog;

import static io.wsp4j.winsock.ProtocolFlags.*;
import static io.wsp4j.winsock.ProtocolInfo.BIGENDIAN;
import static io.wsp4j.winsock.ProtocolInfo.SECURITY_PROTOCOL_NONE;
import static io.wsp4j.winsock.Ws2Def.*;

import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The protocol catalog of a fresh Windows 10/11 x64 install, which seeds the file catalog. The
 * MSAFD Tcpip entries (TCP, UDP, RAW over IPv4 and IPv6) carry the GUIDs, flags, address sizes and
 * message sizes Windows reports for them ({@code netsh winsock show catalog}); the RSVP, AF_UNIX and
 * Hyper-V entries are there so that layer selection and {@code list} meet the non-target entries a
 * real catalog has. Ids 1001.. in each catalog: a fresh install's numbering varies between builds.
 */
public final class StockCatalog {
    public static final UUID MSAFD_TCPIP = Guids.parse("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}");
    public static final UUID MSAFD_TCPIP6 = Guids.parse("{F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4}");
    public static final UUID RSVP = Guids.parse("{9D60A9E0-337A-11D0-BD88-0000C082E69A}");
    public static final UUID AF_UNIX_PROVIDER = Guids.parse("{A00943D9-9C2E-4633-9B59-0057A3160994}");
    public static final UUID HYPERV_RAW = Guids.parse("{1234191B-4BF7-4CA7-86E0-DFD7C32B5445}");

    public static final String MSWSOCK = "%SystemRoot%\\system32\\mswsock.dll";
    public static final String RSVPSP = "%SystemRoot%\\system32\\rsvpsp.dll";

    /** The first id of each catalog; the next id is one past the last stock entry. */
    public static final int FIRST_ID = 1001;

    private static final int STREAM_FLAGS = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE
            | XP1_EXPEDITED_DATA | XP1_IFS_HANDLES;                                           // 0x00020066
    private static final int DGRAM_FLAGS = XP1_CONNECTIONLESS | XP1_MESSAGE_ORIENTED | XP1_SUPPORT_BROADCAST
            | XP1_SUPPORT_MULTIPOINT | XP1_IFS_HANDLES;                                       // 0x00020609
    private static final int UDP4_MESSAGE = 65467;
    private static final int UDP6_MESSAGE = 65527;
    private static final int RAW_MAX_OFFSET = 255;

    private StockCatalog() {}

    public static CatalogImage image() {
        Map<Bitness, List<ProtocolEntry>> cats = new EnumMap<>(Bitness.class);
        for (Bitness b : Bitness.values()) cats.put(b, entries());
        return new CatalogImage(cats);
    }

    static List<ProtocolEntry> entries() {
        List<ProtocolEntry> l = new ArrayList<>();
        l.add(entry(MSAFD_TCPIP, "MSAFD Tcpip [TCP/IP]", MSWSOCK, STREAM_FLAGS, AF_INET, 16, SOCK_STREAM, IPPROTO_TCP, 0, 0));
        l.add(entry(MSAFD_TCPIP, "MSAFD Tcpip [UDP/IP]", MSWSOCK, DGRAM_FLAGS, AF_INET, 16, SOCK_DGRAM, IPPROTO_UDP, 0, UDP4_MESSAGE));
        l.add(entry(MSAFD_TCPIP6, "MSAFD Tcpip [TCP/IPv6]", MSWSOCK, STREAM_FLAGS, AF_INET6, 28, SOCK_STREAM, IPPROTO_TCP, 0, 0));
        l.add(entry(MSAFD_TCPIP6, "MSAFD Tcpip [UDP/IPv6]", MSWSOCK, DGRAM_FLAGS, AF_INET6, 28, SOCK_DGRAM, IPPROTO_UDP, 0, UDP6_MESSAGE));
        l.add(entry(RSVP, "RSVP TCPv6 Service Provider", RSVPSP, STREAM_FLAGS | XP1_QOS_SUPPORTED, AF_INET6, 28, SOCK_STREAM, IPPROTO_TCP, 0, 0));
        l.add(entry(RSVP, "RSVP TCP Service Provider", RSVPSP, STREAM_FLAGS | XP1_QOS_SUPPORTED, AF_INET, 16, SOCK_STREAM, IPPROTO_TCP, 0, 0));
        l.add(entry(RSVP, "RSVP UDPv6 Service Provider", RSVPSP, DGRAM_FLAGS | XP1_QOS_SUPPORTED, AF_INET6, 28, SOCK_DGRAM, IPPROTO_UDP, 0, UDP6_MESSAGE));
        l.add(entry(RSVP, "RSVP UDP Service Provider", RSVPSP, DGRAM_FLAGS | XP1_QOS_SUPPORTED, AF_INET, 16, SOCK_DGRAM, IPPROTO_UDP, 0, UDP4_MESSAGE));
        l.add(entry(MSAFD_TCPIP, "MSAFD Tcpip [RAW/IP]", MSWSOCK, DGRAM_FLAGS, AF_INET, 16, SOCK_RAW, IPPROTO_IP, RAW_MAX_OFFSET, UDP4_MESSAGE));
        l.add(entry(MSAFD_TCPIP6, "MSAFD Tcpip [RAW/IPv6]", MSWSOCK, DGRAM_FLAGS, AF_INET6, 28, SOCK_RAW, IPPROTO_IP, RAW_MAX_OFFSET, UDP6_MESSAGE));
        l.add(entry(AF_UNIX_PROVIDER, "AF_UNIX", MSWSOCK, STREAM_FLAGS & ~XP1_EXPEDITED_DATA, AF_UNIX, 110, SOCK_STREAM, 0, 0, 0));
        l.add(entry(HYPERV_RAW, "Hyper-V RAW", MSWSOCK, STREAM_FLAGS & ~XP1_EXPEDITED_DATA, AF_HYPERV, 36, SOCK_STREAM, 1, 0, 0));
        List<ProtocolEntry> numbered = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) numbered.add(l.get(i).withCatalogId(FIRST_ID + i));
        return numbered;
    }

    private static ProtocolEntry entry(UUID guid, String name, String path, int serviceFlags, int af, int sockAddr,
                                       int type, int protocol, int maxOffset, int messageSize) {
        return new ProtocolEntry(new ProtocolInfo(serviceFlags, 0, 0, 0, PFL_MATCHES_PROTOCOL_ZERO, guid, 0,
                ProtocolChain.base(0), 2, af, sockAddr, af == AF_UNIX ? 2 : sockAddr, type, protocol, maxOffset,
                BIGENDIAN, SECURITY_PROTOCOL_NONE, messageSize, 0, name), path);
    }
}
