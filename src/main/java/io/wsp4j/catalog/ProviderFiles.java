package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.json.JsonErrors;
import io.wsp4j.winsock.Guids;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The files an install puts where the shim loads them from, and the record that lets uninstall take
 * away exactly those: {@code installed-files.json} beside the shim configuration lists each file the
 * install placed (with its SHA-256) and each directory it created. A file that was already there is
 * used as it is and never recorded, so no uninstall ever deletes a file the installer did not put
 * there; a recorded file that changed since is kept too.
 */
public final class ProviderFiles {
    public static final String RECORD_FILE = "installed-files.json";
    private static final String FORMAT = "wsp4j-installed-files/1";

    private ProviderFiles() {}

    /** What an install placed: files (path and hash) and the directories it created, outermost first. */
    public record Record(UUID provider, List<Placed> files, List<Path> directories) {
        public record Placed(String field, Path path, String sha256) {}

        public Record {
            files = List.copyOf(files);
            directories = List.copyOf(directories);
        }

        public byte[] toBytes() {
            ObjectNode o = CatalogJson.MAPPER.createObjectNode();
            o.put("format", FORMAT);
            o.put("provider", Guids.format(provider));
            ArrayNode f = o.putArray("files");
            for (Placed p : files) f.addObject().put("field", p.field()).put("path", p.path().toString()).put("sha256", p.sha256());
            ArrayNode d = o.putArray("directories");
            directories.forEach(x -> d.add(x.toString()));
            return CatalogJson.bytes(o);
        }

        public static Record parse(byte[] bytes, String source) {
            try {
                JsonNode o = CatalogJson.MAPPER.readTree(bytes);
                if (o == null || !FORMAT.equals(o.path("format").asText())) throw new IOException("format is not " + FORMAT);
                UUID provider = Guids.parseOrNull(o.required("provider").asText());
                if (provider == null) throw new IOException("provider is not a GUID");
                List<Placed> files = new ArrayList<>();
                for (JsonNode f : o.required("files")) {
                    files.add(new Placed(f.required("field").asText(), Path.of(f.required("path").asText()), f.required("sha256").asText()));
                }
                List<Path> dirs = new ArrayList<>();
                for (JsonNode d : o.required("directories")) dirs.add(Path.of(d.asText()));
                return new Record(provider, files, dirs);
            } catch (IOException | RuntimeException e) {
                throw new CatalogDamagedException(source + " is damaged (" + JsonErrors.describe(e) + "); it lists the files"
                        + " the install put in place: restore it from a snapshot (`wsp4j rollback --snapshot NAME`) or remove it"
                        + " (uninstall then leaves those files where they are)", e);
            }
        }
    }

    /** The record in {@code stateDir}, if there is one. */
    public static Optional<Record> read(Path stateDir) {
        Path file = stateDir.resolve(RECORD_FILE);
        try {
            return Optional.of(Record.parse(Files.readAllBytes(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + ": " + e.getMessage(), 0, e);
        }
    }

    public static Optional<byte[]> readBytes(Path stateDir) {
        Path file = stateDir.resolve(RECORD_FILE);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CatalogException("cannot read " + file + ": " + e.getMessage(), 0, e);
        }
    }

    public static void writeRecord(Path stateDir, byte[] content) {
        Path file = stateDir.resolve(RECORD_FILE);
        try {
            if (content == null) AtomicFiles.delete(file);
            else AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw new CatalogException("cannot write " + file + ": " + e.getMessage(), 0, e);
        }
    }

    // ------------------------------------------------------------------------------- uninstall

    /**
     * The steps that take away what the install of {@code provider} put in place: each recorded file
     * whose hash still matches, then the directories it created (if empty by then), then the record.
     */
    public static List<Step> uninstallSteps(Path stateDir, UUID provider, List<String> notes) {
        Optional<Record> record = read(stateDir);
        if (record.isEmpty()) return List.of();
        if (!record.get().provider().equals(provider)) {
            notes.add(RECORD_FILE + " lists the files of provider " + Guids.format(record.get().provider()) + ": left as it is");
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        long stamp = System.currentTimeMillis();
        for (Record.Placed p : record.get().files()) {
            Path f = p.path();
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                notes.add(f + " (" + p.field() + ") was already gone");
            } else if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !p.sha256().equals(sha256OrEmpty(f))) {
                notes.add("kept " + f + " (" + p.field() + "): it changed since the install put it there");
            } else {
                steps.add(new Step.RemoveFile(p.field(), f, p.sha256(), f.resolveSibling("." + f.getFileName() + "." + stamp + ".removed")));
            }
        }
        for (Path d : record.get().directories().reversed()) steps.add(new Step.RemoveDirectory(d));
        steps.add(new Step.InstalledFiles(Step.FileContent.ABSENT));
        return steps;
    }

    // ------------------------------------------------------------------ applying and undoing

    /** Applies a file step; the transaction has journaled how to undo it. */
    static void apply(Step.FileStep s, Path stateDir) {
        try {
            switch (s) {
                case Step.MakeDirectory d -> Files.createDirectory(d.dir());
                case Step.PlaceFile p -> place(p);
                case Step.RemoveFile r -> {
                    if (!r.sha256().equals(sha256OrEmpty(r.target()))) {
                        throw new CatalogException(r.target() + " changed since the plan was made; it is kept");
                    }
                    Files.move(r.target(), r.aside(), StandardCopyOption.ATOMIC_MOVE);
                }
                case Step.RemoveDirectory d -> { } // after the commit: files moved aside are still in it
                case Step.InstalledFiles r -> writeRecord(stateDir, r.content());
            }
            if (!(s instanceof Step.InstalledFiles)) AtomicFiles.syncDirectory(parentOf(s));
        } catch (IOException e) {
            throw new CatalogException("cannot " + s.describe() + ": " + e, 0, e);
        }
    }

    /** Whether the file step's outcome is on disk (the transaction's verification). */
    static Optional<String> differs(Step.FileStep s) {
        return switch (s) {
            case Step.MakeDirectory d -> Files.isDirectory(d.dir()) ? Optional.empty() : Optional.of(d.dir() + " was not created");
            case Step.PlaceFile p -> p.sha256().equals(sha256OrEmpty(p.target())) ? Optional.empty()
                    : Optional.of(p.target() + " is not the file that was put there");
            case Step.RemoveFile r -> Files.exists(r.target(), LinkOption.NOFOLLOW_LINKS) ? Optional.of(r.target() + " is still there")
                    : Optional.empty();
            case Step.RemoveDirectory d -> Optional.empty(); // after the commit, and kept when something else is in it
            case Step.InstalledFiles r -> Optional.empty(); // compared with the shim config's bytes by the transaction
        };
    }

    /** Copies to a temp file beside the target, checks the hash, fsyncs, and renames it into place (never over a file). */
    private static void place(Step.PlaceFile p) throws IOException {
        Path dir = p.target().getParent();
        Path tmp = Files.createTempFile(dir, "." + p.target().getFileName() + ".", ".tmp");
        try {
            try (InputStream in = Files.newInputStream(p.source());
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                MessageDigest md = sha256();
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) out.write(b);
                }
                if (!HexFormat.of().formatHex(md.digest()).equals(p.sha256())) {
                    throw new IOException(p.source() + " changed since the plan was made");
                }
                out.force(true);
            }
            try {
                Files.move(tmp, p.target(), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(p.target() + " appeared since the plan was made; it is left as it is", e);
            }
            if (Files.exists(tmp)) throw new IOException("cannot rename " + tmp + " to " + p.target());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Undoes the removals of file steps, last first: what was moved aside goes back. Each undo is safe to repeat, so a crash during a rollback is finished by
     * the next one. Runs before the catalog is restored, so that it never names a missing file.
     */
    static void undoRemovals(List<Step.FileStep> steps) {
        for (Step.FileStep s : steps.reversed()) {
            try {
                if (s instanceof Step.RemoveFile r) {
                    if (Files.exists(r.aside(), LinkOption.NOFOLLOW_LINKS) && !Files.exists(r.target(), LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(r.aside(), r.target(), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            } catch (IOException e) {
                throw new CatalogException("cannot undo \"" + s.describe() + "\": " + e, 0, e);
            }
        }
    }

    /**
     * Undoes the placements of file steps, last first: a placed file goes (only if it is still what
     * was placed; a file with other bytes appeared later and is not ours), with any half-copied temp
     * file; a created directory goes if empty. Runs after the catalog no longer names them.
     */
    static void undoPlacements(List<Step.FileStep> steps) {
        for (Step.FileStep s : steps.reversed()) {
            try {
                if (s instanceof Step.PlaceFile p) {
                    if (p.sha256().equals(sha256OrEmpty(p.target()))) Files.delete(p.target());
                    for (Path t : AtomicFiles.leftovers(p.target().getParent())) {
                        if (t.getFileName().toString().startsWith("." + p.target().getFileName() + ".")) Files.deleteIfExists(t);
                    }
                } else if (s instanceof Step.MakeDirectory d) {
                    if (isEmptyDirectory(d.dir())) Files.delete(d.dir());
                }
            } catch (IOException e) {
                throw new CatalogException("cannot undo \"" + s.describe() + "\": " + e, 0, e);
            }
        }
    }

    /**
     * After the commit: deletes what RemoveFile steps moved aside (at the next reboot where Windows
     * still has a DLL loaded), then the directories the install created, if empty. What cannot be
     * done is said, not thrown: the uninstall itself is done.
     */
    static List<String> finishRemovals(List<Step.FileStep> steps, Catalog catalog) {
        List<String> said = new ArrayList<>();
        for (Step.FileStep s : steps) {
            try {
                if (s instanceof Step.RemoveFile r) {
                    FileRemoval how = catalog.removeProviderFile(r.aside());
                    said.add("removed " + r.target() + (how == FileRemoval.AT_REBOOT ? " (its old bytes " + how.description() + ")" : ""));
                } else if (s instanceof Step.RemoveDirectory d && isEmptyDirectory(d.dir())) {
                    Files.delete(d.dir());
                } else if (s instanceof Step.RemoveDirectory d && Files.isDirectory(d.dir())) {
                    said.add("kept the directory " + d.dir() + ": something else is in it");
                }
            } catch (CatalogException | IOException e) {
                said.add("could not finish \"" + s.describe() + "\": " + e.getMessage());
            }
        }
        return said;
    }

    private static Path parentOf(Step.FileStep s) {
        return switch (s) {
            case Step.MakeDirectory d -> d.dir().getParent();
            case Step.PlaceFile p -> p.target().getParent();
            case Step.RemoveFile r -> r.target().getParent();
            case Step.RemoveDirectory d -> d.dir().getParent();
            case Step.InstalledFiles r -> throw new IllegalArgumentException("the record is written atomically");
        };
    }

    static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The file's SHA-256 in hex; "" when it cannot be read. */
    public static String sha256OrEmpty(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
