package io.wsp4j.provider;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** The SPI structs the provider reads on its hot path (Windows x64 layouts). */
final class SpiLayouts {
    private SpiLayouts() {}

    // PROVISIONAL until the generated bindings are merged: then WSABUF.layout().
    static final StructLayout WSABUF = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("len"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("buf")).withName("_WSABUF");

    private static final VarHandle WSABUF_LEN = WSABUF.varHandle(MemoryLayout.PathElement.groupElement("len"));
    private static final VarHandle WSABUF_BUF = WSABUF.varHandle(MemoryLayout.PathElement.groupElement("buf"));

    static int wsabufLen(MemorySegment wsabuf) {
        return (int) WSABUF_LEN.get(wsabuf, 0L);
    }

    static MemorySegment wsabufBuf(MemorySegment wsabuf) {
        return (MemorySegment) WSABUF_BUF.get(wsabuf, 0L);
    }
}
