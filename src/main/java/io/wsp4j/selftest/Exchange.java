package io.wsp4j.selftest;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * One loopback exchange a child program ran, as the program itself saw it: the address its client
 * connected to, the client's address as the server's accepted socket saw it, and the bytes each side
 * sent and received. The accounting log must show the same two connections with the same numbers.
 *
 * @param kind what drove it: "WSAAsyncSelect" or "IOCP/AcceptEx"
 */
public record Exchange(String kind, InetSocketAddress listener, InetSocketAddress clientSeenByServer,
                       long clientSent, long serverSent, long clientReceived, long serverReceived) {

    /** Both sides got everything the other sent. */
    public boolean complete() {
        return clientSent > 0 && serverSent > 0 && clientReceived == serverSent && serverReceived == clientSent;
    }

    @Override
    public String toString() {
        return kind + ": client → " + address(listener) + " sent " + clientSent + " got " + clientReceived
                + "; server (peer " + address(clientSeenByServer) + ") sent " + serverSent + " got " + serverReceived;
    }

    /** Prints the exchanges as {@code exchange.N.field=value} lines (what {@link #parse} reads). */
    public static void print(PrintStream out, List<Exchange> exchanges) {
        out.println("exchanges=" + exchanges.size());
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange e = exchanges.get(i);
            String p = "exchange." + i + ".";
            out.println(p + "kind=" + e.kind());
            out.println(p + "listener=" + address(e.listener()));
            out.println(p + "clientSeenByServer=" + address(e.clientSeenByServer()));
            out.println(p + "clientSent=" + e.clientSent());
            out.println(p + "serverSent=" + e.serverSent());
            out.println(p + "clientReceived=" + e.clientReceived());
            out.println(p + "serverReceived=" + e.serverReceived());
        }
        out.flush();
    }

    /** The exchanges a child printed with {@link #print}. */
    public static List<Exchange> parse(ChildReport report) {
        int n = report.integer("exchanges");
        List<Exchange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = "exchange." + i + ".";
            out.add(new Exchange(report.get(p + "kind"), parseAddress(report.get(p + "listener")),
                    parseAddress(report.get(p + "clientSeenByServer")), report.longValue(p + "clientSent"),
                    report.longValue(p + "serverSent"), report.longValue(p + "clientReceived"),
                    report.longValue(p + "serverReceived")));
        }
        return out;
    }

    /** "127.0.0.1:80" or "[::1]:80", as the accounting log writes a peer. */
    public static String address(InetSocketAddress a) {
        if (a == null) return "-";
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The inverse of {@link #address}; numeric addresses only (nothing is looked up). */
    public static InetSocketAddress parseAddress(String text) {
        if (text == null || text.equals("-")) return null;
        int colon = text.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("not an address:port: " + text);
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (!host.matches("[0-9A-Fa-f:.%]+")) throw new IllegalArgumentException("not a numeric address: " + text);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address:port: " + text, e);
        }
    }
}
