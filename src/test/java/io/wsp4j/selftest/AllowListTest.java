package io.wsp4j.selftest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The allow-list as the shim matches it (wsp4j_shim.c, shim_matches): base names, * and ?, case folded on Windows only. */
class AllowListTest {
    @Test
    void aNameMatchesWhole() {
        AllowList linux = new AllowList(List.of("java"), false);
        assertTrue(linux.targets("java"));
        assertFalse(linux.targets("java.exe"));
        assertFalse(linux.targets("wsp4j-untargeted"));
        assertFalse(linux.targets("jav"));
    }

    @Test
    void starIsAnyRunAndQuestionMarkOneCharacter() {
        AllowList a = new AllowList(List.of("java*", "c?rl.exe"), true);
        assertTrue(a.targets("java.exe"));
        assertTrue(a.targets("javaw.exe"));
        assertTrue(a.targets("curl.exe"));
        assertFalse(a.targets("cuurl.exe"));
        assertFalse(a.targets("powershell.exe"));
        assertTrue(new AllowList(List.of("*"), false).targets("anything"));
        assertTrue(new AllowList(List.of("*shell*"), true).targets("powershell.exe"), "a star backtracks");
        assertFalse(new AllowList(List.of(), true).targets("java.exe"), "no pattern: nothing targeted");
        assertFalse(new AllowList(List.of(""), true).targets("java.exe"));
    }

    @Test
    void caseIsFoldedOnWindowsOnly() {
        assertTrue(new AllowList(List.of("JAVA.EXE"), true).targets("java.exe"));
        assertFalse(new AllowList(List.of("JAVA"), false).targets("java"));
    }
}
