package io.wsp4j.winsock;

import io.wsp4j.bindings.WinApi;
import java.util.List;
import java.util.Map;

/**
 * The XP1_* service flags (WSAPROTOCOL_INFOW.dwServiceFlags1) and PFL_* provider flags
 * (dwProviderFlags) of winsock2.h, with their names. Values come from the generated bindings.
 */
public final class ProtocolFlags {
    public static final int XP1_CONNECTIONLESS = WinApi.XP1_CONNECTIONLESS();
    public static final int XP1_GUARANTEED_DELIVERY = WinApi.XP1_GUARANTEED_DELIVERY();
    public static final int XP1_GUARANTEED_ORDER = WinApi.XP1_GUARANTEED_ORDER();
    public static final int XP1_MESSAGE_ORIENTED = WinApi.XP1_MESSAGE_ORIENTED();
    public static final int XP1_PSEUDO_STREAM = WinApi.XP1_PSEUDO_STREAM();
    public static final int XP1_GRACEFUL_CLOSE = WinApi.XP1_GRACEFUL_CLOSE();
    public static final int XP1_EXPEDITED_DATA = WinApi.XP1_EXPEDITED_DATA();
    public static final int XP1_CONNECT_DATA = WinApi.XP1_CONNECT_DATA();
    public static final int XP1_DISCONNECT_DATA = WinApi.XP1_DISCONNECT_DATA();
    public static final int XP1_SUPPORT_BROADCAST = WinApi.XP1_SUPPORT_BROADCAST();
    public static final int XP1_SUPPORT_MULTIPOINT = WinApi.XP1_SUPPORT_MULTIPOINT();
    public static final int XP1_MULTIPOINT_CONTROL_PLANE = WinApi.XP1_MULTIPOINT_CONTROL_PLANE();
    public static final int XP1_MULTIPOINT_DATA_PLANE = WinApi.XP1_MULTIPOINT_DATA_PLANE();
    public static final int XP1_QOS_SUPPORTED = WinApi.XP1_QOS_SUPPORTED();
    public static final int XP1_INTERRUPT = WinApi.XP1_INTERRUPT();
    public static final int XP1_UNI_SEND = WinApi.XP1_UNI_SEND();
    public static final int XP1_UNI_RECV = WinApi.XP1_UNI_RECV();
    /** The provider's socket handles are real IFS handles (ReadFile/WriteFile work on them). A layered provider must clear it. */
    public static final int XP1_IFS_HANDLES = WinApi.XP1_IFS_HANDLES();
    public static final int XP1_PARTIAL_MESSAGE = WinApi.XP1_PARTIAL_MESSAGE();
    public static final int XP1_SAN_SUPPORT_SDP = WinApi.XP1_SAN_SUPPORT_SDP();

    public static final int PFL_MULTIPLE_PROTO_ENTRIES = WinApi.PFL_MULTIPLE_PROTO_ENTRIES();
    public static final int PFL_RECOMMENDED_PROTO_ENTRY = WinApi.PFL_RECOMMENDED_PROTO_ENTRY();
    /** Set on a layered provider's own entry: hidden from WSAEnumProtocols. */
    public static final int PFL_HIDDEN = WinApi.PFL_HIDDEN();
    public static final int PFL_MATCHES_PROTOCOL_ZERO = WinApi.PFL_MATCHES_PROTOCOL_ZERO();
    public static final int PFL_NETWORKDIRECT_PROVIDER = WinApi.PFL_NETWORKDIRECT_PROVIDER();

    private static final List<Map.Entry<String, Integer>> SERVICE_FLAGS = List.of(
            Map.entry("XP1_CONNECTIONLESS", XP1_CONNECTIONLESS),
            Map.entry("XP1_GUARANTEED_DELIVERY", XP1_GUARANTEED_DELIVERY),
            Map.entry("XP1_GUARANTEED_ORDER", XP1_GUARANTEED_ORDER),
            Map.entry("XP1_MESSAGE_ORIENTED", XP1_MESSAGE_ORIENTED),
            Map.entry("XP1_PSEUDO_STREAM", XP1_PSEUDO_STREAM),
            Map.entry("XP1_GRACEFUL_CLOSE", XP1_GRACEFUL_CLOSE),
            Map.entry("XP1_EXPEDITED_DATA", XP1_EXPEDITED_DATA),
            Map.entry("XP1_CONNECT_DATA", XP1_CONNECT_DATA),
            Map.entry("XP1_DISCONNECT_DATA", XP1_DISCONNECT_DATA),
            Map.entry("XP1_SUPPORT_BROADCAST", XP1_SUPPORT_BROADCAST),
            Map.entry("XP1_SUPPORT_MULTIPOINT", XP1_SUPPORT_MULTIPOINT),
            Map.entry("XP1_MULTIPOINT_CONTROL_PLANE", XP1_MULTIPOINT_CONTROL_PLANE),
            Map.entry("XP1_MULTIPOINT_DATA_PLANE", XP1_MULTIPOINT_DATA_PLANE),
            Map.entry("XP1_QOS_SUPPORTED", XP1_QOS_SUPPORTED),
            Map.entry("XP1_INTERRUPT", XP1_INTERRUPT),
            Map.entry("XP1_UNI_SEND", XP1_UNI_SEND),
            Map.entry("XP1_UNI_RECV", XP1_UNI_RECV),
            Map.entry("XP1_IFS_HANDLES", XP1_IFS_HANDLES),
            Map.entry("XP1_PARTIAL_MESSAGE", XP1_PARTIAL_MESSAGE),
            Map.entry("XP1_SAN_SUPPORT_SDP", XP1_SAN_SUPPORT_SDP));

    private static final List<Map.Entry<String, Integer>> PROVIDER_FLAGS = List.of(
            Map.entry("PFL_MULTIPLE_PROTO_ENTRIES", PFL_MULTIPLE_PROTO_ENTRIES),
            Map.entry("PFL_RECOMMENDED_PROTO_ENTRY", PFL_RECOMMENDED_PROTO_ENTRY),
            Map.entry("PFL_HIDDEN", PFL_HIDDEN),
            Map.entry("PFL_MATCHES_PROTOCOL_ZERO", PFL_MATCHES_PROTOCOL_ZERO),
            Map.entry("PFL_NETWORKDIRECT_PROVIDER", PFL_NETWORKDIRECT_PROVIDER));

    private ProtocolFlags() {}

    /** "XP1_GUARANTEED_ORDER|XP1_IFS_HANDLES" for dwServiceFlags1; "0" for none; unknown bits in hex. */
    public static String describeServiceFlags(int flags) {
        return describe(flags, SERVICE_FLAGS);
    }

    /** "PFL_HIDDEN|…" for dwProviderFlags; "0" for none; unknown bits in hex. */
    public static String describeProviderFlags(int flags) {
        return describe(flags, PROVIDER_FLAGS);
    }

    private static String describe(int flags, List<Map.Entry<String, Integer>> names) {
        if (flags == 0) return "0";
        StringBuilder sb = new StringBuilder();
        int known = 0;
        for (var e : names) {
            if ((flags & e.getValue()) != 0) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(e.getKey());
                known |= e.getValue();
            }
        }
        int unknown = flags & ~known;
        if (unknown != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }
}
