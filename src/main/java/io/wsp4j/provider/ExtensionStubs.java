package io.wsp4j.provider;

import io.wsp4j.bindings.LPFN_ACCEPTEX;
import io.wsp4j.bindings.LPFN_CONNECTEX;
import io.wsp4j.bindings.LPFN_DISCONNECTEX;
import io.wsp4j.winsock.ExtensionFunction;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The extension functions we hand out when an application asks for one with
 * SIO_GET_EXTENSION_FUNCTION_POINTER on our handle: the lower provider's would get our (non-IFS)
 * handles and fail, so AcceptEx, ConnectEx and DisconnectEx are ours ({@link LayeredSpi#acceptEx} …),
 * translating handles and completing the caller's OVERLAPPED as our other overlapped calls do.
 * Each is an upcall stub (global memory: the application keeps the pointer for as long as it likes)
 * bound as the WSPPROC_TABLE's entries are: behind the {@link Reentry} guard, and catching everything
 * — a Throwable becomes FALSE with last error WSAENETDOWN, logged once per function.
 */
final class ExtensionStubs {
    private static final Map<ExtensionFunction, FunctionDescriptor> OURS = Map.of(
            ExtensionFunction.ACCEPT_EX, LPFN_ACCEPTEX.descriptor(),
            ExtensionFunction.CONNECT_EX, LPFN_CONNECTEX.descriptor(),
            ExtensionFunction.DISCONNECT_EX, LPFN_DISCONNECTEX.descriptor());
    private static final MethodHandle FAILED;

    static {
        try {
            FAILED = MethodHandles.lookup().findVirtual(ExtensionStubs.class, "failed",
                    MethodType.methodType(int.class, ExtensionFunction.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LastError lastError;
    private final Map<ExtensionFunction, MemorySegment> stubs = new EnumMap<>(ExtensionFunction.class);
    private final Map<ExtensionFunction, AtomicBoolean> logged = new EnumMap<>(ExtensionFunction.class);

    /** @param lastError ws2_32's last error; null if it cannot be had (then none is handed out). */
    ExtensionStubs(LastError lastError) {
        this.lastError = lastError;
    }

    /** Makes the stubs over the table's two instances (once, when the table is built). */
    void bind(LayeredSpi hooked, LayeredSpi nested) {
        if (lastError == null) return;
        Linker linker = Linker.nativeLinker();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Map.Entry<ExtensionFunction, FunctionDescriptor> e : OURS.entrySet()) {
            ExtensionFunction f = e.getKey();
            MethodType type = e.getValue().toMethodType();
            MethodHandle entry;
            try {
                entry = lookup.findVirtual(LayeredSpi.class, javaName(f), type);
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException("LayeredSpi has no " + javaName(f) + type, x);
            }
            MethodHandle target = Reentry.guard(entry.bindTo(hooked), entry.bindTo(nested));
            MethodHandle failure = MethodHandles.dropArguments(FAILED.bindTo(this).bindTo(f), 1, type.parameterList());
            logged.put(f, new AtomicBoolean());
            stubs.put(f, linker.upcallStub(MethodHandles.catchException(target, Throwable.class, failure), e.getValue(), Arena.global()));
        }
    }

    /** ACCEPT_EX → acceptEx. */
    static String javaName(ExtensionFunction f) {
        String[] words = f.name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return b.toString();
    }

    /** Our stub for {@code f}, or null if {@code f} is not one we stand in for. */
    MemorySegment pointer(ExtensionFunction f) {
        return stubs.get(f);
    }

    LastError lastError() {
        return lastError;
    }

    /** Must not throw: it runs inside an upcall. */
    private int failed(ExtensionFunction f, Throwable t) {
        try {
            lastError.set(t instanceof OutOfMemoryError ? WsaErrors.WSAENOBUFS : WsaErrors.WSAENETDOWN);
        } catch (Throwable ignored) {
            // the last error cannot be set: FALSE alone must do
        }
        try {
            if (logged.get(f).compareAndSet(false, true)) {
                ProviderLog.error(f.macro() + " failed inside the layered provider (logged once)", t);
            }
        } catch (Throwable ignored) {
            // logging failed: nothing more we can do safely
        }
        return 0;
    }
}
