package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The writer lock of a catalog: an OS file lock on {@code <stateDir>/catalog.lock}, released by the
 * OS when the holder dies (a killed installer never leaves the catalog locked). The file holds the
 * holder's pid, for the message the next installer prints.
 */
public final class CatalogLock implements AutoCloseable {
    private static final long POLL_MILLIS = 50;

    private final FileChannel channel;
    private final FileLock lock;

    private CatalogLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static CatalogLock acquire(Path dir, Duration wait) {
        Path file = dir.resolve("catalog.lock");
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                while (true) {
                    FileLock l = tryLock(ch);
                    if (l != null) {
                        ch.truncate(0);
                        ch.write(java.nio.ByteBuffer.wrap(
                                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                        return new CatalogLock(ch, l);
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        String holder = readHolder(file);
                        throw new CatalogBusyException("the catalog is being changed by another installer"
                                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                                + "; waited " + wait.toMillis() + " ms; try again when it has finished");
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (RuntimeException | InterruptedException e) {
                ch.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new CatalogBusyException("interrupted while waiting for the catalog lock");
                }
                throw (RuntimeException) e;
            }
        } catch (IOException e) {
            throw new CatalogException("cannot lock " + file + ": " + e.getMessage(), 0, e);
        }
    }

    /** Null when held elsewhere: by another process, or by another channel of this JVM. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String readHolder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
