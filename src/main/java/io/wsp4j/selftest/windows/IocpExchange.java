package io.wsp4j.selftest.windows;

import io.wsp4j.selftest.Exchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A loopback exchange the way a Windows server built on I/O completion ports does it: the JDK's
 * asynchronous channels, which on Windows are an I/O completion port with AcceptEx (the accept),
 * ConnectEx (the connect) and overlapped WSARecv/WSASend (reads and writes), each extension function
 * got with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) as every such program gets it. With wsp4j
 * installed and this process allowed, those are the provider's own extension functions and its
 * overlapped completion through WPUCompleteOverlappedRequest.
 */
final class IocpExchange {
    private static final long TIMEOUT_SECONDS = 15;
    private static final byte[] REQUEST = "POST /wsp4j-selftest/iocp HTTP/1.0\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY = ("HTTP/1.0 200 OK\r\nContent-Length: 24\r\n\r\n" + "completed through IOCP.\n").getBytes(StandardCharsets.US_ASCII);

    private IocpExchange() {}

    static Exchange run() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            InetSocketAddress listening = (InetSocketAddress) server.getLocalAddress();
            Future<AsynchronousSocketChannel> accepting = server.accept();
            client.connect(listening).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long clientSent, serverSent, clientGot, serverGot;
            InetSocketAddress seen;
            try (AsynchronousSocketChannel served = accepting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                seen = (InetSocketAddress) served.getRemoteAddress();
                clientSent = write(client, REQUEST);
                serverGot = read(served, REQUEST.length);
                serverSent = write(served, REPLY);
                clientGot = read(client, REPLY.length);
            }
            return new Exchange("IOCP/AcceptEx", listening, seen, clientSent, serverSent, clientGot, serverGot);
        }
    }

    private static long write(AsynchronousSocketChannel ch, byte[] data) throws InterruptedException, ExecutionException, TimeoutException {
        ByteBuffer b = ByteBuffer.wrap(data);
        long n = 0;
        while (b.hasRemaining()) n += ch.write(b).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return n;
    }

    private static long read(AsynchronousSocketChannel ch, int expected) throws InterruptedException, ExecutionException, TimeoutException {
        ByteBuffer b = ByteBuffer.allocate(expected);
        long n = 0;
        while (b.hasRemaining()) {
            int got = ch.read(b).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (got < 0) break;
            n += got;
        }
        return n;
    }
}
