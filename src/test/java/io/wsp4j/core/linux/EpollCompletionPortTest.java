package io.wsp4j.core.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.core.CompletionBatch;
import io.wsp4j.core.CompletionPort;
import io.wsp4j.core.CompletionPortSuite;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class EpollCompletionPortTest extends CompletionPortSuite {

    @Override
    protected CompletionPort newPort() {
        return new EpollCompletionPort();
    }

    @Override
    protected void signal(long event) {
        assertTrue(EventFd.set((int) event), "eventfd write");
    }

    @Test
    void watchedSocketCompletesWithItsReadyMask() {
        int[] pair = socketPair();
        try (Arena arena = Arena.ofConfined()) {
            EpollCompletionPort epoll = (EpollCompletionPort) port;
            epoll.watchSocket(pair[0], Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLET, 11);
            CompletionBatch batch = new CompletionBatch(4);
            assertEquals(0, port.poll(batch, QUIET_MILLIS), "nothing to read yet");
            assertEquals(1, Libc.send(pair[1], arena.allocateFrom("x"), 1, 0));
            assertEquals(1, port.poll(batch, LONG_MILLIS));
            assertEquals(11, batch.key(0));
            assertTrue((batch.detail(0) & Epoll.EPOLLIN) != 0, "readable");
            assertEquals(0, port.poll(batch, QUIET_MILLIS), "edge-triggered: no repeat without new data");
            Libc.close(pair[1]);
            assertEquals(1, port.poll(batch, LONG_MILLIS));
            assertTrue((batch.detail(0) & Epoll.EPOLLRDHUP) != 0, "peer closed");
            epoll.unwatchSocket(pair[0]);
        } finally {
            Libc.close(pair[0]);
        }
    }

    @Test
    void unwatchOfAClosedFdIsNotAnError() {
        long e = port.createEvent();
        port.watch(e, 1);
        port.closeEvent(e);
        port.unwatch(e);
        assertEquals(0, port.poll(new CompletionBatch(4), QUIET_MILLIS));
    }

    @Test
    void closedPortRefusesUse() {
        port.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> port.post(1));
        port = newPort();
    }

    private static int[] socketPair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT, 2);
            int rc = Libc.socketpair(1 /* AF_UNIX */, LinuxSockets.SOCK_STREAM | LinuxSockets.SOCK_CLOEXEC, 0, fds);
            assertEquals(0, rc, "socketpair errno " + Libc.errno());
            return new int[] {fds.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 0),
                fds.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 1)};
        }
    }
}
