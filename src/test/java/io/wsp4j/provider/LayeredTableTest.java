package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.LPWSPSTARTUP;
import io.wsp4j.bindings.OVERLAPPED;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.fd_set;
import io.wsp4j.winsock.FdEvents;
import io.wsp4j.winsock.Ioctls;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The layered provider at its real boundary: started through its WSPStartup stub, called through the
 * function pointers of the table it filled, calling a lower provider through the pointers of the
 * table that one filled.
 */
@EnabledOnOs(OS.LINUX)
class LayeredTableTest {
    /** Entries that do not take a socket as their first argument. */
    private static final Set<SpiEntry> NO_SOCKET = EnumSet.of(SpiEntry.WSPAddressToString, SpiEntry.WSPCancelBlockingCall,
            SpiEntry.WSPCleanup, SpiEntry.WSPSelect, SpiEntry.WSPSocket, SpiEntry.WSPStringToAddress);

    /** A provider whose hooks record, and throw on demand. */
    static final class Probe extends LayeredProvider {
        volatile SpiEntry throwOn;
        volatile int vetoSockets;

        @Override
        protected void onCall(SpiEntry entry) {
            if (entry == throwOn) throw new IllegalStateException("injected fault in " + entry);
        }

        volatile boolean throwInHooks;

        @Override
        protected int onSocket(LayeredSocket socket) {
            if (throwInHooks) throw new IllegalStateException("onSocket fault");
            return vetoSockets;
        }

        @Override
        protected void onSent(LayeredSocket socket, Buffers data, long bytes) {
            if (throwInHooks) throw new IllegalStateException("onSent fault");
        }
    }

    private final Arena arena = Arena.ofConfined();
    private final Probe probe = new Probe();
    private SpiTestKit kit;
    private MemorySegment ourTable;
    private MemorySegment errno;

    @BeforeEach
    void install() {
        kit = new SpiTestKit();
        ProviderPlatforms.install(kit);
        ProviderSelection.register(() -> probe);
        ourTable = arena.allocate(WSPPROC_TABLE.layout());
        errno = arena.allocate(ValueLayout.JAVA_INT);
    }

    @AfterEach
    void uninstall() throws Throwable {
        probe.throwOn = null;
        while (LayeredStartup.references() > 0) call(SpiEntry.WSPCleanup, errno);
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
        arena.close();
    }

    private int startup(short version) {
        return LPWSPSTARTUP.invoke(JavaWspStartup.stub(), version, arena.allocate(WSPData.layout()), kit.chainEntry(), kit.upcallTable, ourTable);
    }

    private Object call(SpiEntry e, Object... args) throws Throwable {
        MemorySegment fn = ourTable.get(ValueLayout.ADDRESS, WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField())));
        MethodHandle h = Linker.nativeLinker().downcallHandle(fn, e.descriptor());
        return h.invokeWithArguments(args);
    }

    private int errnoValue() {
        return errno.get(ValueLayout.JAVA_INT, 0);
    }

    private long newSocket() throws Throwable {
        return (long) call(SpiEntry.WSPSocket, 2, 1, 6, kit.chainEntry(), 0, 0, errno);
    }

    /** Plausible arguments for entry {@code e} on our socket {@code s}. */
    private Object[] argumentsFor(SpiEntry e, long s) {
        MethodType type = e.descriptor().toMethodType();
        Object[] args = new Object[type.parameterCount()];
        for (int i = 0; i < args.length; i++) {
            Class<?> t = type.parameterType(i);
            args[i] = t == long.class ? 0L : t == int.class ? 0 : t == short.class ? (short) 0 : MemorySegment.NULL;
        }
        if (!NO_SOCKET.contains(e)) args[0] = s;
        args[args.length - 1] = errno;
        switch (e) {
            case WSPAddressToString, WSPStringToAddress -> args[2] = kit.chainEntry();
            case WSPSocket -> {
                args[0] = 2;
                args[1] = 1;
                args[2] = 6;
                args[3] = kit.chainEntry();
            }
            case WSPAsyncSelect -> {
                args[1] = MemorySegment.ofAddress(0x1000);
                args[2] = 0x401;
                args[3] = FdEvents.FD_READ;
            }
            case WSPIoctl -> args[1] = Ioctls.FIONREAD;
            case WSPGetOverlappedResult -> { // a request of ours that completed with 5 bytes
                MemorySegment ov = arena.allocate(OVERLAPPED.layout());
                OVERLAPPED.InternalHigh(ov, 5);
                args[1] = ov;
                args[2] = arena.allocate(ValueLayout.JAVA_INT);
                args[4] = arena.allocate(ValueLayout.JAVA_INT);
            }
            case WSPSelect -> {
                MemorySegment set = arena.allocate(fd_set.layout());
                fd_set.fd_count(set, 1);
                fd_set.fd_array(set, 0, s);
                args[1] = set;
            }
            default -> {}
        }
        return args;
    }

    /** Which lower entry a call of ours must reach: itself, but WSPAsyncSelect is ours, built on the lower WSPEventSelect. */
    private static SpiEntry below(SpiEntry e) {
        return e == SpiEntry.WSPAsyncSelect ? SpiEntry.WSPEventSelect : e;
    }

    @Test
    void startupResolvesTheChainToTheBaseProviderAndNegotiates22() {
        MemorySegment data = arena.allocate(WSPData.layout());
        assertEquals(0, LPWSPSTARTUP.invoke(JavaWspStartup.stub(), (short) 0x0202, data, kit.chainEntry(), kit.upcallTable, ourTable));
        assertEquals(1, kit.lowerStartups.get());
        assertEquals(SpiTestKit.BASE_ID, kit.lowerStartupCatalogId, "the base provider gets its own catalog entry");
        assertEquals(1, kit.lowerStartupChainLength);
        assertEquals(0x0202, WSPData.wVersion(data));
        assertEquals(0x0202, WSPData.wHighVersion(data));
        assertTrue(ProviderCatalog.wideString(WSPData.szDescription(data)).contains(Probe.class.getName()));
        for (SpiEntry e : SpiEntry.values()) {
            long offset = WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()));
            assertNotEquals(0, ourTable.get(ValueLayout.ADDRESS, offset).address(), e.tableField());
        }
    }

    @Test
    void startupAndCleanupAreReferenceCounted() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        assertEquals(0, startup((short) 0x0202));
        assertEquals(1, kit.lowerStartups.get(), "the lower provider is started once per chain entry");
        assertSame(probe, LayeredStartup.activeProvider());
        assertEquals(0, call(SpiEntry.WSPCleanup, errno));
        assertEquals(0, kit.lowerCalls.get(SpiEntry.WSPCleanup.ordinal()), "not the last cleanup");
        assertSame(probe, LayeredStartup.activeProvider());
        assertEquals(0, call(SpiEntry.WSPCleanup, errno));
        assertEquals(1, kit.lowerCalls.get(SpiEntry.WSPCleanup.ordinal()));
        assertNull(LayeredStartup.activeProvider());
        assertEquals(WsaErrors.SOCKET_ERROR, call(SpiEntry.WSPCleanup, errno));
        assertEquals(WsaErrors.WSANOTINITIALISED, errnoValue());
    }

    private List<Long> entries() {
        return java.util.Arrays.stream(SpiEntry.values())
                .map(e -> ourTable.get(ValueLayout.ADDRESS, WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()))).address())
                .toList();
    }

    /**
     * The JVM never frees an upcall stub made in the global arena: a table of new stubs at every start
     * would grow the code cache by 30 stubs each time a process stops and starts Winsock again (ws2_32
     * calls the last WSPCleanup at WSACleanup), until it is full and the JIT stops.
     */
    @Test
    void startingAgainAfterTheLastCleanupHandsOutTheSameEntriesWhichReachTheNewProvider() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        List<Long> first = entries();
        assertEquals(0, call(SpiEntry.WSPCleanup, errno));
        assertNull(LayeredStartup.activeProvider());
        Probe second = new Probe();
        ProviderSelection.register(() -> second);

        assertEquals(0, startup((short) 0x0202));

        assertEquals(first, entries(), "the same stubs, no new ones");
        assertSame(second, LayeredStartup.activeProvider());
        second.throwOn = SpiEntry.WSPSocket;
        assertEquals(WsaErrors.INVALID_SOCKET, newSocket(), "the entries call the provider started now");
        assertEquals(WsaErrors.WSAENETDOWN, errnoValue());
        second.throwOn = null;
        assertNotEquals(WsaErrors.INVALID_SOCKET, newSocket());
    }

    @Test
    void versionsBelow2AreRefusedAnd20IsAnsweredAs20() {
        assertEquals(WsaErrors.WSAVERNOTSUPPORTED, startup((short) 0x0101));
        assertEquals(0, LayeredStartup.references());
        MemorySegment data = arena.allocate(WSPData.layout());
        assertEquals(0, LPWSPSTARTUP.invoke(JavaWspStartup.stub(), (short) 0x0002, data, kit.chainEntry(), kit.upcallTable, ourTable));
        assertEquals(0x0002, WSPData.wVersion(data));
        assertEquals(0x0202, WSPData.wHighVersion(data));
    }

    @Test
    void withoutAPlatformStartupFailsWithProviderFailedInit() {
        ProviderPlatforms.uninstall();
        assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, startup((short) 0x0202));
        assertEquals(0, LayeredStartup.references());
    }

    @Test
    void everyEntryPassesThroughWithTheLowerHandle() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        long s = newSocket();
        assertEquals(SpiTestKit.FIRST_OUR_HANDLE, s, "the application gets our handle");
        long lower = SpiTestKit.FIRST_LOWER_HANDLE;
        List<SpiEntry> order = new java.util.ArrayList<>(List.of(SpiEntry.values()));
        order.remove(SpiEntry.WSPCloseSocket);
        order.remove(SpiEntry.WSPCleanup);
        order.add(SpiEntry.WSPCloseSocket);
        order.add(SpiEntry.WSPCleanup);
        Set<SpiEntry> reached = EnumSet.noneOf(SpiEntry.class);
        for (SpiEntry e : order) {
            long[] before = kit.lowerCallCounts();
            Object[] args = argumentsFor(e, s);
            Object result = call(e, args);
            long[] after = kit.lowerCallCounts();
            SpiEntry target = below(e);
            if (e == SpiEntry.WSPGetOverlappedResult) {
                // Every overlapped request on our handles is ours: answered from the caller's OVERLAPPED.
                assertArrayEquals(before, after, e + " stays in the layer");
                assertEquals(5, ((MemorySegment) args[2]).get(ValueLayout.JAVA_INT, 0), "the bytes of the request");
            } else {
                assertEquals(before[target.ordinal()] + 1, after[target.ordinal()], e + " reaches the lower " + target);
                if (!NO_SOCKET.contains(e)) assertEquals(lower, kit.lowerSocketSeen[target.ordinal()], e + " passes the lower handle");
            }
            switch (e.failure()) {
                case SOCKET_ERROR -> assertNotEquals(WsaErrors.SOCKET_ERROR, (int) result, e + " succeeded");
                case FALSE -> assertEquals(1, (int) result, e + " returned TRUE");
                case INVALID_SOCKET -> assertTrue((long) result >= SpiTestKit.FIRST_OUR_HANDLE, e + " returned one of our handles: " + result);
            }
            if (e == SpiEntry.WSPSelect) {
                MemorySegment set = (MemorySegment) args[1];
                assertEquals(lower, kit.lowerSelectedHandle, "the lower select got the lower handle");
                assertEquals(1, fd_set.fd_count(set));
                assertEquals(s, fd_set.fd_array(set, 0), "the caller's set names our handle again");
            }
            reached.add(e);
        }
        assertEquals(EnumSet.allOf(SpiEntry.class), reached);
        assertEquals(0, LayeredStartup.references());
        assertEquals(kit.handlesCreated.get(), kit.handlesClosed.get(), "every handle we made was closed (the rest at WSPCleanup)");
    }

    @Test
    void anExceptionInAnyEntryBecomesItsFailureValueAndWsaenetdown() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        long s = newSocket();
        for (SpiEntry e : SpiEntry.values()) {
            probe.throwOn = e;
            errno.set(ValueLayout.JAVA_INT, 0, 0);
            long[] before = kit.lowerCallCounts();
            Object result = call(e, argumentsFor(e, s));
            switch (e.failure()) {
                case SOCKET_ERROR -> assertEquals(WsaErrors.SOCKET_ERROR, (int) result, e.name());
                case FALSE -> assertEquals(0, (int) result, e.name());
                case INVALID_SOCKET -> assertEquals(WsaErrors.INVALID_SOCKET, (long) result, e.name());
            }
            assertEquals(WsaErrors.WSAENETDOWN, errnoValue(), e.name());
            assertArrayEquals(before, kit.lowerCallCounts(), e + ": nothing went down");
        }
        probe.throwOn = null;
        assertEquals(1, LayeredStartup.references(), "a failed WSPCleanup released nothing");
        assertEquals(0, call(SpiEntry.WSPSend, argumentsFor(SpiEntry.WSPSend, s)), "the provider still works");
    }

    @Test
    void aDuplicatedSocketIsRecreatedThroughOurChainWithTheLowerProvidersKey() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        long s = newSocket();
        assertEquals(SpiTestKit.BASE_ID, kit.lowerSocketInfo[0], "a plain socket: the base entry");
        assertEquals(0, kit.lowerSocketInfo[1]);
        MemorySegment info = arena.allocate(io.wsp4j.bindings.WSAPROTOCOL_INFOW.layout());
        assertEquals(0, call(SpiEntry.WSPDuplicateSocket, s, 4242, info, errno));
        assertEquals(SpiTestKit.CHAIN_ID, io.wsp4j.bindings.WSAPROTOCOL_INFOW.dwCatalogEntryId(info), "the target process comes through our chain");
        // The target process's ws2_32 hands that info to our WSPSocket (here: the same process).
        long dup = (long) call(SpiEntry.WSPSocket, -1, -1, -1, info, 0, 0, errno);
        assertNotEquals(WsaErrors.INVALID_SOCKET, dup);
        assertEquals(SpiTestKit.BASE_ID, kit.lowerSocketInfo[0], "the lower provider gets its own entry ...");
        assertEquals(SpiTestKit.DUPLICATE_KEY, kit.lowerSocketInfo[1], "... with its duplication key");
        assertNotEquals(-1, LayeredStartup.lowerHandle(dup), "the duplicate is one of our sockets");
    }

    @Test
    void unknownHandlesAreWsaenotsockWithoutGoingDown() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        long[] before = kit.lowerCallCounts();
        assertEquals(WsaErrors.SOCKET_ERROR, call(SpiEntry.WSPRecv, argumentsFor(SpiEntry.WSPRecv, 12345L)));
        assertEquals(WsaErrors.WSAENOTSOCK, errnoValue());
        assertArrayEquals(before, kit.lowerCallCounts());
    }

    @Test
    void aDecidingHookThatThrowsLeavesNothingBehindAnObservingOneLeavesTheResult() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        long s = newSocket();
        probe.throwInHooks = true;
        assertEquals(WsaErrors.INVALID_SOCKET, newSocket());
        assertEquals(WsaErrors.WSAENETDOWN, errnoValue());
        assertEquals(1, kit.lowerCalls.get(SpiEntry.WSPCloseSocket.ordinal()), "the half-made socket was closed below");
        assertEquals(1, kit.handlesClosed.get(), "and its handle released");
        assertEquals(0, call(SpiEntry.WSPSend, argumentsFor(SpiEntry.WSPSend, s)), "a send that went through stays a success");
    }

    @Test
    void aVetoedSocketIsClosedBelowAndTheCallFailsWithTheVetoCode() throws Throwable {
        assertEquals(0, startup((short) 0x0202));
        probe.vetoSockets = WsaErrors.WSAEACCES;
        assertEquals(WsaErrors.INVALID_SOCKET, newSocket());
        assertEquals(WsaErrors.WSAEACCES, errnoValue());
        assertEquals(1, kit.lowerCalls.get(SpiEntry.WSPCloseSocket.ordinal()));
        assertEquals(1, kit.handlesClosed.get());
    }
}
