package io.wsp4j.benchmarks;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed price of the FFM boundary that every intercepted WSP call pays: native code calling a
 * Java upcall stub. A downcall into the stub stands in for ws2_32 calling the provider's table entry
 * (the downcall half is the same kind of transition, so this measures the round trip), against a
 * plain, not inlined Java call of the same method.
 *
 * <p>The stub has WSPRecv's shape (SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
 * LPWSAOVERLAPPED_COMPLETION_ROUTINE, LPWSATHREADID, LPINT) → int, and its target returns at once,
 * behind the catch-everything guard every upcall must have. The same crossing into the real tables
 * (wsp4j's layered provider and the host's base provider) is
 * {@code LayerOverheadBenchmark.recvUnknownSocket}: a WSPRecv both reject at once.
 *
 * <p>Two variants show what the stub's Java side allocates: each ADDRESS parameter arrives as a new
 * MemorySegment, which escape analysis removes only when the target inlines into the stub; the same
 * shape with pointers passed as JAVA_LONG (raw addresses) allocates nothing whether it inlines or not.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class UpcallPathBenchmark {
    static final FunctionDescriptor WSP_RECV_SHAPE = FunctionDescriptor.of(JAVA_INT,
            JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    /** WSPRecv's shape with every pointer as a raw 64-bit address (Windows x64: pointers are 64-bit). */
    static final FunctionDescriptor WSP_RECV_SHAPE_RAW = FunctionDescriptor.of(JAVA_INT,
            JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final int NO_ERROR = 0;
    static final int SOCKET_ERROR = -1;

    /** What a pass-through table entry does when there is nothing to do: return at once. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int recvReturningAtOnce(long s, MemorySegment buffers, int bufferCount, MemorySegment bytesReceived,
            MemorySegment flags, MemorySegment overlapped, MemorySegment completionRoutine,
            MemorySegment threadId, MemorySegment errno) {
        try {
            return s == 0 ? SOCKET_ERROR : NO_ERROR;
        } catch (Throwable t) { // an exception escaping an upcall kills the process
            return SOCKET_ERROR;
        }
    }

    /** The same target, free to inline into the stub. */
    static int recvReturningAtOnceInlinable(long s, MemorySegment buffers, int bufferCount,
            MemorySegment bytesReceived, MemorySegment flags, MemorySegment overlapped,
            MemorySegment completionRoutine, MemorySegment threadId, MemorySegment errno) {
        try {
            return s == 0 ? SOCKET_ERROR : NO_ERROR;
        } catch (Throwable t) {
            return SOCKET_ERROR;
        }
    }

    /** The same target taking raw addresses, not inlined. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int recvRawPointers(long s, long buffers, int bufferCount, long bytesReceived, long flags,
            long overlapped, long completionRoutine, long threadId, long errno) {
        try {
            return s == 0 ? SOCKET_ERROR : NO_ERROR;
        } catch (Throwable t) {
            return SOCKET_ERROR;
        }
    }

    @State(Scope.Thread)
    public static class Stub {
        Arena arena;
        MethodHandle callStub;
        MethodHandle callInlinableStub;
        MethodHandle callRawStub;
        long socket = 4;
        MemorySegment buffers;
        MemorySegment bytesReceived;
        MemorySegment flags;
        MemorySegment errno;

        @Setup(Level.Trial)
        public void create() throws ReflectiveOperationException {
            arena = Arena.ofConfined();
            Linker linker = Linker.nativeLinker();
            callStub = stubCaller(linker, "recvReturningAtOnce", WSP_RECV_SHAPE);
            callInlinableStub = stubCaller(linker, "recvReturningAtOnceInlinable", WSP_RECV_SHAPE);
            callRawStub = stubCaller(linker, "recvRawPointers", WSP_RECV_SHAPE_RAW);
            buffers = arena.allocate(16);
            bytesReceived = arena.allocate(JAVA_INT);
            flags = arena.allocate(JAVA_INT);
            errno = arena.allocate(JAVA_INT);
            MethodType expected = MethodType.methodType(int.class, long.class, MemorySegment.class, int.class,
                    MemorySegment.class, MemorySegment.class, MemorySegment.class, MemorySegment.class,
                    MemorySegment.class, MemorySegment.class);
            if (!callStub.type().equals(expected)) throw new IllegalStateException("shape: " + callStub.type());
        }

        /** A downcall handle that calls an upcall stub of {@code target}. */
        private MethodHandle stubCaller(Linker linker, String target, FunctionDescriptor shape)
                throws ReflectiveOperationException {
            MethodHandle handle = MethodHandles.lookup().findStatic(UpcallPathBenchmark.class, target, shape.toMethodType());
            return linker.downcallHandle(linker.upcallStub(handle, shape, arena), shape);
        }

        @TearDown(Level.Trial)
        public void close() {
            arena.close();
        }
    }

    @Benchmark
    public int plainJavaCall(Stub st) {
        return recvReturningAtOnce(st.socket, st.buffers, 1, st.bytesReceived, st.flags,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, st.errno);
    }

    @Benchmark
    public int downcallIntoUpcallStub(Stub st) throws Throwable {
        return (int) st.callStub.invokeExact(st.socket, st.buffers, 1, st.bytesReceived, st.flags,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, st.errno);
    }

    @Benchmark
    public int downcallIntoInlinableUpcallStub(Stub st) throws Throwable {
        return (int) st.callInlinableStub.invokeExact(st.socket, st.buffers, 1, st.bytesReceived, st.flags,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, st.errno);
    }

    @Benchmark
    public int downcallIntoRawPointerUpcallStub(Stub st) throws Throwable {
        return (int) st.callRawStub.invokeExact(st.socket, st.buffers.address(), 1, st.bytesReceived.address(),
                st.flags.address(), 0L, 0L, 0L, st.errno.address());
    }
}
