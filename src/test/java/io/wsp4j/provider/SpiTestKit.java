package io.wsp4j.provider;

import io.wsp4j.bindings.GUID;
import io.wsp4j.bindings.LPWPUCLOSESOCKETHANDLE;
import io.wsp4j.bindings.LPWPUCREATESOCKETHANDLE;
import io.wsp4j.bindings.LPWPUPOSTMESSAGE;
import io.wsp4j.bindings.LPWPUQUERYSOCKETHANDLECONTEXT;
import io.wsp4j.bindings.LPWSCENUMPROTOCOLS;
import io.wsp4j.bindings.LPWSCGETPROVIDERPATH;
import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.bindings.WSAPROTOCOLCHAIN;
import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import io.wsp4j.bindings.fd_set;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.linux.EpollCompletionPort;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Everything around the layered provider, as C function pointers, for table-level tests without the
 * SPI host: a catalog (WSCEnumProtocols / WSCGetProviderPath) with a base entry, our hidden layered
 * entry and our chain; a WSPUPCALLTABLE; a lower provider whose WSPStartup fills a table of 30
 * counting stubs that record the socket handle each call got. Calls go through real stubs both ways.
 */
final class SpiTestKit implements ProviderPlatform {
    static final int BASE_ID = 1001;
    static final int LAYERED_ID = 2001;
    static final int CHAIN_ID = 2002;
    static final UUID BASE_GUID = UUID.fromString("e70f1aa0-ab8b-11cf-8ca3-00805f48a192");
    static final UUID LAYERED_GUID = UUID.fromString("5e5e0001-0000-4000-8000-000000000001");
    static final UUID CHAIN_GUID = UUID.fromString("5e5e0002-0000-4000-8000-000000000002");
    static final String LOWER_PATH = "%TESTDIR%\\lower.dll";
    static final long FIRST_LOWER_HANDLE = 900;
    static final long FIRST_OUR_HANDLE = 0x4000;

    final Arena arena = Arena.ofShared();
    final MemorySegment catalog; // base, layered, chain
    final MemorySegment upcallTable;
    final MessageLog messages = new MessageLog();
    final AtomicLongArray lowerCalls = new AtomicLongArray(SpiEntry.values().length);
    final long[] lowerSocketSeen = new long[SpiEntry.values().length];
    final AtomicInteger lowerStartups = new AtomicInteger();
    volatile int lowerStartupChainLength = -1;
    volatile long lowerSelectedHandle = -1;
    /** The catalog id and dwProviderReserved of the protocol info the last lower WSPSocket got. */
    volatile int[] lowerSocketInfo;
    static final int DUPLICATE_KEY = 77;
    volatile int lowerStartupCatalogId = -1;
    final AtomicInteger handlesCreated = new AtomicInteger();
    final AtomicInteger handlesClosed = new AtomicInteger();
    private final AtomicLong nextLower = new AtomicLong(FIRST_LOWER_HANDLE);
    private final MemorySegment lowerStartup;
    private final MemorySegment enumProtocols;
    private final MemorySegment getProviderPath;

    SpiTestKit() {
        catalog = arena.allocate(WSAPROTOCOL_INFOW.layout(), 3);
        entry(0, BASE_ID, BASE_GUID, 1, BASE_ID);
        entry(1, LAYERED_ID, LAYERED_GUID, 0);
        entry(2, CHAIN_ID, CHAIN_GUID, 2, LAYERED_ID, BASE_ID);
        upcallTable = arena.allocate(WSPUPCALLTABLE.layout());
        WSPUPCALLTABLE.lpWPUCreateSocketHandle(upcallTable, LPWPUCREATESOCKETHANDLE.allocate((id, context, errno) ->
                FIRST_OUR_HANDLE + 4L * handlesCreated.getAndIncrement(), arena));
        WSPUPCALLTABLE.lpWPUCloseSocketHandle(upcallTable, LPWPUCLOSESOCKETHANDLE.allocate((s, errno) -> {
            handlesClosed.incrementAndGet();
            return 0;
        }, arena));
        WSPUPCALLTABLE.lpWPUQuerySocketHandleContext(upcallTable, LPWPUQUERYSOCKETHANDLECONTEXT.allocate((s, ctx, errno) -> 0, arena));
        WSPUPCALLTABLE.lpWPUPostMessage(upcallTable, LPWPUPOSTMESSAGE.allocate((hWnd, msg, wParam, lParam) ->
                messages.post(hWnd.address(), msg, wParam, lParam) ? 1 : 0, arena));
        lowerStartup = LPWSPSTARTUP.allocate(this::lowerWspStartup, arena);
        enumProtocols = LPWSCENUMPROTOCOLS.allocate(this::wscEnumProtocols, arena);
        getProviderPath = LPWSCGETPROVIDERPATH.allocate(this::wscGetProviderPath, arena);
    }

    private void entry(int index, int id, UUID guid, int chainLength, int... chain) {
        MemorySegment e = catalog.asSlice(index * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
        WSAPROTOCOL_INFOW.dwCatalogEntryId(e, id);
        writeGuid(WSAPROTOCOL_INFOW.ProviderId(e), guid);
        WSAPROTOCOL_INFOW.iAddressFamily(e, 2);
        WSAPROTOCOL_INFOW.iSocketType(e, 1);
        WSAPROTOCOL_INFOW.iProtocol(e, 6);
        MemorySegment c = WSAPROTOCOL_INFOW.ProtocolChain(e);
        WSAPROTOCOLCHAIN.ChainLen(c, chainLength);
        for (int i = 0; i < chain.length; i++) WSAPROTOCOLCHAIN.ChainEntries(c, i, chain[i]);
    }

    static void writeGuid(MemorySegment g, UUID u) {
        GUID.Data1(g, (int) (u.getMostSignificantBits() >>> 32));
        GUID.Data2(g, (short) (u.getMostSignificantBits() >>> 16));
        GUID.Data3(g, (short) u.getMostSignificantBits());
        for (int i = 0; i < 8; i++) GUID.Data4(g).set(ValueLayout.JAVA_BYTE, i, (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i)));
    }

    /** Our chain entry, as ws2_32 passes it to WSPStartup and WSPSocket. */
    MemorySegment chainEntry() {
        return catalog.asSlice(2 * WSAPROTOCOL_INFOW.sizeof(), WSAPROTOCOL_INFOW.sizeof());
    }

    // ---- ProviderPlatform ------------------------------------------------------------------------------

    @Override
    public SymbolLookup ws2() {
        return name -> switch (name) {
            case "WSCEnumProtocols" -> Optional.of(enumProtocols);
            case "WSCGetProviderPath" -> Optional.of(getProviderPath);
            default -> Optional.empty();
        };
    }

    @Override
    public String expandEnvironment(String path) {
        return path.replace("%TESTDIR%", "/test");
    }

    @Override
    public SymbolLookup loadProvider(String path) {
        if (!path.equals("/test\\lower.dll")) throw new IllegalArgumentException("no provider at " + path);
        return name -> name.equals("WSPStartup") ? Optional.of(lowerStartup) : Optional.empty();
    }

    @Override
    public CompletionPort openCompletionPort() {
        return new EpollCompletionPort();
    }

    // ---- the catalog -------------------------------------------------------------------------------------

    private int wscEnumProtocols(MemorySegment protocols, MemorySegment buffer, MemorySegment length, MemorySegment errno) {
        MemorySegment len = length.reinterpret(4);
        if (Integer.toUnsignedLong(len.get(ValueLayout.JAVA_INT, 0)) < catalog.byteSize() || buffer.address() == 0) {
            len.set(ValueLayout.JAVA_INT, 0, (int) catalog.byteSize());
            errno.reinterpret(4).set(ValueLayout.JAVA_INT, 0, WsaErrors.WSAENOBUFS);
            return WsaErrors.SOCKET_ERROR;
        }
        buffer.reinterpret(catalog.byteSize()).copyFrom(catalog);
        return 3;
    }

    private int wscGetProviderPath(MemorySegment guid, MemorySegment path, MemorySegment length, MemorySegment errno) {
        UUID u = ProviderCatalog.uuid(guid.reinterpret(GUID.sizeof()));
        if (!u.equals(BASE_GUID)) {
            errno.reinterpret(4).set(ValueLayout.JAVA_INT, 0, WsaErrors.WSAEINVAL);
            return WsaErrors.SOCKET_ERROR;
        }
        byte[] text = (LOWER_PATH + "\0").getBytes(StandardCharsets.UTF_16LE);
        path.reinterpret(text.length).copyFrom(MemorySegment.ofArray(text));
        length.reinterpret(4).set(ValueLayout.JAVA_INT, 0, LOWER_PATH.length());
        return 0;
    }

    // ---- the lower provider ------------------------------------------------------------------------------

    private int lowerWspStartup(short version, MemorySegment data, MemorySegment info, MemorySegment upcalls, MemorySegment table) {
        lowerStartups.incrementAndGet();
        MemorySegment i = info.reinterpret(WSAPROTOCOL_INFOW.sizeof());
        lowerStartupCatalogId = WSAPROTOCOL_INFOW.dwCatalogEntryId(i);
        lowerStartupChainLength = ProviderCatalog.chainLength(i);
        MemorySegment t = table.reinterpret(WSPPROC_TABLE.sizeof());
        for (SpiEntry e : SpiEntry.values()) {
            long offset = WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()));
            t.set(ValueLayout.ADDRESS, offset, countingStub(e));
        }
        return 0;
    }

    private static final MethodHandle RECORD;

    static {
        try {
            RECORD = MethodHandles.lookup().findVirtual(SpiTestKit.class, "record",
                    MethodType.methodType(Object.class, SpiEntry.class, Object[].class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MemorySegment countingStub(SpiEntry e) {
        MethodType type = e.descriptor().toMethodType();
        MethodHandle h = MethodHandles.insertArguments(RECORD, 0, this, e)
                .asCollector(Object[].class, type.parameterCount())
                .asType(type);
        return Linker.nativeLinker().upcallStub(h, e.descriptor(), arena);
    }

    /** A lower entry: counts, remembers the socket it got, succeeds (a new lower socket for socket-making entries). */
    private Object record(SpiEntry e, Object[] args) {
        lowerCalls.incrementAndGet(e.ordinal());
        if (args.length > 0 && args[0] instanceof Long s) lowerSocketSeen[e.ordinal()] = s;
        if (e == SpiEntry.WSPDuplicateSocket && ((MemorySegment) args[2]).address() != 0) {
            MemorySegment info = ((MemorySegment) args[2]).reinterpret(WSAPROTOCOL_INFOW.sizeof());
            info.copyFrom(WSAPROTOCOL_INFOW.asSlice(catalog, 0).asSlice(0, WSAPROTOCOL_INFOW.sizeof())); // the base entry ...
            WSAPROTOCOL_INFOW.dwProviderReserved(info, DUPLICATE_KEY);                                    // ... with its key
        }
        if (e == SpiEntry.WSPSocket && ((MemorySegment) args[3]).address() != 0) {
            MemorySegment info = ((MemorySegment) args[3]).reinterpret(WSAPROTOCOL_INFOW.sizeof());
            lowerSocketInfo = new int[] {WSAPROTOCOL_INFOW.dwCatalogEntryId(info), WSAPROTOCOL_INFOW.dwProviderReserved(info)};
        }
        if (e == SpiEntry.WSPSelect) {
            MemorySegment readfds = ((MemorySegment) args[1]).reinterpret(fd_set.sizeof());
            lowerSelectedHandle = fd_set.fd_array(readfds, 0); // one socket: it stays ready
            return 1;
        }
        if (e.failure() == SpiEntry.Failure.INVALID_SOCKET) return nextLower.getAndIncrement();
        if (e.failure() == SpiEntry.Failure.FALSE) return 1; // TRUE
        return 0;
    }

    long[] lowerCallCounts() {
        long[] c = new long[lowerCalls.length()];
        for (int i = 0; i < c.length; i++) c[i] = lowerCalls.get(i);
        return c;
    }

    @Override
    public String toString() {
        return "lower calls " + Arrays.toString(lowerCallCounts());
    }
}
