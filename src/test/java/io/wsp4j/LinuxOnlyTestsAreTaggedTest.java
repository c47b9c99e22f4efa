package io.wsp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn -B verify} on Windows runs only what can run there: every test class that uses something
 * only Linux has (the SPI host, libc/epoll, the shim's shared library and the gcc/nm/sh tools that build
 * and inspect it, the mingw probe's tool lookup, the file catalog's POSIX paths and permissions, the sh
 * launchers, the demo on the host) is tagged {@code @EnabledOnOs(OS.LINUX)} (or {@code @DisabledOnOs(OS.WINDOWS)}), directly:
 * JUnit does not inherit the condition from an abstract suite. Read from the sources, following each
 * class's superclasses and interfaces within the tests.
 */
class LinuxOnlyTestsAreTaggedTest {
    private static final Path TESTS = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("src/test/java");
    /** What only Linux has, as it shows in a test's source. */
    private static final Pattern LINUX_ONLY = Pattern.compile(String.join("|",
            "^package io\\.wsp4j\\.(host|shim)\\b", // the Linux SPI host; the shim's Linux shared library
            "\\bio\\.wsp4j\\.host\\.", "\\bnew Host\\(", "\\bHostSuite\\b", "\\bLayeredHostInstall\\b", "\\bAccountingOverHost\\b",
            "\\bio\\.wsp4j\\.core\\.linux\\b", "\\bLibc\\b", "\\bEpoll\\w*", "\\bEventFd\\b", "\\bLinuxSockets\\b",
            "\\bNativeTools\\b", "\\bProcessEnvironment\\b", "\\bMingwProbe\\b",
            "\\bFileCatalog\\b", "\\bTestProvider\\b", "\"demo\", \"--catalog\"", "\\bChildCli\\b", "setPosixFilePermissions", "\"sh\"", "#!/bin/sh"),
            Pattern.MULTILINE);
    private static final Pattern TAGGED = Pattern.compile(
            "@EnabledOnOs\\((value\\s*=\\s*)?(OS\\.)?LINUX\\)|@DisabledOnOs\\((value\\s*=\\s*)?(OS\\.)?WINDOWS\\)");
    private static final Pattern SUPERTYPES = Pattern.compile("\\bclass\\s+\\w+(?:<[^>]*>)?\\s*(?:extends\\s+([\\w.]+))?"
            + "(?:\\s*implements\\s+([\\w.,\\s]+?))?\\s*\\{");

    private static Map<String, String> sources() {
        Map<String, String> bySimpleName = new HashMap<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                bySimpleName.put(f.getFileName().toString().replace(".java", ""), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bySimpleName;
    }

    /** Whether the class or one of its supertypes among the tests uses something only Linux has. */
    static boolean linuxOnly(String name, Map<String, String> sources) {
        String source = sources.get(name);
        if (source == null) return false;
        if (LINUX_ONLY.matcher(source).find()) return true;
        Matcher m = SUPERTYPES.matcher(source);
        if (!m.find()) return false;
        List<String> supertypes = new ArrayList<>();
        if (m.group(1) != null) supertypes.add(m.group(1));
        if (m.group(2) != null) for (String t : m.group(2).split(",")) supertypes.add(t.strip());
        for (String t : supertypes) {
            String simple = t.substring(t.lastIndexOf('.') + 1);
            if (!simple.equals(name) && linuxOnly(simple, sources)) return true;
        }
        return false;
    }

    @Test
    void everyLinuxOnlyTestClassIsTaggedSo() {
        Map<String, String> sources = sources();
        List<String> untagged = new ArrayList<>();
        int linuxOnly = 0;
        for (var e : sources.entrySet()) {
            String source = e.getValue();
            boolean concreteTest = e.getKey().endsWith("Test") && !source.matches("(?s).*\\babstract\\s+class\\s+" + e.getKey() + "\\b.*");
            if (!concreteTest || !linuxOnly(e.getKey(), sources)) continue;
            linuxOnly++;
            if (!TAGGED.matcher(source).find()) untagged.add(e.getKey());
        }
        assertEquals(List.of(), untagged.stream().sorted().toList(), "Linux-only test classes without @EnabledOnOs(OS.LINUX)");
        assertTrue(linuxOnly > 30, "the host, shim and file-catalog tests were found: " + linuxOnly);
    }

    @Test
    void aSuitesConcreteTestInheritsItsNeeds() {
        Map<String, String> sources = sources();
        assertTrue(linuxOnly("LayeredConformanceTest", sources), "through the host's AsyncSelect suite");
        assertTrue(linuxOnly("EpollCompletionPortTest", sources));
        assertTrue(!linuxOnly("SelectEngineRulesTest", sources), "the engine runs everywhere");
        assertTrue(!linuxOnly("IocpCompletionPortTest", sources), "the shared suite itself needs nothing of Linux");
    }
}
