package io.wsp4j.host;

/**
 * One packet dequeued from an I/O completion port ({@link Ws2#GetQueuedCompletionStatus}): the
 * completion key the handle was associated with, the address of the request's OVERLAPPED (0 for a
 * {@link Ws2#PostQueuedCompletionStatus} without one), the bytes transferred and the request's Winsock
 * error (0: success).
 */
public record QueuedCompletion(long key, long overlapped, int bytes, int error) {}
