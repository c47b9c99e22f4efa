package io.wsp4j.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The writing side of the end-to-end benchmarks: blocking JDK channels connected over loopback to the
 * sockets under test, the same for every dispatcher measured. Each round writes one byte on each.
 * Closing resets the connections (SO_LINGER 0), so thousands of them leave no TIME_WAIT behind.
 */
final class LoopbackPeers implements AutoCloseable {
    private final SocketChannel[] channels;
    private final ByteBuffer oneByte = ByteBuffer.allocateDirect(1);
    private int opened;

    LoopbackPeers(int count) {
        channels = new SocketChannel[count];
    }

    /** Connects the next peer to {@code target}; the caller accepts it on the other side. */
    SocketChannel connect(InetSocketAddress target) throws IOException {
        SocketChannel c = SocketChannel.open(target);
        channels[opened++] = c;
        resetOnClose(c);
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return c;
    }

    static void resetOnClose(SocketChannel c) throws IOException {
        c.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    int count() {
        return opened;
    }

    /** One byte on every peer: every socket under test becomes readable. */
    void writeOneByteEach() throws IOException {
        for (int i = 0; i < opened; i++) {
            oneByte.clear();
            if (channels[i].write(oneByte) != 1) throw new IOException("a blocking write of 1 byte wrote nothing");
        }
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < opened; i++) channels[i].close();
    }
}
