package io.wsp4j.host;

import io.wsp4j.core.linux.LinuxSockets;
import io.wsp4j.winsock.Ws2Def;

/** Winsock (level, option) pairs the host's base provider serves, and their Linux equivalents. */
final class SocketOptions {
    private SocketOptions() {}

    /** {linuxLevel, linuxOption} for an int-valued Winsock option, or null if the host does not serve it. */
    static int[] toLinux(int level, int optname) {
        if (level == Ws2Def.SOL_SOCKET) {
            int o = switch (optname) {
                case Ws2Def.SO_REUSEADDR -> LinuxSockets.SO_REUSEADDR;
                case Ws2Def.SO_KEEPALIVE -> LinuxSockets.SO_KEEPALIVE;
                case Ws2Def.SO_DONTROUTE -> LinuxSockets.SO_DONTROUTE;
                case Ws2Def.SO_BROADCAST -> LinuxSockets.SO_BROADCAST;
                case Ws2Def.SO_OOBINLINE -> LinuxSockets.SO_OOBINLINE;
                case Ws2Def.SO_SNDBUF -> LinuxSockets.SO_SNDBUF;
                case Ws2Def.SO_RCVBUF -> LinuxSockets.SO_RCVBUF;
                case Ws2Def.SO_ERROR -> LinuxSockets.SO_ERROR;
                case Ws2Def.SO_TYPE -> LinuxSockets.SO_TYPE;
                case Ws2Def.SO_ACCEPTCONN -> LinuxSockets.SO_ACCEPTCONN;
                default -> -1;
            };
            return o < 0 ? null : new int[] {LinuxSockets.SOL_SOCKET, o};
        }
        if (level == Ws2Def.IPPROTO_TCP && optname == Ws2Def.TCP_NODELAY) {
            return new int[] {LinuxSockets.IPPROTO_TCP, LinuxSockets.TCP_NODELAY};
        }
        if (level == Ws2Def.IPPROTO_IPV6 && optname == Ws2Def.IPV6_V6ONLY) {
            return new int[] {LinuxSockets.IPPROTO_IPV6, LinuxSockets.IPV6_V6ONLY};
        }
        return null;
    }
}
