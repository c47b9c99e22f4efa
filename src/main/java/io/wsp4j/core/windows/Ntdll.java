package io.wsp4j.core.windows;

import io.wsp4j.bindings.WinApi;
import io.wsp4j.core.NativeCallException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ntdll calls of {@link IocpCompletionPort}: wait completion packets (Windows 8 and later) and the
 * translation of their NTSTATUS results. Microsoft documents the three packet functions in its Windows
 * developer notes ("This function has no associated import library or header file ... exported from
 * ntdll.dll"); their prototypes are declared in {@code jextract/wsp4j.h} and generated into
 * {@link WinApi} like every other binding. They report through the returned NTSTATUS, not the thread's
 * last error, so nothing is captured.
 *
 * <p>Windows only: loading this class touches nothing; the first call loads ntdll (always mapped in a
 * Windows process) for the bindings' symbol lookup.
 */
final class Ntdll {
    static final int STATUS_SUCCESS = 0;
    /** The packet may still be queued (or being queued) to the port: it cannot be reused at once. */
    static final int STATUS_PENDING = WinApi.STATUS_PENDING();
    /** ntstatus.h: the association had already completed (its packet was taken from the port) or never existed. */
    static final int STATUS_CANCELLED = 0xC0000120;

    private Ntdll() {}

    /** NT_SUCCESS: success and informational codes are non-negative, warnings and errors negative. */
    static boolean succeeded(int status) {
        return status >= 0;
    }

    /** A new wait completion packet (GENERIC_ALL, unnamed, no security descriptor). */
    static MemorySegment createWaitCompletionPacket(MemorySegment handleOut) {
        load();
        int status = WinApi.NtCreateWaitCompletionPacket(handleOut, WinApi.GENERIC_ALL(), MemorySegment.NULL);
        if (!succeeded(status)) throw failure("NtCreateWaitCompletionPacket", status, null);
        return handleOut.get(ValueLayout.ADDRESS, 0);
    }

    /**
     * Associates {@code packet} with {@code port} and {@code object}: when the object is signalled (at
     * once if it is already), the kernel queues one completion to the port whose key is {@code key},
     * whose lpOverlapped is {@code apcContext}, with status 0 and 0 bytes. The wait is satisfied like
     * any wait (an auto-reset event is reset by it); once the completion is taken from the port the
     * packet is free to be associated again. Returns the NTSTATUS.
     */
    static int associate(MemorySegment packet, MemorySegment port, MemorySegment object, long key, long apcContext) {
        load();
        return WinApi.NtAssociateWaitCompletionPacket(packet, port, object, MemorySegment.ofAddress(key),
                MemorySegment.ofAddress(apcContext), STATUS_SUCCESS, 0L, MemorySegment.NULL);
    }

    /**
     * Cancels the association of {@code packet}; with {@code removeSignaledPacket} a completion it
     * already queued is taken back out of the port. Returns the NTSTATUS: STATUS_SUCCESS (nothing will
     * be delivered), STATUS_PENDING (a completion may still arrive) or STATUS_CANCELLED (the completion
     * was already taken, or there was no association).
     */
    static int cancel(MemorySegment packet, boolean removeSignaledPacket) {
        load();
        return WinApi.NtCancelWaitCompletionPacket(packet, (byte) (removeSignaledPacket ? 1 : 0));
    }

    /** A failed NTSTATUS as the exception the event core throws, with the Win32 error it maps to. */
    static NativeCallException failure(String function, int status, String detail) {
        load();
        String hex = "NTSTATUS 0x" + Integer.toHexString(status);
        return new NativeCallException(function, WinApi.RtlNtStatusToDosError(status), detail == null ? hex : detail + ", " + hex);
    }

    /** Off Windows: UnsupportedOperationException, before any native code is touched. */
    private static void load() {
        Kernel32.requireWindows("ntdll");
        Library.init();
    }

    private static final class Library {
        static {
            System.loadLibrary("ntdll");
        }

        static void init() {
            // the static initializer did the work
        }
    }
}
