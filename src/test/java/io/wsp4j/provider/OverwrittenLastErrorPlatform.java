package io.wsp4j.provider;

import io.wsp4j.core.CompletionPort;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostPlatform;
import io.wsp4j.winsock.WsaErrors;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double: a host's platform whose exported {@code WSAGetLastError} finds the thread's last error
 * overwritten, as the JVM may leave it between a downcall and a second call that reads it (the
 * {@code Linker.Option.captureCallState} javadoc). It overwrites the host thread's last error with
 * {@link #OVERWRITTEN} and returns that, and counts how often it was asked. Everything else is the
 * host's own platform.
 */
final class OverwrittenLastErrorPlatform implements ProviderPlatform {
    /** What the thread's last error holds by the time a second call reads it. */
    static final int OVERWRITTEN = WsaErrors.WSAENETRESET;

    private final Host host;
    private final HostPlatform platform;
    private final AtomicInteger reads = new AtomicInteger();
    private final MemorySegment getLastError;

    OverwrittenLastErrorPlatform(Host host) {
        this.host = host;
        this.platform = host.platform();
        try {
            getLastError = Linker.nativeLinker().upcallStub(MethodHandles.lookup().findVirtual(OverwrittenLastErrorPlatform.class,
                    "WSAGetLastError", MethodType.methodType(int.class)).bindTo(this), FunctionDescriptor.of(ValueLayout.JAVA_INT), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How often the provider read the last error with a second call. */
    int reads() {
        return reads.get();
    }

    /** The export: must not throw (an upcall). */
    private int WSAGetLastError() {
        try {
            reads.incrementAndGet();
            host.ws2().WSASetLastError(OVERWRITTEN);
        } catch (Throwable ignored) {
            // the overwritten value is returned all the same
        }
        return OVERWRITTEN;
    }

    @Override
    public SymbolLookup ws2() {
        SymbolLookup real = platform.ws2();
        return name -> name.equals("WSAGetLastError") ? Optional.of(getLastError) : real.find(name);
    }

    @Override
    public String expandEnvironment(String path) {
        return platform.expandEnvironment(path);
    }

    @Override
    public SymbolLookup loadProvider(String path) {
        return platform.loadProvider(path);
    }

    @Override
    public CompletionPort openCompletionPort() {
        return platform.openCompletionPort();
    }

    @Override
    public Optional<LastErrorCapture> lastErrorCapture() {
        return platform.lastErrorCapture();
    }
}
