package io.wsp4j.provider;

import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Our WSPPROC_TABLE: one upcall stub per entry, bound to its {@link LayeredSpi} method behind the
 * {@link Reentry} guard (a call made from inside one of our entries takes the hookless table), and
 * wrapped so that no exception leaves it: a Throwable becomes {@code *lpErrno} = WSAENETDOWN
 * (WSAENOBUFS for an OutOfMemoryError) and the entry's failure value, and is logged once per entry.
 *
 * <p>The stubs are made once for the JVM's life and call the entries of the provider started now
 * ({@link #ProcTable}): the JVM never frees an upcall stub of the global arena, and ws2_32 calls our
 * last WSPCleanup at every last WSACleanup, so a process that stops and starts Winsock over and over
 * would otherwise grow its code cache by a table of stubs each time, until it is full and the JIT
 * stops. After the last WSPCleanup the stubs still reach that process's (closed) entries until the
 * next start: ws2_32 calls none of them then.
 */
final class ProcTable {
    /** The entries the stubs call now, and which of them logged a failure; replaced at every start. */
    private record Target(LayeredSpi hooked, LayeredSpi nested, AtomicIntegerArray logged) {}

    private static final MethodHandle FAIL_INT;
    private static final MethodHandle FAIL_SOCKET;
    private static final MethodHandle ADDRESS_OF;
    private static final MethodHandle HOOKED;
    private static final MethodHandle NESTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FAIL_INT = l.findStatic(ProcTable.class, "failInt", MethodType.methodType(int.class, SpiEntry.class, Throwable.class, long.class));
            FAIL_SOCKET = l.findStatic(ProcTable.class, "failSocket", MethodType.methodType(long.class, SpiEntry.class, Throwable.class, long.class));
            ADDRESS_OF = l.findVirtual(MemorySegment.class, "address", MethodType.methodType(long.class));
            HOOKED = l.findStatic(ProcTable.class, "hooked", MethodType.methodType(LayeredSpi.class));
            NESTED = l.findStatic(ProcTable.class, "nested", MethodType.methodType(LayeredSpi.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile Target target;
    /** The stubs, made at the first start (guarded by the class). */
    private static MemorySegment stubs;

    /** The table for {@code spi}, whose entries the stubs call from now on. */
    ProcTable(LayeredSpi spi) {
        LayeredSpi nested = spi.nested();
        spi.extensions().bind(spi, nested);
        target = new Target(spi, nested, new AtomicIntegerArray(SpiEntry.values().length));
        synchronized (ProcTable.class) {
            if (stubs == null) stubs = makeStubs();
        }
    }

    private static MemorySegment makeStubs() {
        MemorySegment table = Arena.global().allocate(WSPPROC_TABLE.layout());
        Linker linker = Linker.nativeLinker();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (SpiEntry e : SpiEntry.values()) {
            MethodType type = e.javaDescriptor().toMethodType();
            MethodHandle entry;
            try {
                entry = lookup.findVirtual(LayeredSpi.class, javaName(e), type);
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException("LayeredSpi has no " + javaName(e) + type, x);
            }
            // (args) -> the entry of the provider started now, its hooked or its nested instance
            MethodHandle guarded = Reentry.guard(MethodHandles.foldArguments(entry, HOOKED), MethodHandles.foldArguments(entry, NESTED));
            MethodHandle stub = MethodHandles.catchException(guarded, Throwable.class, failureHandler(e, type));
            long offset = WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()));
            table.set(ValueLayout.ADDRESS, offset, linker.upcallStub(stub, e.javaDescriptor(), Arena.global()));
        }
        return table;
    }

    private static LayeredSpi hooked() {
        return target.hooked();
    }

    private static LayeredSpi nested() {
        return target.nested();
    }

    /** WSPAccept → accept, WSPGetQOSByName → getQOSByName. */
    static String javaName(SpiEntry e) {
        String n = e.name().substring("WSP".length());
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    /**
     * (Throwable, every argument) → the failure value, using only the last argument (lpErrno, a
     * segment or a raw address).
     */
    private static MethodHandle failureHandler(SpiEntry e, MethodType type) {
        MethodHandle fail = type.returnType() == long.class ? FAIL_SOCKET : FAIL_INT;
        MethodHandle bound = MethodHandles.insertArguments(fail, 0, e); // (Throwable, long)
        if (type.parameterType(e.errnoIndex()) == MemorySegment.class) {
            bound = MethodHandles.filterArguments(bound, 1, ADDRESS_OF); // (Throwable, MemorySegment)
        }
        return MethodHandles.dropArguments(bound, 1, type.parameterList().subList(0, e.errnoIndex()));
    }

    /** The filled table, copied into the caller's WSPPROC_TABLE by every WSPStartup. */
    MemorySegment table() {
        return stubs;
    }

    private static int failInt(SpiEntry e, Throwable t, long lpErrno) {
        failed(e, t, lpErrno);
        return e.failure() == SpiEntry.Failure.FALSE ? 0 : WsaErrors.SOCKET_ERROR;
    }

    private static long failSocket(SpiEntry e, Throwable t, long lpErrno) {
        failed(e, t, lpErrno);
        return WsaErrors.INVALID_SOCKET;
    }

    /** Must not throw: it runs inside an upcall, where an exception would end the process. */
    private static void failed(SpiEntry e, Throwable t, long lpErrno) {
        try {
            LayeredSpi.setErrno(lpErrno, t instanceof OutOfMemoryError ? WsaErrors.WSAENOBUFS : WsaErrors.WSAENETDOWN);
        } catch (Throwable ignored) {
            // lpErrno itself is unusable: the failure value alone must do
        }
        try {
            if (target.logged().compareAndSet(e.ordinal(), 0, 1)) {
                ProviderLog.error(e.name() + " failed inside the layered provider (logged once per entry)", t);
            }
        } catch (Throwable ignored) {
            // logging failed: nothing more we can do safely
        }
    }
}
