package io.wsp4j.core;

/**
 * The event core's one native dependency: event objects that a lower provider signals become
 * completions, drained in batches by a single dispatcher thread.
 *
 * <p>Windows: an I/O completion port; each event is associated with it by a wait completion packet,
 * so the kernel queues the completion itself when the event is signalled; {@link #poll} is
 * {@code GetQueuedCompletionStatusEx}. Linux SPI host: the host's own port
 * ({@code io.wsp4j.host.HostCompletionPort}) over its user-space event objects, a signal queues the
 * key; the host's base provider watches its sockets with {@link io.wsp4j.core.linux.EpollCompletionPort}
 * (epoll; its events are eventfds). All of them run the same abstract test suite.
 *
 * <p>Events are <em>auto-reset</em>: a signal produces at least one completion and is consumed by
 * it, so a persistent watch never spins. Spurious completions are allowed; the consumer re-reads
 * the real state (e.g. with {@code WSPEnumNetworkEvents}) and treats keys it no longer knows as stale.
 * Real failures of the OS calls throw {@link NativeCallException}.
 */
public interface CompletionPort extends AutoCloseable {

    /** Creates an auto-reset event usable as a {@code WSAEVENT} by the lower provider (a HANDLE on Windows, a host event handle on the SPI host, an eventfd with the epoll port). */
    long createEvent();

    /** Closes an event made by {@link #createEvent}; unwatch it first. */
    void closeEvent(long event);

    /** Until {@link #unwatch}, every signal of {@code event} yields at least one completion carrying {@code key}. */
    void watch(long event, long key);

    /** After return, no new completion is queued for {@code event}; one already queued may still be delivered. */
    void unwatch(long event);

    /** Queues a completion carrying {@code key} (wakes the dispatcher); callable from any thread. */
    void post(long key);

    /**
     * Waits up to {@code timeoutMillis} ({@code -1}: forever) for completions and stores their keys
     * in {@code batch}. Returns how many; 0 on timeout. Allocates nothing.
     */
    int poll(CompletionBatch batch, long timeoutMillis);

    /** Releases the port; watched events are unwatched, events themselves stay with their owners. */
    @Override
    void close();
}
