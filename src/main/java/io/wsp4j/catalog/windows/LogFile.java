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
 * shim (its C runtime's {@code fopen(..., "ab")}) and the Java provider ({@code ProviderLog}), in
 * processes of any user. {@code %ProgramData%\wsp4j} is administrators-only, and must stay so (it holds
 * the configuration every targeted process obeys), so the log lives in a folder of its own, prepared
 * by the installer:
 * <ul>
 * <li>the folder: Administrators and SYSTEM full control; Users may only pass through it (no listing,
 *     no new files, no deleting or renaming what it holds): nobody else can plant or swap a file there;
 * <li>the file, created by the installer (so owned by Administrators): Users may write to it — what
 *     {@code GENERIC_WRITE} maps to for a file, as both writers open it with — but not delete it, read
 *     it, nor change its ACL or owner.
 * </ul>
 * Nothing reads the log to decide anything, so what a user can do to it (write lines) changes nothing
 * but the log. Account names are looked up in English, as {@link StateDirectory} does.
 */
final class LogFile {
    private static final Set<AclEntryPermission> TRAVERSE = EnumSet.of(AclEntryPermission.EXECUTE,
            AclEntryPermission.READ_ATTRIBUTES, AclEntryPermission.SYNCHRONIZE);
    /** FILE_GENERIC_WRITE (and reading its attributes): what opening the file for writing asks for. */
    private static final Set<AclEntryPermission> WRITE = EnumSet.of(AclEntryPermission.WRITE_DATA,
            AclEntryPermission.APPEND_DATA, AclEntryPermission.WRITE_ATTRIBUTES, AclEntryPermission.WRITE_NAMED_ATTRS,
            AclEntryPermission.READ_ATTRIBUTES, AclEntryPermission.READ_ACL, AclEntryPermission.SYNCHRONIZE);

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
                                + " of its own (its ACL lets every user write the log, and is set by the installer)");
                    }
                }
            }
            Files.createDirectories(dir);
            secure(dir, file);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CatalogException("cannot prepare the log " + log + " (a folder only administrators change, a file every"
                    + " user may write): " + e.getMessage(), 0, e);
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
                entry(names, "BUILTIN\\Users", WRITE, Set.of())));
    }

    private static AclEntry entry(UserPrincipalLookupService names, String who, Set<AclEntryPermission> perms,
                                  Set<AclEntryFlag> flags) throws IOException {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(names.lookupPrincipalByGroupName(who))
                .setPermissions(perms).setFlags(flags).build();
    }
}
