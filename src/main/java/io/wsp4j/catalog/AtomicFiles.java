package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
 * the target, fsync the directory. A reader (or a crash) sees the old bytes or the new, never a mix.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The temp-file names {@link #write} uses: ".NAME.DIGITS.tmp". */
    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\..+\\.-?[0-9]+\\.tmp");

    /** Whether {@code fileName} is a temp file of {@link #write} that a crash left behind. */
    public static boolean isLeftover(String fileName) {
        return LEFTOVER.matcher(fileName).matches();
    }

    /** The temp files crashed writes left in {@code dir} (not below it); none when it does not exist. */
    public static java.util.List<Path> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return java.util.List.of();
        try (var s = Files.list(dir)) {
            return s.filter(p -> isLeftover(p.getFileName().toString()) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
        }
    }

    /** Deletes a file and makes the deletion durable. */
    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a rename or delete in {@code dir} durable; Windows cannot open directories, and needs not. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows (NTFS journals metadata itself) or a file system without directory sync.
        }
    }
}
