package io.wsp4j.host;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wsp4j.bindings.fd_set;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** WPUFDIsSet reads a Windows fd_set: fd_count, then fd_count SOCKETs of fd_array. */
@EnabledOnOs(OS.LINUX)
class FdIsSetTest {
    @Test
    void findsOnlyTheCountedSockets() {
        HostUpcalls upcalls = new HostUpcalls(new Windows(), new SocketHandles(), new Catalog(), new HostEvents(), new ApcQueues(new HostEvents()));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(fd_set.layout());
            fd_set.fd_count(set, 2);
            set.set(JAVA_LONG, fd_set.fd_array$offset(), 0x104L);
            set.set(JAVA_LONG, fd_set.fd_array$offset() + 8, 0x208L);
            set.set(JAVA_LONG, fd_set.fd_array$offset() + 16, 0x30cL); // beyond fd_count
            assertEquals(1, upcalls.WPUFDIsSet(0x104L, set));
            assertEquals(1, upcalls.WPUFDIsSet(0x208L, set));
            assertEquals(0, upcalls.WPUFDIsSet(0x30cL, set));
            assertEquals(0, upcalls.WPUFDIsSet(0x104L, MemorySegment.NULL));
        }
    }
}
