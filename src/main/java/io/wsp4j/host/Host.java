package io.wsp4j.host;

import io.wsp4j.provider.ProviderPlatforms;
import io.wsp4j.select.SelectRules;

/**
 * The Linux SPI host: plays ws2_32 (catalog, provider loading, handle table, the WSPUPCALLTABLE), the
 * base provider over Linux sockets, and windows with message queues, all in this process. Applications
 * use {@link #ws2()}; providers see the host through {@link #platform()}. The base provider's
 * WSPAsyncSelect follows the host's {@link SelectRules} (Windows' by default), and so does wsp4j
 * layered on the host ({@link HostPlatform#selectRules()}).
 *
 * <pre>{@code
 * try (Host host = new Host()) {
 *     Ws2 ws2 = host.ws2();
 *     long hWnd = host.createWindow();
 *     long s = ws2.socket(Ws2Def.AF_INET, Ws2Def.SOCK_STREAM, Ws2Def.IPPROTO_TCP);
 *     ws2.WSAAsyncSelect(s, hWnd, WM_SOCKET, FdEvents.FD_CONNECT | FdEvents.FD_READ);
 *     ...
 *     Msg m = host.getMessage(hWnd, 1000);
 * }
 * }</pre>
 */
public final class Host implements AutoCloseable {
    private final Windows windows;
    private final Catalog catalog = new Catalog();
    private final SocketHandles handles = new SocketHandles();
    private final HostEvents events = new HostEvents();
    private final IoCompletionPorts ports = new IoCompletionPorts();
    private final ApcQueues apcs = new ApcQueues(events);
    private final OverlappedCompletion completion = new OverlappedCompletion(handles, events);
    private final LastError lastError = new LastError();
    private final HostUpcalls upcalls;
    private final HostPlatform platform;
    private final SelectRules rules;
    private final BaseProvider baseProvider;
    private final Ws2 ws2;

    /**
     * A host with the embedded default catalog, Windows' default message-queue limit and the rules
     * {@code -Dwsp4j.asyncselect} names ({@link SelectRules#configured()}).
     */
    public Host() {
        this(SelectRules.configured());
    }

    /** A host whose base provider (and wsp4j layered on it) follows {@code rules}. */
    public Host(SelectRules rules) {
        this(rules, Windows.DEFAULT_QUEUE_LIMIT);
    }

    /** A host whose window queues hold at most {@code queueLimit} messages. */
    public Host(int queueLimit) {
        this(SelectRules.configured(), queueLimit);
    }

    public Host(SelectRules rules, int queueLimit) {
        this.rules = rules;
        this.baseProvider = new BaseProvider(events, completion, lastError, rules);
        this.windows = new Windows(queueLimit);
        this.upcalls = new HostUpcalls(windows, handles, catalog, events, apcs);
        this.platform = new HostPlatform(catalog, events, completion, lastError, rules);
        platform.registerProvider(Catalog.BASE_PROVIDER_PATH, baseProvider.startupSymbol());
        this.ws2 = new Ws2(catalog, platform, upcalls, events, handles, windows, ports, apcs, lastError);
    }

    public Ws2 ws2() {
        return ws2;
    }

    /** The rules the base provider's WSPAsyncSelect follows. */
    public SelectRules rules() {
        return rules;
    }

    public long createWindow() {
        return windows.createWindow();
    }

    public boolean destroyWindow(long hWnd) {
        return windows.destroyWindow(hWnd);
    }

    /** The next message for {@code hWnd}, waiting up to {@code timeoutMillis}; null on timeout. */
    public Msg getMessage(long hWnd, long timeoutMillis) {
        return windows.getMessage(hWnd, timeoutMillis);
    }

    /** The next message for {@code hWnd} if one is queued, else null. */
    public Msg peekMessage(long hWnd) {
        return windows.peekMessage(hWnd);
    }

    /** Messages waiting for {@code hWnd}. */
    public int queuedMessages(long hWnd) {
        return windows.queued(hWnd);
    }

    public Catalog catalog() {
        return catalog;
    }

    public HostPlatform platform() {
        return platform;
    }

    /** The built-in base provider (for tests: its upcall counts prove calls came through its table). */
    public BaseProvider baseProvider() {
        return baseProvider;
    }

    /** Makes this host's platform the current {@link io.wsp4j.provider.ProviderPlatform} of the JVM. */
    public Host install() {
        ProviderPlatforms.install(platform);
        return this;
    }

    /** Socket handles known to ws2's handle table. */
    public int registeredHandles() {
        return handles.size();
    }

    /** Event objects open in this host ({@link HostEvents}): WSACreateEvent's, WPUCreateEvent's and completion ports'. */
    public int openEvents() {
        return events.size();
    }

    /**
     * WSACleanup: every started provider gets its WSPCleanup (the base provider closes its sockets,
     * aborting their pending requests); then the host's completion ports and APC queues close.
     */
    @Override
    public void close() {
        ws2.cleanup();
        ports.closeAll();
        apcs.close();
    }
}
