package io.wsp4j.catalog.windows;

import static java.lang.foreign.ValueLayout.JAVA_CHAR;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.Catalog;
import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.CatalogLock;
import io.wsp4j.catalog.Guids;
import io.wsp4j.catalog.PathExpander;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.Reconciler;
import io.wsp4j.catalog.ShimConfigStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Windows system catalog through the WSC* functions of ws2_32 (Windows x64 only; compiled
 * everywhere, run on Windows). Each method is one documented call, or the short sequence Microsoft's
 * LSP sample uses, with every return value checked:
 * <ul>
 * <li>read: WSCEnumProtocols / WSCEnumProtocols32 (size query, then fill), WSCGetProviderPath(32) per GUID;
 * <li>install, 64-bit: WSCInstallProvider; 32-bit: there is no 32-bit-only call, so
 *     WSCInstallProvider64_32 followed by WSCDeinstallProvider of the 64-bit copy (the planner gives
 *     32-bit entries their own GUIDs and installs them first, so the 64-bit copy is never ours);
 * <li>WSCWriteProviderOrder(32), WSCUpdateProvider(32), WSCDeinstallProvider(32);
 * <li>restore: {@link Reconciler} over those calls;
 * <li>elevation: OpenProcessToken + GetTokenInformation(TokenElevation).
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
        return System.getProperty("os.name", "").startsWith("Windows");
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
    public Set<Bitness> bitnesses() {
        return EnumSet.allOf(Bitness.class);
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

    private static List<ProtocolEntry> enumProtocols(Bitness b) {
        MethodHandle enumFn = b == Bitness.X64 ? Ws2Spi.Handles.WSC_ENUM_PROTOCOLS : Ws2Spi.Handles.WSC_ENUM_PROTOCOLS32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            MemorySegment errno = arena.allocate(JAVA_INT);
            // First call with no buffer: fails with WSAENOBUFS and the size needed.
            int rc = (int) enumFn.invokeExact(MemorySegment.NULL, MemorySegment.NULL, length, errno);
            if (rc != Ws2Spi.SOCKET_ERROR || errno.get(JAVA_INT, 0) != Ws2Spi.WSAENOBUFS) {
                throw failure("WSCEnumProtocols" + suffix(b) + " (size query)", errno.get(JAVA_INT, 0));
            }
            MemorySegment buffer = arena.allocate(Integer.toUnsignedLong(length.get(JAVA_INT, 0)),
                    ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteAlignment());
            int count = (int) enumFn.invokeExact(MemorySegment.NULL, buffer, length, errno);
            if (count == Ws2Spi.SOCKET_ERROR) throw failure("WSCEnumProtocols" + suffix(b), errno.get(JAVA_INT, 0));
            List<ProtocolEntry> out = new ArrayList<>(count);
            long size = ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteSize();
            for (int i = 0; i < count; i++) {
                MemorySegment info = buffer.asSlice(i * size, size);
                UUID guid = ProtocolInfoLayout.readGuid(info.asSlice(
                        ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("ProviderId")),
                        ProtocolInfoLayout.GUID));
                out.add(ProtocolInfoLayout.read(info, providerPath(arena, b, guid)));
            }
            return out;
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("WSCEnumProtocols" + suffix(b) + " failed: " + t, 0, t);
        }
    }

    private static String providerPath(Arena arena, Bitness b, UUID guid) throws Throwable {
        MethodHandle fn = b == Bitness.X64 ? Ws2Spi.Handles.WSC_GET_PROVIDER_PATH : Ws2Spi.Handles.WSC_GET_PROVIDER_PATH32;
        MemorySegment g = guid(arena, guid);
        MemorySegment path = arena.allocate(JAVA_CHAR, Ws2Spi.MAX_PATH);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, Ws2Spi.MAX_PATH);
        MemorySegment errno = arena.allocate(JAVA_INT);
        int rc = (int) fn.invokeExact(g, path, len, errno);
        if (rc != 0) throw failure("WSCGetProviderPath" + suffix(b) + " for " + Guids.format(guid), errno.get(JAVA_INT, 0));
        return ProtocolInfoLayout.wideString(path);
    }

    @Override
    public void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = guid(arena, providerId);
            MemorySegment p = Ws2Spi.wide(arena, path);
            MemorySegment infos = infos(arena, entries);
            MemorySegment errno = arena.allocate(JAVA_INT);
            if (b == Bitness.X64) {
                int rc = (int) Ws2Spi.Handles.WSC_INSTALL_PROVIDER.invokeExact(g, p, infos, entries.size(), errno);
                check(rc, "WSCInstallProvider " + Guids.format(providerId), errno);
            } else {
                int rc = (int) Ws2Spi.Handles.WSC_INSTALL_PROVIDER64_32.invokeExact(g, p, infos, entries.size(), errno);
                check(rc, "WSCInstallProvider64_32 " + Guids.format(providerId), errno);
                rc = (int) Ws2Spi.Handles.WSC_DEINSTALL_PROVIDER.invokeExact(g, errno);
                check(rc, "WSCDeinstallProvider (the 64-bit copy of a 32-bit-only install) " + Guids.format(providerId), errno);
            }
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("installing " + Guids.format(providerId) + " failed: " + t, 0, t);
        }
    }

    @Override
    public void writeOrder(Bitness b, List<Integer> order) {
        MethodHandle fn = b == Bitness.X64 ? Ws2Spi.Handles.WSC_WRITE_PROVIDER_ORDER : Ws2Spi.Handles.WSC_WRITE_PROVIDER_ORDER32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = arena.allocate(JAVA_INT, order.size());
            for (int i = 0; i < order.size(); i++) ids.setAtIndex(JAVA_INT, i, order.get(i));
            int rc = (int) fn.invokeExact(ids, order.size());
            if (rc != Ws2Spi.ERROR_SUCCESS) throw failure("WSCWriteProviderOrder" + suffix(b), rc);
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("WSCWriteProviderOrder" + suffix(b) + " failed: " + t, 0, t);
        }
    }

    @Override
    public void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        MethodHandle fn = b == Bitness.X64 ? Ws2Spi.Handles.WSC_UPDATE_PROVIDER : Ws2Spi.Handles.WSC_UPDATE_PROVIDER32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(JAVA_INT);
            int rc = (int) fn.invokeExact(guid(arena, providerId), Ws2Spi.wide(arena, path), infos(arena, entries),
                    entries.size(), errno);
            check(rc, "WSCUpdateProvider" + suffix(b) + " " + Guids.format(providerId), errno);
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("WSCUpdateProvider" + suffix(b) + " failed: " + t, 0, t);
        }
    }

    @Override
    public void deinstallProvider(Bitness b, UUID providerId) {
        MethodHandle fn = b == Bitness.X64 ? Ws2Spi.Handles.WSC_DEINSTALL_PROVIDER : Ws2Spi.Handles.WSC_DEINSTALL_PROVIDER32;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(JAVA_INT);
            int rc = (int) fn.invokeExact(guid(arena, providerId), errno);
            check(rc, "WSCDeinstallProvider" + suffix(b) + " " + Guids.format(providerId), errno);
        } catch (CatalogException e) {
            throw e;
        } catch (Throwable t) {
            throw new CatalogException("WSCDeinstallProvider" + suffix(b) + " failed: " + t, 0, t);
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

    /** WSC* writes need an elevated token; without one they fail with unhelpful codes (10104, WSANO_RECOVERY). */
    @Override
    public void checkWriteAccess() {
        if (!Elevation.isElevated()) {
            throw new CatalogException("changing the Winsock catalog needs administrator rights: run as Administrator"
                    + " (an elevated PowerShell or cmd)");
        }
    }

    private static MemorySegment guid(Arena arena, UUID guid) {
        MemorySegment g = arena.allocate(ProtocolInfoLayout.GUID);
        ProtocolInfoLayout.writeGuid(g, guid);
        return g;
    }

    private static MemorySegment infos(Arena arena, List<ProtocolEntry> entries) {
        MemorySegment all = arena.allocate(ProtocolInfoLayout.WSAPROTOCOL_INFOW, entries.size());
        long size = ProtocolInfoLayout.WSAPROTOCOL_INFOW.byteSize();
        for (int i = 0; i < entries.size(); i++) ProtocolInfoLayout.write(all.asSlice(i * size, size), entries.get(i));
        return all;
    }

    private static void check(int rc, String what, MemorySegment errno) {
        if (rc == Ws2Spi.SOCKET_ERROR) throw failure(what, errno.get(JAVA_INT, 0));
        if (rc != 0) throw failure(what, rc);
    }

    private static CatalogException failure(String what, int code) {
        return new CatalogException(what + " failed with error " + code + WindowsErrors.describe(code), code);
    }

    private static String suffix(Bitness b) {
        return b == Bitness.X86 ? "32" : "";
    }
}
