package io.wsp4j.provider;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few reads and writes the data-path entries make through a caller's raw pointer (see
 * {@link SpiEntry.Pointers#RAW}): through one segment spanning the address space, so a call wraps no
 * pointer in a segment of its own. Callers check for NULL; the memory is the caller's, valid for the
 * call.
 */
final class RawMemory {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private RawMemory() {}

    static int getInt(long address) {
        return ALL.get(ValueLayout.JAVA_INT, address);
    }

    static void setInt(long address, int value) {
        ALL.set(ValueLayout.JAVA_INT, address, value);
    }
}
