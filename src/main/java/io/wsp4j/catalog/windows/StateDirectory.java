package io.wsp4j.catalog.windows;

import io.wsp4j.catalog.CatalogException;
import io.wsp4j.catalog.PathSecurity;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * %ProgramData%\wsp4j holds the shim config that every targeted process obeys (which JVM, which
 * class path), so only administrators may write it. Folders under %ProgramData% inherit "Users may
 * create files", so the installer replaces the folder's ACL with Administrators and SYSTEM: full
 * control, Users: read and execute (inherited by what it holds), then checks the result with
 * {@link PathSecurity}. Account names are looked up in English (a localized Windows fails here,
 * clearly, rather than installing with a writable config).
 */
final class StateDirectory {
    private static final Set<AclEntryFlag> INHERIT = EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
    private static final Set<AclEntryPermission> READ = EnumSet.of(AclEntryPermission.READ_DATA,
            AclEntryPermission.READ_NAMED_ATTRS, AclEntryPermission.EXECUTE, AclEntryPermission.READ_ATTRIBUTES,
            AclEntryPermission.READ_ACL, AclEntryPermission.SYNCHRONIZE);

    private StateDirectory() {}

    static void secure(Path dir) {
        try {
            Files.createDirectories(dir);
            UserPrincipalLookupService names = FileSystems.getDefault().getUserPrincipalLookupService();
            List<AclEntry> acl = List.of(
                    entry(names, "BUILTIN\\Administrators", EnumSet.allOf(AclEntryPermission.class)),
                    entry(names, "NT AUTHORITY\\SYSTEM", EnumSet.allOf(AclEntryPermission.class)),
                    entry(names, "BUILTIN\\Users", READ));
            Files.getFileAttributeView(dir, AclFileAttributeView.class).setAcl(acl);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CatalogException("cannot make " + dir + " writable by administrators only: " + e.getMessage(), 0, e);
        }
        PathSecurity.unsafeBecause(dir).ifPresent(why -> {
            throw new CatalogException("refusing to keep the shim configuration in " + dir + ": " + why);
        });
    }

    private static AclEntry entry(UserPrincipalLookupService names, String who, Set<AclEntryPermission> perms) throws IOException {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(names.lookupPrincipalByGroupName(who))
                .setPermissions(perms).setFlags(INHERIT).build();
    }
}
