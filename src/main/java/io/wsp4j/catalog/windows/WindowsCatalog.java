package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.charset.StandardCharsets.UTF_16LE;

import io.wsp4j.catalog.AppId;
import io.wsp4j.winsock.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.winsock.Guids;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.Reconciler;
import io.wsp4j.catalog.ShimConfigStore;
import io.wsp4j.bindings.GUID;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WinApi;
import io.wsp4j.winsock.ProtocolInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The Windows system catalog through the WSC* functions of ws2_32, called through the generated
 * bindings ({@link WinApi}) with entries converted by the {@link ProtocolInfo} view (Windows x64
 * only; compiled everywhere, run on Windows). Each method is one documented call, or the short
 * sequence Microsoft's LSP sample uses, with every return value checked:
 * <ul>
 * <li>read: WSCEnumProtocols / WSCEnumProtocols32 (size query, then fill), WSCGetProviderPath(32) per GUID,
 *     WSCGetProviderInfo(32) for the LSP categories of every layered and chain entry;
 * <li>LSP categories: WSCSetProviderInfo(32); applications: WSCGetApplicationCategory and
 *     WSCSetApplicationCategory (one store for both catalogs; it only adds categories);
 * <li>install into both catalogs: WSCInstallProviderAndChains64_32 (a 64-bit and a 32-bit DLL path);
 *     into the 64-bit catalog alone: WSCInstallProvider. Since Vista there is no call for the 32-bit
 *     catalog alone (WSCInstallProvider64_32 is gone), so {@link #installsInto32BitAlone} is false and
 *     the rollback re-creates 32-bit entries as a whole provider in both catalogs;
 * <li>WSCWriteProviderOrder(32), WSCUpdateProvider(32), WSCDeinstallProvider(32);
 * <li>restore: {@link Reconciler} over those calls;
 * <li>elevation: OpenProcessToken + GetTokenInformation(TokenElevation), then %ProgramData%\wsp4j
 *     made writable by administrators only ({@link StateDirectory}).
 * </ul>
 * State (journal, lock, snapshots, shim.conf) lives in %ProgramData%\wsp4j; the shim finds its
 * config through HKLM\SOFTWARE\wsp4j ConfigPath.
 */
public final class WindowsCatalog implements Catalog {
    private final Path stateDir;

    private WindowsCatalog(Path stateDir) {
        this.stateDir = stateDir;
    }

    public static boolean isWindows() {
        return io.wsp4j.core.windows.Kernel32.isWindows();
    }

    /** The system catalog; state in %ProgramData%\wsp4j. */
    public static WindowsCatalog system() {
        if (!isWindows()) throw new CatalogException("the Windows system catalog exists only on Windows; use --catalog DIR");
        String programData = System.getenv().getOrDefault("ProgramData", "C:\\ProgramData");
        return new WindowsCatalog(Path.of(programData, "wsp4j"));
    }

    @Override
    public String describe() {
        return "Windows system catalog";
    }

    @Override
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public CatalogImage read() {
        Map<Bitness, List<ProtocolEntry>> cats = new EnumMap<>(Bitness.class);
        for (Bitness b : Bitness.values()) cats.put(b, enumProtocols(b));
        return new CatalogImage(cats);
    }

    /** Reads of a catalog that keeps growing under us before we give up (each re-sized). */
    private static final int ENUM_ATTEMPTS = 8;

    private static List<ProtocolEntry> enumProtocols(Bitness b) {
        Win32.load();
        WscFunctions wsc = WscFunctions.of(b);
        String fn = wsc.name("WSCEnumProtocols");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            MemorySegment errno = arena.allocate(JAVA_INT);
            // First call with no buffer: fails with WSAENOBUFS and the size needed.
            int rc = wsc.enumProtocols().call(MemorySegment.NULL, MemorySegment.NULL, length, errno);
            if (rc != WinApi.SOCKET_ERROR() || errno.get(JAVA_INT, 0) != WinApi.WSAENOBUFS()) {
                throw failure(fn + " (size query)", errno.get(JAVA_INT, 0));
            }
            // An installer may add entries between the size query and the read: WSAENOBUFS again,
            // with the new size in length. Read again (as the shim does) rather than fail.
            MemorySegment buffer;
            int count;
            int attempts = 0;
            do {
                long bytes = Integer.toUnsignedLong(length.get(JAVA_INT, 0));
                buffer = arena.allocate(WSAPROTOCOL_INFOW.layout(), Math.ceilDiv(bytes, ProtocolInfo.BYTE_SIZE));
                count = wsc.enumProtocols().call(MemorySegment.NULL, buffer, length, errno);
            } while (count == WinApi.SOCKET_ERROR() && errno.get(JAVA_INT, 0) == WinApi.WSAENOBUFS() && ++attempts < ENUM_ATTEMPTS);
            if (count == WinApi.SOCKET_ERROR()) throw failure(fn, errno.get(JAVA_INT, 0));
            List<ProtocolEntry> out = new ArrayList<>(count);
            for (ProtocolInfo info : ProtocolInfo.readArray(buffer, count)) {
                int categories = info.protocolChain().isBase() ? 0 : lspCategories(arena, wsc, info.providerId());
                out.add(new ProtocolEntry(info, providerPath(arena, wsc, info.providerId()), categories));
            }
            return out;
        }
    }

    private static String providerPath(Arena arena, WscFunctions wsc, UUID guid) {
        MemorySegment g = guid(arena, guid);
        MemorySegment path = arena.allocate(JAVA_CHAR, Win32.MAX_PATH);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, Win32.MAX_PATH);
        MemorySegment errno = arena.allocate(JAVA_INT);
        int rc = wsc.getProviderPath().call(g, path, len, errno);
        if (rc != 0) throw failure(wsc.name("WSCGetProviderPath") + " for " + Guids.format(guid), errno.get(JAVA_INT, 0));
        try {
            return path.getString(0, UTF_16LE); // within the MAX_PATH characters the call filled
        } catch (IndexOutOfBoundsException noTerminator) {
            throw new CatalogException("a string returned by Windows has no terminating NUL within its " + Win32.MAX_PATH
                    + "-character buffer", 0, noTerminator);
        }
    }

    /**
     * WSCGetProviderInfo(32)(lpProviderId, ProviderInfoLspCategories, Info, &InfoSize, 0, lpErrno) of a
     * layered provider's entry: its LSP categories, a DWORD. A failure reads as none: the call needs
     * administrator rights (WSANO_RECOVERY otherwise) and `list` does not, and an entry that never had
     * categories set may have nothing to read; the installer runs elevated, and its verification
     * catches categories of ours that do not read back.
     */
    private static int lspCategories(Arena arena, WscFunctions wsc, UUID guid) {
        MemorySegment g = guid(arena, guid);
        MemorySegment info = arena.allocate(JAVA_INT);
        MemorySegment size = arena.allocate(JAVA_LONG); // size_t
        size.set(JAVA_LONG, 0, JAVA_INT.byteSize());
        MemorySegment errno = arena.allocate(JAVA_INT);
        int rc = wsc.getProviderInfo().call(g, WinApi.ProviderInfoLspCategories(), info, size, 0, errno);
        return rc == 0 ? info.get(JAVA_INT, 0) : 0;
    }

    /** WSCSetProviderInfo(32)(lpProviderId, ProviderInfoLspCategories, &categories, sizeof(DWORD), 0, lpErrno). */
    @Override
    public void setProviderCategories(Bitness b, UUID providerId, int categories) {
        Win32.load();
        WscFunctions wsc = WscFunctions.of(b);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = guid(arena, providerId);
            MemorySegment info = arena.allocate(JAVA_INT);
            info.set(JAVA_INT, 0, categories);
            MemorySegment errno = arena.allocate(JAVA_INT);
            check(wsc.setProviderInfo().call(g, WinApi.ProviderInfoLspCategories(), info, JAVA_INT.byteSize(), 0, errno),
                    wsc.name("WSCSetProviderInfo") + " (ProviderInfoLspCategories) " + Guids.format(providerId), errno);
        }
    }

    /**
     * WSCGetApplicationCategory(Path, PathLength, Extra, ExtraLength, &permitted, lpErrno): lengths in
     * characters without the NUL, Extra NULL when there is none; WSASERVICE_NOT_FOUND means the
     * application is not categorized.
     */
    @Override
    public OptionalInt applicationCategories(AppId app) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment permitted = arena.allocate(JAVA_INT);
            MemorySegment errno = arena.allocate(JAVA_INT);
            int rc = WinApi.WSCGetApplicationCategory(arena.allocateFrom(app.path(), UTF_16LE), app.path().length(), extra(arena, app),
                    app.extra().length(), permitted, errno);
            if (rc == WinApi.SOCKET_ERROR() && errno.get(JAVA_INT, 0) == WinApi.WSASERVICE_NOT_FOUND()) return OptionalInt.empty();
            check(rc, "WSCGetApplicationCategory " + app, errno);
            return OptionalInt.of(permitted.get(JAVA_INT, 0));
        }
    }

    /** WSCSetApplicationCategory(Path, PathLength, Extra, ExtraLength, PermittedLspCategories, NULL, lpErrno): ORed with what the application has. */
    @Override
    public void setApplicationCategories(AppId app, int permitted) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(JAVA_INT);
            check(WinApi.WSCSetApplicationCategory(arena.allocateFrom(app.path(), UTF_16LE), app.path().length(), extra(arena, app),
                    app.extra().length(), permitted, MemorySegment.NULL, errno), "WSCSetApplicationCategory " + app, errno);
        }
    }

    private static MemorySegment extra(Arena arena, AppId app) {
        return app.extra().isEmpty() ? MemorySegment.NULL : arena.allocateFrom(app.extra(), UTF_16LE);
    }

    @Override
    public void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        WscFunctions wsc = WscFunctions.of(b);
        WscFunctions.ProviderEntries install = wsc.installProvider().orElseThrow(() -> new CatalogException("Windows has no call"
                + " that installs into the " + b.label() + "-bit catalog alone from a 64-bit process (WSCInstallProvider64_32 is not"
                + " available since Windows Vista); " + Guids.format(providerId) + " can only be installed with its 64-bit twin",
                WinApi.WSAEINVAL()));
        providerEntries(install, wsc.name("WSCInstallProvider"), providerId, path, entries);
    }

    /**
     * WSCInstallProviderAndChains64_32(lpProviderId, lpszProviderDllPath, lpszProviderDllPath32,
     * lpszLspName, dwServiceFlags, lpProtocolInfoList, dwNumberOfEntries, lpdwCatalogEntryId, lpErrno):
     * both paths given (with a NULL 32-bit path Windows would want both DLLs in system32/syswow64),
     * the WSAPROTOCOL_INFOW entries whose (iAddressFamily, iSocketType, iProtocol) it layers over, and
     * the new layered entry's id, which the installer does not need (it reads the catalog back). Returns
     * 0, or SOCKET_ERROR with the code in lpErrno.
     */
    @Override
    public void installProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                         List<ProtocolEntry> protocols) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = guid(arena, providerId);
            MemorySegment p64 = arena.allocateFrom(path64, UTF_16LE);
            MemorySegment p32 = arena.allocateFrom(path32, UTF_16LE);
            MemorySegment name = arena.allocateFrom(lspName, UTF_16LE);
            MemorySegment infos = infos(arena, protocols);
            MemorySegment layeredId = arena.allocate(JAVA_INT);
            MemorySegment errno = arena.allocate(JAVA_INT);
            check(WinApi.WSCInstallProviderAndChains64_32(g, p64, p32, name, serviceFlags, infos, protocols.size(), layeredId, errno),
                    "WSCInstallProviderAndChains64_32 " + Guids.format(providerId), errno);
        }
    }

    @Override
    public boolean installsInto32BitAlone() {
        return WscFunctions.X86.installProvider().isPresent();
    }

    @Override
    public void writeOrder(Bitness b, List<Integer> order) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_INT, order.size());
            for (int i = 0; i < order.size(); i++) ids.setAtIndex(JAVA_INT, i, order.get(i));
            // Returns the error code itself (ERROR_SUCCESS, WSAEINVAL, WSATRY_AGAIN, ...), no lpErrno.
            WscFunctions wsc = WscFunctions.of(b);
            int rc = wsc.writeProviderOrder().call(ids, order.size());
            if (rc != Win32.ERROR_SUCCESS) throw failure(wsc.name("WSCWriteProviderOrder"), rc);
        }
    }

    @Override
    public void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        WscFunctions wsc = WscFunctions.of(b);
        providerEntries(wsc.updateProvider(), wsc.name("WSCUpdateProvider"), providerId, path, entries);
    }

    /** WSCInstallProvider or WSCUpdateProvider(32): a provider's entries under its DLL. */
    private static void providerEntries(WscFunctions.ProviderEntries call, String name, UUID providerId, String path,
                                        List<ProtocolEntry> entries) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = guid(arena, providerId);
            MemorySegment p = arena.allocateFrom(path, UTF_16LE);
            MemorySegment infos = infos(arena, entries);
            MemorySegment errno = arena.allocate(JAVA_INT);
            check(call.call(g, p, infos, entries.size(), errno), name + " " + Guids.format(providerId), errno);
        }
    }

    @Override
    public void deinstallProvider(Bitness b, UUID providerId) {
        Win32.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = guid(arena, providerId);
            MemorySegment errno = arena.allocate(JAVA_INT);
            WscFunctions wsc = WscFunctions.of(b);
            check(wsc.deinstallProvider().call(g, errno), wsc.name("WSCDeinstallProvider") + " " + Guids.format(providerId), errno);
        }
    }

    @Override
    public void restore(CatalogImage image) {
        Reconciler.restore(this, image);
    }

    @Override
    public CatalogLock lock(Duration wait) {
        return CatalogLock.acquire(stateDir, wait);
    }

    @Override
    public ShimConfigStore shimConfig() {
        return new WindowsShimConfig(stateDir.resolve("shim.conf"));
    }

    @Override
    public boolean providerFileExists(String path) {
        return PathExpander.systemDefault().expandOrEmpty(path).map(p -> Files.isRegularFile(Path.of(p))).orElse(false);
    }

    @Override
    public io.wsp4j.catalog.FileRemoval removeProviderFile(Path file) {
        return WindowsFiles.deleteNowOrAtReboot(file);
    }

    /** WSC* writes need an elevated token; without one they fail with unhelpful codes (10104, WSANO_RECOVERY). */
    @Override
    public void checkWriteAccess() {
        if (!Elevation.isElevated()) {
            throw new CatalogException("changing the Winsock catalog needs administrator rights: run as Administrator"
                    + " (an elevated PowerShell or cmd)");
        }
        StateDirectory.secure(stateDir);
    }

    private static MemorySegment guid(Arena arena, UUID guid) {
        MemorySegment g = arena.allocate(GUID.layout());
        io.wsp4j.winsock.Guids.write(g, guid);
        return g;
    }

    private static MemorySegment infos(Arena arena, List<ProtocolEntry> entries) {
        MemorySegment all = arena.allocate(WSAPROTOCOL_INFOW.layout(), entries.size());
        for (int i = 0; i < entries.size(); i++) entries.get(i).info().write(WSAPROTOCOL_INFOW.asSlice(all, i));
        return all;
    }

    private static void check(int rc, String what, MemorySegment errno) {
        if (rc == WinApi.SOCKET_ERROR()) throw failure(what, errno.get(JAVA_INT, 0));
        if (rc != 0) throw failure(what, rc);
    }

    private static CatalogException failure(String what, int code) {
        return new CatalogException(what + " failed with error " + code + WindowsErrors.describe(code), code);
    }
}
