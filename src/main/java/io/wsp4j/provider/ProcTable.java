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
 * Our WSPPROC_TABLE: one upcall stub per entry (in {@link Arena#global()}: ws2_32 keeps the table for
 * the process lifetime), each bound to its {@link LayeredSpi} method behind the {@link Reentry} guard
 * (a call made from inside one of our entries takes the hookless table), and wrapped so that no
 * exception leaves it: a Throwable becomes {@code *lpErrno} = WSAENETDOWN (WSAENOBUFS for an
 * OutOfMemoryError) and the entry's failure value, and is logged once per entry.
 */
final class ProcTable {
    private static final MethodHandle FAIL_INT;
    private static final MethodHandle FAIL_SOCKET;
    private static final MethodHandle ADDRESS_OF;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FAIL_INT = l.findStatic(ProcTable.class, "failInt", MethodType.methodType(int.class, ProcTable.class, SpiEntry.class, Throwable.class, long.class));
            FAIL_SOCKET = l.findStatic(ProcTable.class, "failSocket", MethodType.methodType(long.class, ProcTable.class, SpiEntry.class, Throwable.class, long.class));
            ADDRESS_OF = l.findVirtual(MemorySegment.class, "address", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemorySegment table = Arena.global().allocate(WSPPROC_TABLE.layout());
    private final AtomicIntegerArray logged = new AtomicIntegerArray(SpiEntry.values().length);

    ProcTable(LayeredSpi spi) {
        LayeredSpi nested = spi.nested();
        spi.extensions().bind(spi, nested);
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
            MethodHandle target = Reentry.guard(entry.bindTo(spi), entry.bindTo(nested));
            MethodHandle stub = MethodHandles.catchException(target, Throwable.class, failureHandler(e, type));
            long offset = WSPPROC_TABLE.layout().byteOffset(PathElement.groupElement(e.tableField()));
            table.set(ValueLayout.ADDRESS, offset, linker.upcallStub(stub, e.javaDescriptor(), Arena.global()));
        }
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
    private MethodHandle failureHandler(SpiEntry e, MethodType type) {
        MethodHandle fail = type.returnType() == long.class ? FAIL_SOCKET : FAIL_INT;
        MethodHandle bound = MethodHandles.insertArguments(fail, 0, this, e); // (Throwable, long)
        if (type.parameterType(e.errnoIndex()) == MemorySegment.class) {
            bound = MethodHandles.filterArguments(bound, 1, ADDRESS_OF); // (Throwable, MemorySegment)
        }
        return MethodHandles.dropArguments(bound, 1, type.parameterList().subList(0, e.errnoIndex()));
    }

    /** The filled table, copied into the caller's WSPPROC_TABLE by every WSPStartup. */
    MemorySegment table() {
        return table;
    }

    private static int failInt(ProcTable self, SpiEntry e, Throwable t, long lpErrno) {
        self.failed(e, t, lpErrno);
        return e.failure() == SpiEntry.Failure.FALSE ? 0 : WsaErrors.SOCKET_ERROR;
    }

    private static long failSocket(ProcTable self, SpiEntry e, Throwable t, long lpErrno) {
        self.failed(e, t, lpErrno);
        return WsaErrors.INVALID_SOCKET;
    }

    /** Must not throw: it runs inside an upcall, where an exception would end the process. */
    private void failed(SpiEntry e, Throwable t, long lpErrno) {
        try {
            LayeredSpi.setErrno(lpErrno, t instanceof OutOfMemoryError ? WsaErrors.WSAENOBUFS : WsaErrors.WSAENETDOWN);
        } catch (Throwable ignored) {
            // lpErrno itself is unusable: the failure value alone must do
        }
        try {
            if (logged.compareAndSet(e.ordinal(), 0, 1)) {
                ProviderLog.error(e.name() + " failed inside the layered provider (logged once per entry)", t);
            }
        } catch (Throwable ignored) {
            // logging failed: nothing more we can do safely
        }
    }
}
