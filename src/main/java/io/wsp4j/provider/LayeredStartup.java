package io.wsp4j.provider;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * WSPStartup and WSPCleanup of the layered provider, reference-counted per process as the SPI
 * requires: the first WSPStartup creates the provider ({@link ProviderSelection}), our table and the
 * event core; every WSPStartup starts the provider below its chain entry if not yet started and
 * hands out the same table; the WSPCleanup that balances the first WSPStartup tears it all down.
 * Both entry points (the shim's {@link ShimEntry} and the in-process {@link JavaWspStartup}) land here.
 */
public final class LayeredStartup {
    private static final Object LOCK = new Object();
    private static LayeredProcess process;
    private static int references;

    private LayeredStartup() {}

    /**
     * WSPStartup(wVersionRequested, lpWSPData, lpProtocolInfo, UpcallTable, lpProcTable), with the
     * by-value upcall table passed as the address of a copy valid during the call. Returns 0 or a
     * WSAE* code; never throws.
     */
    public static int startup(short versionRequested, MemorySegment lpWSPData, MemorySegment lpProtocolInfo, MemorySegment upcallTable, MemorySegment lpProcTable) {
        try {
            int major = versionRequested & 0xff;
            int minor = (versionRequested >>> 8) & 0xff;
            if (major < 2) return WsaErrors.WSAVERNOTSUPPORTED;
            if (lpWSPData.address() == 0 || lpProtocolInfo.address() == 0 || lpProcTable.address() == 0 || upcallTable.address() == 0) {
                return WsaErrors.WSAEFAULT;
            }
            MemorySegment info = lpProtocolInfo.reinterpret(WSAPROTOCOL_INFOW.sizeof());
            synchronized (LOCK) {
                boolean first = process == null;
                if (first) {
                    // A Winsock call from onStartup (or from a hook of the last WSPCleanup) comes back
                    // here on the same thread before the provider is up: refuse it, rather than
                    // start a second provider whose onStartup would do the same again.
                    if (!Reentry.enter()) {
                        ProviderLog.warning("WSPStartup from inside the provider (a Winsock call in onStartup?) refused");
                        return WsaErrors.WSAEPROVIDERFAILEDINIT;
                    }
                    try {
                        process = create(info, upcallTable);
                    } finally {
                        Reentry.exit();
                    }
                } else {
                    process.attach(info);
                }
                references++;
                MemorySegment.copy(process.procTable.table(), 0, lpProcTable.reinterpret(WSPPROC_TABLE.sizeof()), 0, WSPPROC_TABLE.sizeof());
            }
            short version = (major > 2 || (major == 2 && minor >= 2)) ? LayeredProcess.VERSION_2_2 : versionRequested;
            fillData(lpWSPData.reinterpret(WSPData.sizeof()), version);
            return 0;
        } catch (ProviderStartupException e) {
            ProviderLog.error("WSPStartup: " + e.getMessage());
            return e.errorCode();
        } catch (Throwable t) {
            ProviderLog.error("WSPStartup failed", t);
            return WsaErrors.WSAEPROVIDERFAILEDINIT;
        }
    }

    /** The first WSPStartup's work: the author's provider, its onStartup, our process attached to {@code info}. */
    private static LayeredProcess create(MemorySegment info, MemorySegment upcallTable) {
        LayeredProvider provider = ProviderSelection.create();
        LayeredProcess p = new LayeredProcess(ProviderPlatforms.current(), provider, upcallTable, LayeredStartup::cleanup);
        try {
            provider.onStartup();
            p.attach(info);
        } catch (Throwable t) {
            p.bridge.close();
            throw t;
        }
        return p;
    }

    private static void fillData(MemorySegment data, short version) {
        WSPData.wVersion(data, version);
        WSPData.wHighVersion(data, LayeredProcess.VERSION_2_2);
        MemorySegment description = WSPData.szDescription(data);
        byte[] text = ("wsp4j layered provider (" + activeProvider().getClass().getName() + ")").getBytes(StandardCharsets.UTF_16LE);
        int max = (int) Math.min(text.length, description.byteSize() - 2) & ~1;
        description.fill((byte) 0);
        MemorySegment.copy(text, 0, description, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, max);
    }

    /** WSPCleanup: 0, or SOCKET_ERROR with *lpErrno (WSANOTINITIALISED without a matching WSPStartup). */
    static int cleanup(MemorySegment lpErrno) throws Throwable {
        LayeredProcess ending;
        synchronized (LOCK) {
            if (process == null || references == 0) {
                LayeredSpi.setErrno(lpErrno, WsaErrors.WSANOTINITIALISED);
                return WsaErrors.SOCKET_ERROR;
            }
            if (--references > 0) return 0;
            ending = process;
            process = null;
        }
        int rc = ending.shutdown(lpErrno);
        return rc == 0 ? 0 : WsaErrors.SOCKET_ERROR;
    }

    /** The provider running in this process, or null before WSPStartup / after the last WSPCleanup. */
    public static LayeredProvider activeProvider() {
        synchronized (LOCK) {
            return process == null ? null : process.provider;
        }
    }

    /** The lower provider's handle behind our socket {@code handle}, or -1 if it is not one of ours (diagnostics, tests). */
    public static long lowerHandle(long handle) {
        LayeredProcess p;
        synchronized (LOCK) {
            p = process;
        }
        LayeredSocket s = p == null ? null : p.sockets.get(handle);
        return s == null ? -1 : s.lowerHandle();
    }

    /** How many WSPStartups are not yet balanced by a WSPCleanup. */
    public static int references() {
        synchronized (LOCK) {
            return references;
        }
    }
}
