package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.PathSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shim's log file (the config's {@code log} key), which every targeted process appends to: the
 * shim and the Java provider ({@code ProviderLog}), in processes of any user, both through a handle
 * opened with {@code FILE_APPEND_DATA} alone. {@code %ProgramData%\wsp4j} is administrators-only, and must stay so (it holds
 * the configuration every targeted process obeys), so the log lives in a folder of its own, prepared
 * by the installer:
 * <ul>
 * <li>the folder: Administrators and SYSTEM full control; Users may only pass through it (no listing,
 *     no new files, no deleting or renaming what it holds): nobody else can plant or swap a file there;
 * <li>the file, created by the installer (so owned by Administrators): Users may append to it
 *     (FILE_APPEND_DATA, and the SYNCHRONIZE and FILE_READ_ATTRIBUTES that CreateFileW adds to every
 *     request), not overwrite what is in it, read it, delete it, nor change its ACL or owner.
 * </ul>
 * Nothing reads the log to decide anything. Account names are looked up in English, as
 * {@link StateDirectory} does.
 */
final class LogFile {
    private static final Set<AclEntryPermission> TRAVERSE = EnumSet.of(AclEntryPermission.EXECUTE,
            AclEntryPermission.READ_ATTRIBUTES, AclEntryPermission.SYNCHRONIZE);
    /** What CreateFileW(FILE_APPEND_DATA) asks for: append, and the SYNCHRONIZE and FILE_READ_ATTRIBUTES it always adds. */
    private static final Set<AclEntryPermission> APPEND = EnumSet.of(AclEntryPermission.APPEND_DATA,
            AclEntryPermission.READ_ATTRIBUTES, AclEntryPermission.SYNCHRONIZE);

    private LogFile() {}

    /** The {@code log} value of a shim configuration the installer wrote, if any. */
    static Optional<Path> in(byte[] shimConfig) {
        for (String line : new String(shimConfig, StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.startsWith("log=") || line.length() == 4) continue;
            try {
                return Optional.of(Path.of(line.substring(4)));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Refuses a log in {@code stateDir}, where every file is administrators-only by design. */
    static void checkOutside(Path log, Path stateDir) {
        Path file = log.toAbsolutePath().normalize();
        Path state = stateDir.toAbsolutePath().normalize();
        if (file.startsWith(state) || state.startsWith(file.getParent())) {
            throw new CatalogException("log: " + log + " is in (or holds) " + stateDir + ", whose files only administrators may"
                    + " write; give the log a folder of its own (e.g. %ProgramData%\\wsp4j-log\\wsp4j.log)");
        }
    }

    /**
     * Creates (or re-secures) the folder and the file as the class comment says, then checks the folder.
     * The folder must be new or hold nothing but the log: its ACL is replaced, which must never happen
     * to a folder that is not the log's alone.
     */
    static void prepare(Path log, Path stateDir) {
        checkOutside(log, stateDir);
        Path file = log.toAbsolutePath().normalize();
        Path dir = file.getParent();
        try {
            if (dir.getParent() == null) throw new CatalogException("log: " + log + " is in a volume root; give it a folder of its own");
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    Optional<Path> other = entries.filter(e -> !e.getFileName().equals(file.getFileName())).findFirst();
                    if (other.isPresent()) {
                        throw new CatalogException("log: " + dir + " holds " + other.get().getFileName() + ": the log needs a folder"
                                + " of its own (its ACL lets every user append to the log, and is set by the installer)");
                    }
                }
            }
            Files.createDirectories(dir);
            secure(dir, file);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CatalogException("cannot prepare the log " + log + " (a folder only administrators change, a file every"
                    + " user may append to): " + e.getMessage(), 0, e);
        }
        PathSecurity.unsafeBecause(dir).ifPresent(why -> {
            throw new CatalogException("refusing to keep the log in " + dir + ": " + why);
        });
    }

    /** The two ACLs of the class comment; the file is created (empty) if missing. */
    static void secure(Path dir, Path file) throws IOException {
        UserPrincipalLookupService names = FileSystems.getDefault().getUserPrincipalLookupService();
        Set<AclEntryFlag> inherit = EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
        Set<AclEntryPermission> all = EnumSet.allOf(AclEntryPermission.class);
        Files.getFileAttributeView(dir, AclFileAttributeView.class).setAcl(List.of(
                entry(names, "BUILTIN\\Administrators", all, inherit),
                entry(names, "NT AUTHORITY\\SYSTEM", all, inherit),
                entry(names, "BUILTIN\\Users", TRAVERSE, Set.of())));
        if (!Files.exists(file)) Files.createFile(file);
        Files.getFileAttributeView(file, AclFileAttributeView.class).setAcl(List.of(
                entry(names, "BUILTIN\\Administrators", all, Set.of()),
                entry(names, "NT AUTHORITY\\SYSTEM", all, Set.of()),
                entry(names, "BUILTIN\\Users", APPEND, Set.of())));
    }

    private static AclEntry entry(UserPrincipalLookupService names, String who, Set<AclEntryPermission> perms,
                                  Set<AclEntryFlag> flags) throws IOException {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(names.lookupPrincipalByGroupName(who))
                .setPermissions(perms).setFlags(flags).build();
    }
}
