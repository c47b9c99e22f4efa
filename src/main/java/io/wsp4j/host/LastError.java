package io.wsp4j.host;

import static io.wsp4j.winsock.WsaErrors.WSASYSCALLFAILURE;

/**
 * The thread's last Winsock error, the one slot ws2_32's WSAGetLastError reads (and GetLastError, on
 * Windows). Shared by {@link Ws2}, the C-callable {@code WSASetLastError}/{@code WSAGetLastError} that
 * {@link HostPlatform#ws2()} exports (a provider's directly-called functions report through them), and
 * the base provider's extension functions.
 */
final class LastError {
    private final ThreadLocal<int[]> value = ThreadLocal.withInitial(() -> new int[1]);

    int get() {
        return value.get()[0];
    }

    void set(int error) {
        value.get()[0] = error;
    }

    /** void WSASetLastError(int): the export; nothing can fail but the JVM. */
    void WSASetLastError(int error) {
        try {
            set(error);
        } catch (Throwable ignored) {
            // an upcall must not throw; there is no one to report to
        }
    }

    /** int WSAGetLastError(void): the export. */
    int WSAGetLastError() {
        try {
            return get();
        } catch (Throwable t) {
            return WSASYSCALLFAILURE;
        }
    }
}
