package io.wsp4j.core.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.CompletionPortSuite;
import io.wsp4j.core.NativeCallException;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The shared CompletionPort contract on the IOCP backend (wait completion packets). Windows only;
 * events are signalled with SetEvent as WPUSetEvent does.
 */
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

    /** The completion the kernel queued before unwatch is taken back out (or dropped): the event's key never arrives. */
    @Test
    void aCompletionQueuedBeforeUnwatchIsNotDelivered() {
        long e = port.createEvent();
        try {
            port.watch(e, 31);
            signal(e);
            port.unwatch(e);
            assertEquals(0, port.poll(new CompletionBatch(8), QUIET_MILLIS));
        } finally {
            port.closeEvent(e);
        }
    }

    /** NtAssociateWaitCompletionPacket refuses a NULL handle: a clear failure, nothing watched, the port still works. */
    @Test
    void watchingNoHandleFails() {
        NativeCallException x = assertThrows(NativeCallException.class, () -> port.watch(0, 1));
        assertTrue(x.getMessage().startsWith("NtAssociateWaitCompletionPacket failed"), x.getMessage());
        port.post(2);
        CompletionBatch batch = new CompletionBatch(8);
        assertEquals(1, port.poll(batch, LONG_MILLIS));
        assertEquals(2, batch.key(0));
    }
}
