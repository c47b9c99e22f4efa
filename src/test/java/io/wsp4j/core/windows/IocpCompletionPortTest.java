package io.wsp4j.core.windows;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.CompletionPortSuite;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The shared CompletionPort contract on the IOCP backend. Windows only; events are signalled with SetEvent as WPUSetEvent does. */
@EnabledOnOs(OS.WINDOWS)
class IocpCompletionPortTest extends CompletionPortSuite {

    @Override
    protected CompletionPort newPort() {
        return new IocpCompletionPort();
    }

    @Override
    protected void signal(long event) {
        assertTrue(Kernel32.setEvent(MemorySegment.ofAddress(event)), () -> "SetEvent: error " + Kernel32.lastError());
    }

    @Test
    void closedPortRefusesUse() {
        port.close();
        assertThrows(IllegalStateException.class, () -> port.post(1));
        port = newPort();
    }
}
