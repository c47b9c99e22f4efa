package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.core.CompletionPort;
import io.wsp4j.provider.LastErrorCapture;
import io.wsp4j.provider.ProviderPlatform;
import io.wsp4j.select.SelectRules;
import io.wsp4j.winsock.Guids;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's view of the Linux host. {@link #ws2()} exports the host's own {@code WSCEnumProtocols},
 * {@code WSCGetProviderPath}, {@code WPUCompleteOverlappedRequest}, {@code WSASetLastError} and
 * {@code WSAGetLastError} as C functions (upcall stubs with
 * the Windows signatures), so the provider's Windows code path runs unchanged against the host's
 * catalog and handle table. Providers load from real
 * shared libraries, or, for in-process providers, from pseudo-paths under {@code %WSP4J_HOST%}
 * registered with {@link #registerProvider}.
 */
public final class HostPlatform implements ProviderPlatform {
    private static final Logger LOG = Logger.getLogger(HostPlatform.class.getName());
    /** The variable that names the host's pseudo-directory of in-process providers. */
    public static final String HOST_VARIABLE = "WSP4J_HOST";
    /** What {@code %WSP4J_HOST%} expands to: not a real directory, only a namespace for registered providers. */
    public static final String HOST_DIRECTORY = "wsp4j-host:";

    private static final Pattern VARIABLE = Pattern.compile("%([^%]+)%");

    private final Catalog catalog;
    private final HostEvents events;
    private final Map<String, MemorySegment> inProcess = new ConcurrentHashMap<>();
    private final SymbolLookup ws2;
    private final SelectRules rules;
    private final HostLastErrorCapture lastErrorCapture;

    HostPlatform(Catalog catalog, HostEvents events, OverlappedCompletion completion, LastError lastError) {
        this(catalog, events, completion, lastError, SelectRules.configured());
    }

    HostPlatform(Catalog catalog, HostEvents events, OverlappedCompletion completion, LastError lastError, SelectRules rules) {
        this.catalog = catalog;
        this.events = events;
        this.rules = rules;
        MemorySegment enumProtocols = Native.upcall(
                Native.bound(this, "WSCEnumProtocols", Spi.WSCENUMPROTOCOLS.toMethodType()), Spi.WSCENUMPROTOCOLS);
        MemorySegment getProviderPath = Native.upcall(
                Native.bound(this, "WSCGetProviderPath", Spi.WSCGETPROVIDERPATH.toMethodType()), Spi.WSCGETPROVIDERPATH);
        // Not in the upcall table: ws2_32 exports it, providers look it up by name (WINDOWS-NOTES).
        MemorySegment completeOverlappedRequest = Native.upcall(Native.bound(completion, "WPUCompleteOverlappedRequest",
                Spi.WPUCOMPLETEOVERLAPPEDREQUEST.toMethodType()), Spi.WPUCOMPLETEOVERLAPPEDREQUEST);
        // The thread's last error, as ws2_32 exports it: how directly-called functions (the extension
        // functions an application gets from SIO_GET_EXTENSION_FUNCTION_POINTER) report a failure.
        MemorySegment setLastError = Native.upcall(
                Native.bound(lastError, "WSASetLastError", Spi.WSASETLASTERROR.toMethodType()), Spi.WSASETLASTERROR);
        MemorySegment getLastError = Native.upcall(
                Native.bound(lastError, "WSAGetLastError", Spi.WSAGETLASTERROR.toMethodType()), Spi.WSAGETLASTERROR);
        Map<String, MemorySegment> symbols = Map.of("WSCEnumProtocols", enumProtocols, "WSCGetProviderPath", getProviderPath,
                "WPUCompleteOverlappedRequest", completeOverlappedRequest, "WSASetLastError", setLastError,
                "WSAGetLastError", getLastError);
        this.ws2 = name -> Optional.ofNullable(symbols.get(name));
        this.lastErrorCapture = new HostLastErrorCapture(lastError);
    }

    /**
     * Registers an in-process provider: loading {@code path} (e.g. {@code %WSP4J_HOST%\my.dll}) yields
     * a library whose {@code WSPStartup} is {@code wspStartup} (an upcall stub with WSPStartup's signature).
     */
    public void registerProvider(String path, MemorySegment wspStartup) {
        inProcess.put(normalize(expandEnvironment(path)), wspStartup);
    }

    @Override
    public SymbolLookup ws2() {
        return ws2;
    }

    /** The host's rules: a layered provider's WSPAsyncSelect follows the same as the base provider's. */
    @Override
    public SelectRules selectRules() {
        return rules;
    }

    /** ExpandEnvironmentStringsW: {@code %NAME%} from the environment (names case-insensitive), unknown ones kept. */
    @Override
    public String expandEnvironment(String path) {
        Matcher m = VARIABLE.matcher(path);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = lookup(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String lookup(String name) {
        if (name.equalsIgnoreCase(HOST_VARIABLE)) return HOST_DIRECTORY;
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    private static String normalize(String expanded) {
        return expanded.replace('/', '\\').toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public SymbolLookup loadProvider(String path) {
        MemorySegment startup = inProcess.get(normalize(path));
        if (startup != null) return name -> name.equals("WSPStartup") ? Optional.of(startup) : Optional.empty();
        if (path.startsWith(HOST_DIRECTORY)) throw new IllegalArgumentException("no in-process provider at " + path);
        return SymbolLookup.libraryLookup(Path.of(path), Arena.global());
    }

    /**
     * A {@link HostCompletionPort}: its events are the host's own (auto-reset), so the base provider's
     * signal of a layered provider's lower event is a queued key, not an eventfd write and an epoll wake-up.
     */
    @Override
    public CompletionPort openCompletionPort() {
        return new HostCompletionPort(events);
    }

    /** The host's last error, read as each capturing downcall returns ({@link HostLastErrorCapture}). */
    @Override
    public Optional<LastErrorCapture> lastErrorCapture() {
        return Optional.of(lastErrorCapture);
    }

    // ---- the ws2_32 catalog functions, as upcall stubs ---------------------------------------------------

    /** int WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW, LPDWORD lpdwBufferLength, LPINT lpErrno). */
    int WSCEnumProtocols(MemorySegment lpiProtocols, MemorySegment buffer, MemorySegment lpdwBufferLength,
                         MemorySegment lpErrno) {
        try {
            if (Native.isNull(lpdwBufferLength)) {
                Native.setError(lpErrno, WSAEFAULT);
                return SOCKET_ERROR;
            }
            List<Catalog.Entry> selected = catalog.view().stream() // this process's copy of the catalog
                    .filter(e -> wanted(lpiProtocols, e.protocol())).toList();
            long size = Spi.WSAPROTOCOL_INFOW.byteSize();
            long needed = size * selected.size();
            if (Native.isNull(buffer) || Integer.toUnsignedLong(Native.getInt(lpdwBufferLength)) < needed) {
                Native.setInt(lpdwBufferLength, (int) needed);
                Native.setError(lpErrno, WSAENOBUFS);
                return SOCKET_ERROR;
            }
            MemorySegment out = buffer.reinterpret(needed);
            for (int i = 0; i < selected.size(); i++) MemorySegment.copy(selected.get(i).info(), 0, out, i * size, size);
            return selected.size();
        } catch (Throwable t) {
            return failed("WSCEnumProtocols", t, lpErrno);
        }
    }

    /** lpiProtocols: a 0-terminated list of iProtocol values, or NULL for all. */
    private static boolean wanted(MemorySegment lpiProtocols, int protocol) {
        if (Native.isNull(lpiProtocols)) return true;
        MemorySegment list = lpiProtocols.reinterpret(Long.MAX_VALUE);
        for (long i = 0; ; i++) {
            int p = list.getAtIndex(JAVA_INT, i);
            if (p == 0) return false;
            if (p == protocol) return true;
        }
    }

    /** int WSCGetProviderPath(LPGUID, WCHAR*, LPINT lpProviderDllPathLen, LPINT lpErrno). */
    int WSCGetProviderPath(MemorySegment lpProviderId, MemorySegment lpszPath, MemorySegment lpLen, MemorySegment lpErrno) {
        try {
            return providerPath(catalog, lpProviderId, lpszPath, lpLen, lpErrno);
        } catch (Throwable t) {
            return failed("WSCGetProviderPath", t, lpErrno);
        }
    }

    /** Shared by WSCGetProviderPath and WPUGetProviderPath: the unexpanded path, NUL-terminated, in WCHARs. */
    static int providerPath(Catalog catalog, MemorySegment lpProviderId, MemorySegment lpszPath, MemorySegment lpLen,
                            MemorySegment lpErrno) {
        if (Native.isNull(lpProviderId) || Native.isNull(lpLen)) {
            Native.setError(lpErrno, WSAEFAULT);
            return SOCKET_ERROR;
        }
        UUID id = Guids.read(lpProviderId.reinterpret(Spi.GUID.byteSize()));
        String path = catalog.providerPath(id);
        if (path == null) {
            Native.setError(lpErrno, WSAEINVAL);
            return SOCKET_ERROR;
        }
        int room = Native.getInt(lpLen);
        if (Native.isNull(lpszPath) || room < path.length() + 1) {
            Native.setInt(lpLen, path.length() + 1);
            Native.setError(lpErrno, WSAEFAULT);
            return SOCKET_ERROR;
        }
        Native.setWideString(lpszPath, path, room);
        Native.setInt(lpLen, path.length() + 1);
        return 0;
    }

    private volatile boolean loggedFailure;

    private int failed(String entry, Throwable t, MemorySegment lpErrno) {
        if (!loggedFailure) {
            loggedFailure = true;
            LOG.log(Level.SEVERE, "host " + entry + " failed", t);
        }
        try {
            Native.setError(lpErrno, WSASYSCALLFAILURE);
        } catch (Throwable ignored) {
            // a bad lpErrno: nothing more to report through
        }
        return SOCKET_ERROR;
    }
}
