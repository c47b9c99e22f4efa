package io.wsp4j.winsock;

/**
 * The FD_* network-event bits of winsock2.h (Windows values), and the WSAMAKESELECTREPLY /
 * WSAGETSELECTEVENT / WSAGETSELECTERROR macros that pack them into a message's lParam.
 */
public final class FdEvents {
    public static final int FD_READ = 1;
    public static final int FD_WRITE = 1 << 1;
    public static final int FD_OOB = 1 << 2;
    public static final int FD_ACCEPT = 1 << 3;
    public static final int FD_CONNECT = 1 << 4;
    public static final int FD_CLOSE = 1 << 5;
    public static final int FD_QOS = 1 << 6;
    public static final int FD_GROUP_QOS = 1 << 7;
    public static final int FD_ROUTING_INTERFACE_CHANGE = 1 << 8;
    public static final int FD_ADDRESS_LIST_CHANGE = 1 << 9;
    /** FD_MAX_EVENTS: the number of distinct events. */
    public static final int FD_MAX_EVENTS = 10;
    public static final int FD_ALL_EVENTS = (1 << FD_MAX_EVENTS) - 1;

    private static final String[] NAMES = {
        "FD_READ", "FD_WRITE", "FD_OOB", "FD_ACCEPT", "FD_CONNECT", "FD_CLOSE",
        "FD_QOS", "FD_GROUP_QOS", "FD_ROUTING_INTERFACE_CHANGE", "FD_ADDRESS_LIST_CHANGE"
    };

    private FdEvents() {}

    /** WSAMAKESELECTREPLY(event, error): MAKELONG(event, error), zero-extended into an LPARAM. */
    public static long makeSelectReply(int event, int error) {
        return ((long) (error & 0xFFFF) << 16) | (event & 0xFFFF);
    }

    /** WSAGETSELECTEVENT(lParam): the low word. */
    public static int selectEvent(long lParam) {
        return (int) (lParam & 0xFFFF);
    }

    /** WSAGETSELECTERROR(lParam): the high word of the low 32 bits. */
    public static int selectError(long lParam) {
        return (int) ((lParam >>> 16) & 0xFFFF);
    }

    /** The FD_* bit number of a single-bit event mask (FD_READ_BIT = 0 …). */
    public static int bitOf(int event) {
        if (Integer.bitCount(event) != 1 || (event & ~FD_ALL_EVENTS) != 0) {
            throw new IllegalArgumentException("not a single FD_* event: 0x" + Integer.toHexString(event));
        }
        return Integer.numberOfTrailingZeros(event);
    }

    /** "FD_READ|FD_CLOSE" for a mask; "0" for none; unknown bits in hex. */
    public static String describe(int mask) {
        if (mask == 0) return "0";
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++) {
            if ((mask & (1 << bit)) != 0) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(NAMES[bit]);
            }
        }
        int unknown = mask & ~FD_ALL_EVENTS;
        if (unknown != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }
}
