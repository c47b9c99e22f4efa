package io.wsp4j.catalog.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.provider.windows.WindowsLogChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows only: the log's folder and file get the ACLs {@link LogFile} promises. Users may pass through
 * the folder and append to the file, nothing more; the test's own user (a member of Users) appends
 * through a FILE_APPEND_DATA handle, as the shim and the provider's log do.
 */
@EnabledOnOs(OS.WINDOWS)
class LogFileAclTest {
    @TempDir Path dir;

    private static Set<AclEntryPermission> usersMay(Path p) throws Exception {
        UserPrincipal users = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("BUILTIN\\Users");
        Set<AclEntryPermission> granted = EnumSet.noneOf(AclEntryPermission.class);
        for (AclEntry e : Files.getFileAttributeView(p, AclFileAttributeView.class).getAcl()) {
            if (e.principal().equals(users) && e.type() == AclEntryType.ALLOW) granted.addAll(e.permissions());
        }
        return granted;
    }

    @Test
    void usersPassThroughTheFolderAndWriteTheFileOnly() throws Exception {
        Path folder = dir.resolve("wsp4j-log");
        Path log = folder.resolve("wsp4j.log");
        Files.createDirectories(folder);
        List<AclEntry> original = Files.getFileAttributeView(folder, AclFileAttributeView.class).getAcl();
        try {
            LogFile.secure(folder, log);
            Set<AclEntryPermission> onFolder = usersMay(folder);
            for (AclEntryPermission p : List.of(AclEntryPermission.WRITE_DATA, AclEntryPermission.APPEND_DATA, AclEntryPermission.DELETE,
                    AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_ACL, AclEntryPermission.WRITE_OWNER, AclEntryPermission.READ_DATA)) {
                assertFalse(onFolder.contains(p), "Users may not " + p + " on the folder: " + onFolder);
            }
            Set<AclEntryPermission> onFile = usersMay(log);
            assertTrue(onFile.containsAll(EnumSet.of(AclEntryPermission.APPEND_DATA, AclEntryPermission.SYNCHRONIZE)),
                    "Users may append to the log: " + onFile);
            for (AclEntryPermission p : List.of(AclEntryPermission.WRITE_DATA, AclEntryPermission.DELETE, AclEntryPermission.WRITE_ACL,
                    AclEntryPermission.WRITE_OWNER, AclEntryPermission.READ_DATA)) {
                assertFalse(onFile.contains(p), "Users may not " + p + " on the log: " + onFile);
            }
            assertTrue(new WindowsLogChannel().append(log, "a line\n".getBytes(StandardCharsets.UTF_8)), "appended");
            assertEquals(7, Files.size(log));
        } finally {
            // The owner may always rewrite the ACL: give the folder back its original one so the test can delete what it holds.
            Files.getFileAttributeView(folder, AclFileAttributeView.class).setAcl(original);
            Files.deleteIfExists(log);
        }
    }
}
