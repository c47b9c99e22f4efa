package io.wsp4j.provider;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.wsp4j.bindings.OVERLAPPED;
import io.wsp4j.bindings.WSABUF;
import io.wsp4j.bindings.WSATHREADID;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * One overlapped request of ours below: the OVERLAPPED the lower provider gets (its hEvent an event
 * of our completion port, watched under {@link #key}), the flags DWORD the lower call reports
 * through, and copies of what the caller need not keep after its call returns (its WSATHREADID and
 * WSABUF array, as Winsock allows). The caller's own OVERLAPPED never goes below: we complete it.
 *
 * <p>Fields after the constants are guarded by this object's monitor. The memory is reused only after
 * the lower provider has finished with it ({@link State#FREE}); see {@link OverlappedRequests}.
 */
final class OverlappedRequest {
    /** What the request is, for the author's hooks at completion. */
    enum Kind { RECEIVE, SEND, IOCTL, ACCEPT_EX, CONNECT_EX, DISCONNECT_EX }

    /** What an AcceptEx completion needs: the socket that becomes the connection, and where the addresses are. */
    record AcceptEx(LayeredSocket accepted, long outputBuffer, int receiveLength, int localLength, int remoteLength) {}

    enum State {
        /** In the pool. */
        FREE,
        /** Submitted below; the lower provider owns {@link #lower}. */
        PENDING,
        /** The lower provider finished; the caller is being told. */
        COMPLETING,
        /** The caller was told (aborted by WSPCloseSocket) before the lower provider reported: freed at its report. */
        ORPHANED
    }

    /** WSABUFs copied in place; a longer array gets memory of its own. */
    static final int INLINE_BUFFERS = 8;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            OVERLAPPED.layout().withName("lower"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("reserved"),
            WSATHREADID.layout().withName("thread"),
            MemoryLayout.sequenceLayout(INLINE_BUFFERS, WSABUF.layout()).withName("buffers"));
    private static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    private static final long THREAD = LAYOUT.byteOffset(groupElement("thread"));
    private static final long BUFFERS = LAYOUT.byteOffset(groupElement("buffers"));

    /** The completion key of {@link #event}: this request's index in {@link OverlappedRequests}. */
    final int key;
    /** Our auto-reset event, the lower OVERLAPPED's hEvent, watched on the port for the request's lifetime. */
    final long event;
    private final Arena arena;
    private final MemorySegment memory;
    final MemorySegment lower;
    final MemorySegment thread;
    /** Room for a WSABUF array longer than {@link #INLINE_BUFFERS}, kept for the next such request. */
    private MemorySegment overflow;

    State state = State.FREE;
    /** Parties still using the memory: the submitting call and the completion (an APC holds the latter until it runs). */
    int holds;
    LayeredSocket socket;
    Kind kind;
    /** The caller's OVERLAPPED, completion routine (0: none) and whether the author's hooks observe the completion. */
    long callerOverlapped;
    long completionRoutine;
    boolean hooked;
    /** For {@link Kind#ACCEPT_EX} only. */
    AcceptEx acceptEx;
    /** The caller's WSABUF array, copied: {@link #buffersAddress} and {@link #bufferCount}. */
    long buffersAddress;
    int bufferCount;
    /** The caller has been told (WPUCompleteOverlappedRequest returned, or the APC is queued): our handle is no longer needed. */
    boolean notified;
    /** The result, once {@link State#COMPLETING}. */
    int error;
    int bytes;
    int flags;

    OverlappedRequest(int key, long event, Arena arena) {
        this.key = key;
        this.event = event;
        this.arena = arena;
        this.memory = arena.allocate(LAYOUT);
        this.lower = memory.asSlice(0, OVERLAPPED.layout());
        this.thread = memory.asSlice(THREAD, WSATHREADID.layout());
    }

    /** Address of the flags DWORD the lower call reads and writes (WSPRecv's lpFlags). */
    long flagsAddress() {
        return memory.address() + FLAGS;
    }

    int flagsValue() {
        return memory.get(JAVA_INT, FLAGS);
    }

    /** Under the monitor: a fresh lower OVERLAPPED, its event, the caller's flags, thread id and buffers copied. */
    void prepare(int callerFlags, long lpThreadId, long lpBuffers, int count) {
        lower.fill((byte) 0);
        OVERLAPPED.Internal(lower, OverlappedRequests.WSS_OPERATION_IN_PROGRESS);
        OVERLAPPED.hEvent(lower, MemorySegment.ofAddress(event));
        memory.set(JAVA_INT, FLAGS, callerFlags);
        if (lpThreadId != 0) thread.copyFrom(MemorySegment.ofAddress(lpThreadId).reinterpret(WSATHREADID.sizeof()));
        else thread.fill((byte) 0);
        bufferCount = lpBuffers == 0 || count <= 0 ? 0 : count;
        if (bufferCount == 0) {
            buffersAddress = 0;
            return;
        }
        long size = WSABUF.sizeof() * bufferCount;
        MemorySegment target;
        if (bufferCount <= INLINE_BUFFERS) {
            target = memory.asSlice(BUFFERS, size);
        } else {
            if (overflow == null || overflow.byteSize() < size) overflow = arena.allocate(size, 8);
            target = overflow.asSlice(0, size);
        }
        target.copyFrom(MemorySegment.ofAddress(lpBuffers).reinterpret(size));
        buffersAddress = target.address();
    }

    /** Under the monitor: back to the pool's state. */
    void clear() {
        state = State.FREE;
        socket = null;
        kind = null;
        callerOverlapped = 0;
        completionRoutine = 0;
        hooked = false;
        acceptEx = null;
        notified = false;
        buffersAddress = 0;
        bufferCount = 0;
        error = 0;
        bytes = 0;
        flags = 0;
    }
}
