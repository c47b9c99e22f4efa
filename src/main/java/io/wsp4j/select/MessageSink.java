package io.wsp4j.select;

/**
 * Where the engine's messages go: WPUPostMessage on Windows, the host's window queues on Linux.
 *
 * <p>Called outside every engine lock, possibly from several threads at once. It must not call back
 * into the engine for the same socket.
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * Posts {@code wMsg} to {@code hWnd} with {@code wParam} = the socket and {@code lParam} =
     * WSAMAKESELECTREPLY(event, error).
     *
     * @return true if posted; false if refused (a full queue): the engine keeps the event and posts it
     *     again from {@link SelectEngine#retryRefused()}
     */
    boolean post(long hWnd, int wMsg, long wParam, long lParam);
}
