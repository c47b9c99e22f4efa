package io.wsp4j.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses provider files that someone other than an administrator could replace: the shim DLL is
 * loaded into every Winsock process, so whoever can write it, or its directory, owns them all.
 *
 * <p>Windows: no ACL entry that applies to the file or its folder may grant write, append, delete,
 * WRITE_DAC or WRITE_OWNER, nor one of a folder further up (to, not including, the volume root)
 * delete, delete-child, WRITE_DAC or WRITE_OWNER, to anyone but Administrators, SYSTEM or
 * TrustedInstaller (principal names as Windows reports them in English;
 * a localized Windows names them otherwise, and then refuses until this learns their SIDs). POSIX: no
 * component may be group- or other-writable (a sticky directory such as /tmp excepted: others
 * cannot replace what they do not own there; a user private group, named like its owner, counts as
 * the owner), and each must be owned by root or by the installing
 * user — the file catalog belongs to that user, so their files are trusted as much as it is.
 */
public final class PathSecurity {
    private static final Set<AclEntryPermission> WRITES = EnumSet.of(AclEntryPermission.WRITE_DATA,
            AclEntryPermission.APPEND_DATA, AclEntryPermission.DELETE, AclEntryPermission.DELETE_CHILD,
            AclEntryPermission.WRITE_ACL, AclEntryPermission.WRITE_OWNER);
    /**
     * Above the file's own folder, adding entries is harmless (C:\ProgramData lets Users create
     * files); what lets someone swap our folder is deleting or renaming it, or taking the ACL.
     */
    private static final Set<AclEntryPermission> REPLACES = EnumSet.of(AclEntryPermission.DELETE,
            AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_ACL, AclEntryPermission.WRITE_OWNER);
    private static final Set<String> TRUSTED_WINDOWS = Set.of("builtin\\administrators", "nt authority\\system",
            "nt service\\trustedinstaller", "creator owner");

    private PathSecurity() {}

    /** Why {@code path} (expanded, absolute) is unsafe, or empty when it is safe. */
    public static Optional<String> unsafeBecause(Path path) {
        try {
            // Strict for the path itself and, when it is a file, the folder that holds it.
            int strictDepth = Files.isDirectory(path) ? 0 : 1;
            int depth = 0;
            for (Path p = path.toAbsolutePath(); p != null; p = p.getParent(), depth++) {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
                boolean acl = Files.getFileStore(p).supportsFileAttributeView(AclFileAttributeView.class)
                        && !Files.getFileStore(p).supportsFileAttributeView("posix");
                // A Windows volume root lets Authenticated Users create folders; what matters is below it.
                if (acl && p.getParent() == null) break;
                Optional<String> why = acl ? windowsWriters(p, depth <= strictDepth ? WRITES : REPLACES) : posixWriters(p);
                if (why.isPresent()) return why;
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot check who may write " + path + ": " + e.getMessage());
        }
    }

    private static Optional<String> posixWriters(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = a.permissions();
        // A user private group (named like its owner, the umask-002 convention) writes as the owner does.
        boolean privateGroup = a.group().getName().equals(a.owner().getName());
        boolean othersWrite = (perms.contains(PosixFilePermission.GROUP_WRITE) && !privateGroup)
                || perms.contains(PosixFilePermission.OTHERS_WRITE);
        if (othersWrite && !(a.isDirectory() && isSticky(p))) {
            return Optional.of(p + " is writable by its group or by others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                    + "); a provider file and every directory above it must be writable only by their owner");
        }
        String owner = a.owner().getName();
        String me = System.getProperty("user.name");
        if (!owner.equals("root") && !owner.equals(me)) {
            return Optional.of(p + " is owned by " + owner + "; a provider file and its directories must belong to root or to you (" + me + ")");
        }
        return Optional.empty();
    }

    /** The sticky bit is not in PosixFilePermission; the "unix" view has the raw mode where available. */
    private static boolean isSticky(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> windowsWriters(Path p, Set<AclEntryPermission> dangerous) throws IOException {
        AclFileAttributeView view = Files.getFileAttributeView(p, AclFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        for (AclEntry e : view.getAcl()) {
            if (e.type() != AclEntryType.ALLOW || e.flags().contains(AclEntryFlag.INHERIT_ONLY)) continue;
            Set<AclEntryPermission> granted = EnumSet.copyOf(e.permissions().isEmpty()
                    ? EnumSet.noneOf(AclEntryPermission.class) : e.permissions());
            granted.retainAll(dangerous);
            if (granted.isEmpty() || trusted(e.principal())) continue;
            return Optional.of(p + " grants " + granted + " to " + e.principal().getName()
                    + "; a provider file and every folder above it must be writable only by Administrators,"
                    + " SYSTEM or TrustedInstaller (install it under %ProgramFiles%)");
        }
        return Optional.empty();
    }

    private static boolean trusted(UserPrincipal principal) {
        return TRUSTED_WINDOWS.contains(principal.getName().toLowerCase(Locale.ROOT));
    }
}
