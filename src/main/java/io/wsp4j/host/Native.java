package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/** Small FFM helpers shared by the host's SPI code: pointer arguments, downcalls through function pointers, upcall stubs. */
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ConcurrentHashMap<FunctionDescriptor, MethodHandle> DOWNCALLS = new ConcurrentHashMap<>();

    private Native() {}

    /** A downcall to whatever function {@code pointer} points at, with the C signature {@code descriptor}. */
    static MethodHandle downcall(MemorySegment pointer, FunctionDescriptor descriptor) {
        if (pointer.equals(MemorySegment.NULL)) throw new IllegalArgumentException("null function pointer");
        MethodHandle generic = DOWNCALLS.computeIfAbsent(descriptor, LINKER::downcallHandle);
        return MethodHandles.insertArguments(generic, 0, pointer);
    }

    /** An upcall stub in the global arena (SPI tables outlive every call) for {@code target}. */
    static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor) {
        return LINKER.upcallStub(target, descriptor, Arena.global());
    }

    /** A virtual method of {@code owner} bound to it, for an upcall stub. */
    static MethodHandle bound(Object owner, String method, MethodType type) {
        try {
            return MethodHandles.lookup().findVirtual(owner.getClass(), method, type).bindTo(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no upcall method " + method + type, e);
        }
    }

    static boolean isNull(MemorySegment p) {
        return p == null || p.address() == 0;
    }

    /** Stores {@code code} into {@code *lpErrno} (ignored when the caller passed none). */
    static void setError(MemorySegment lpErrno, int code) {
        if (!isNull(lpErrno)) lpErrno.reinterpret(4).set(JAVA_INT, 0, code);
    }

    static int getInt(MemorySegment p) {
        return p.reinterpret(4).get(JAVA_INT, 0);
    }

    static void setInt(MemorySegment p, int value) {
        p.reinterpret(4).set(JAVA_INT, 0, value);
    }

    static void setLong(MemorySegment p, long value) {
        p.reinterpret(8).set(JAVA_LONG, 0, value);
    }

    /** Writes a NUL-terminated UTF-16 string of at most {@code maxChars} characters (the NUL included), cut to fit. */
    static void setWideString(MemorySegment dst, String s, int maxChars) {
        String fits = s.length() < maxChars ? s : s.substring(0, maxChars - 1);
        dst.reinterpret(2L * (fits.length() + 1)).setString(0, fits, StandardCharsets.UTF_16LE);
    }

    /** Reads a NUL-terminated UTF-16 string within {@code maxChars} characters (no NUL there throws). */
    static String getWideString(MemorySegment src, int maxChars) {
        return src.reinterpret(2L * maxChars).getString(0, StandardCharsets.UTF_16LE);
    }
}
