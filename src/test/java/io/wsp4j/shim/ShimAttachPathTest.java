package io.wsp4j.shim;

import static java.lang.foreign.ValueLayout.*;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import io.wsp4j.host.ProcessEnvironment;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attach path: this JVM loads the shim and calls its WSPStartup through a downcall, as the Linux
 * host does; the shim finds this JVM (JNI_GetCreatedJavaVMs) and calls the entry class on it, on this
 * very thread, with the pointers given here.
 */
@EnabledOnOs(OS.LINUX)
class ShimAttachPathTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final short SPI_VERSION = 0x0202;

    @TempDir
    Path dir;

    /** WSPStartup(WORD, LPWSPDATA, LPWSAPROTOCOL_INFOW, WSPUPCALLTABLE by value, LPWSPPROC_TABLE). */
    private static MethodHandle wspStartup() throws Exception {
        SymbolLookup shim = SymbolLookup.libraryLookup(NativeTools.shimLibrary(), Arena.global());
        return LINKER.downcallHandle(shim.find("WSPStartup").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS, ADDRESS, WSPUPCALLTABLE.layout(), ADDRESS));
    }

    /** The shim reads WSP4J_SHIM_CONFIG on every WSPStartup; this JVM's environment is set through libc. */
    private static void useConfig(Path config) throws Throwable {
        ProcessEnvironment.set("WSP4J_SHIM_CONFIG", config.toString());
    }

    private ShimConfigLines config(String entryClass) {
        return new ShimConfigLines()
                .set("jvm", NativeTools.jvmLibrary())
                .set("entry_class", entryClass)
                .set("allow", "java")
                .set("log", dir.resolve("shim.log"));
    }

    private static List<Long> fillWithFakes(MemorySegment upcallTable) {
        List<Long> values = new ArrayList<>();
        long fake = 0x7e570000L;
        for (MemoryLayout entry : WSPUPCALLTABLE.layout().memberLayouts()) {
            long offset = WSPUPCALLTABLE.layout().byteOffset(PathElement.groupElement(entry.name().orElseThrow()));
            upcallTable.set(ADDRESS, offset, MemorySegment.ofAddress(fake));
            values.add(fake);
            fake += 0x10;
        }
        return values;
    }

    @Test
    void callsTheEntryOnThisJvmAndThreadWithTheCallersPointers() throws Throwable {
        useConfig(config("io/wsp4j/shim/AttachPathEntry").writeTo(dir.resolve("shim.conf")));
        AttachPathEntry.takeCalls();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wspData = arena.allocate(WSPData.layout());
            MemorySegment protocolInfo = arena.allocate(WSAPROTOCOL_INFOW.layout());
            MemorySegment upcallTable = arena.allocate(WSPUPCALLTABLE.layout());
            MemorySegment procTable = arena.allocate(WSPPROC_TABLE.layout());
            List<Long> upcalls = fillWithFakes(upcallTable);

            int status = (int) wspStartup().invokeExact(SPI_VERSION, wspData, protocolInfo, upcallTable, procTable);

            assertEquals(0, status);
            List<AttachPathEntry.Call> calls = AttachPathEntry.takeCalls();
            assertEquals(1, calls.size(), "the entry in this JVM must have been called once");
            AttachPathEntry.Call call = calls.get(0);
            assertSame(Thread.currentThread(), call.thread());
            assertEquals(SPI_VERSION, call.version());
            assertEquals(wspData.address(), call.wspData());
            assertEquals(protocolInfo.address(), call.protocolInfo());
            assertEquals(procTable.address(), call.procTable());
            assertEquals(upcalls, call.upcalls());
            assertNotEquals(upcallTable.address(), call.upcallTable(), "Java gets the shim's copy, which outlives the call");
            assertEquals(AttachPathEntry.MARKER, procTable.getAtIndex(ADDRESS, 0).address());
        }
        assertFalse(Files.exists(dir.resolve("shim.log")), "success logs nothing");
    }

    @Test
    void anExceptionOnThisThreadIsClearedAndTheFailPolicyApplies() throws Throwable {
        useConfig(config("io/wsp4j/shim/ThrowingEntry").set("fail_policy", "fail").writeTo(dir.resolve("shim.conf")));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment procTable = arena.allocate(WSPPROC_TABLE.layout());

            int status = (int) wspStartup().invokeExact(SPI_VERSION, arena.allocate(WSPData.layout()),
                    arena.allocate(WSAPROTOCOL_INFOW.layout()), arena.allocate(WSPUPCALLTABLE.layout()), procTable);

            assertEquals(WsaErrors.WSAEPROVIDERFAILEDINIT, status);
            assertEquals(0L, procTable.getAtIndex(ADDRESS, 0).address());
        }
        // This thread goes on running Java normally: no exception was left pending on it.
        assertEquals(List.of(), AttachPathEntry.takeCalls());
        List<String> lines = Files.readAllLines(dir.resolve("shim.log"));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).contains(ThrowingEntry.MESSAGE), lines.get(0));
    }

    @Test
    void javaReenteringTheShimOnTheSameThreadIsPassedThrough() throws Throwable {
        useConfig(config("io/wsp4j/shim/ReentrantEntry").set("lower_provider", NativeTools.lowerProvider())
                .writeTo(dir.resolve("shim.conf")));
        ReentrantEntry.shimStartup = wspStartup();
        try (Arena arena = Arena.ofConfined()) {
            int status = (int) wspStartup().invokeExact(SPI_VERSION, arena.allocate(WSPData.layout()),
                    arena.allocate(WSAPROTOCOL_INFOW.layout()), arena.allocate(WSPUPCALLTABLE.layout()),
                    arena.allocate(WSPPROC_TABLE.layout()));
            assertEquals(0, status);
        }
        ReentrantEntry.Outcome outcome = ReentrantEntry.takeOutcome();
        assertNull(outcome.nestedFailure());
        assertEquals(1, outcome.calls(), "the nested WSPStartup must not reach Java again");
        assertEquals(0, outcome.nestedStatus());
        assertEquals(ShimAllowListTest.lowerMarkers().get(0), outcome.nestedFirstEntry(), "the nested call went to the lower provider");
        assertFalse(Files.exists(dir.resolve("shim.log")), "re-entry is expected, not a failure");
    }
}
