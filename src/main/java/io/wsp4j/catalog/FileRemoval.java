package io.wsp4j.catalog;

/** What became of a provider file that an uninstall was asked to delete. */
public enum FileRemoval {
    DELETED("deleted"),
    /** Windows: still mapped by running processes; MoveFileExW(MOVEFILE_DELAY_UNTIL_REBOOT) deletes it at the next boot. */
    AT_REBOOT("will be deleted at the next reboot (still loaded by running programs)"),
    ABSENT("was already gone");

    private final String description;

    FileRemoval(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
