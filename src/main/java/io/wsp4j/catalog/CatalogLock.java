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
 * The lock of a catalog: an OS file lock on {@code <stateDir>/catalog.lock}, released by the OS when
 * the holder dies (a killed installer never leaves the catalog locked). Writers hold it exclusively
 * and write their pid into the file, for the message the next installer prints (and empty it when
 * they are done, so that a failed transaction leaves the file as it found it); readers share it, so
 * that they never see a catalog half-way through a change.
 */
public final class CatalogLock implements AutoCloseable {
    private static final long POLL_MILLIS = 50;
    static final String FILE = "catalog.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private CatalogLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The exclusive writer lock, waiting up to {@code wait}; creates the directory and the lock file. */
    public static CatalogLock acquire(Path dir, Duration wait) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return waitFor(ch, file, false, wait);
        } catch (IOException e) {
            throw new CatalogException("cannot lock " + file + ": " + e.getMessage(), 0, e);
        }
    }

    /**
     * A reader's lock, shared with other readers and waiting up to {@code wait} for a writer. Creates
     * nothing: without a lock file (a catalog no writer has touched) there is nobody to wait for.
     */
    public static CatalogLock acquireShared(Path dir, Duration wait) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return new CatalogLock(null, null);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            return waitFor(ch, file, true, wait);
        } catch (java.nio.file.NoSuchFileException e) {
            return new CatalogLock(null, null);
        } catch (IOException e) {
            throw new CatalogException("cannot lock " + file + ": " + e.getMessage(), 0, e);
        }
    }

    private static CatalogLock waitFor(FileChannel ch, Path file, boolean shared, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock l = tryLock(ch, shared);
                if (l != null) {
                    if (!shared) {
                        ch.truncate(0);
                        ch.write(java.nio.ByteBuffer.wrap(
                                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    }
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
        } catch (RuntimeException | InterruptedException | IOException e) {
            ch.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new CatalogBusyException("interrupted while waiting for the catalog lock");
            }
            if (e instanceof IOException io) throw io;
            throw (RuntimeException) e;
        }
    }

    /** Null when held elsewhere: by another process, or by another channel of this JVM. */
    private static FileLock tryLock(FileChannel ch, boolean shared) throws IOException {
        try {
            return ch.tryLock(0, Long.MAX_VALUE, shared);
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
        if (channel == null) return;
        try {
            if (!lock.isShared()) channel.truncate(0);
        } catch (IOException ignored) {
            // the pid stays behind; harmless
        }
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
