package io.wsp4j.selftest.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * This JDK's {@code java} launcher under another executable name, for a child JVM the allow-list does
 * not name: the shim matches the allow-list against the name of the running executable
 * ({@code /proc/self/exe}), which a symbolic link or {@code argv[0]} does not change, so the launcher
 * is copied. It finds the JDK from its own location ({@code ../lib}), so {@code lib} beside it links to
 * this JDK's; the JVM itself resolves its home from the real {@code libjvm.so}.
 */
final class RenamedLauncher {
    private RenamedLauncher() {}

    /** {@code DIR/bin/NAME}, a copy of this JDK's launcher, with {@code DIR/lib} linked to this JDK's lib. */
    static Path create(Path dir, String name) throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path launcher = bin.resolve(name);
        Files.copy(javaHome.resolve("bin").resolve("java"), launcher, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = dir.resolve("lib");
        if (!Files.isSymbolicLink(lib)) Files.createSymbolicLink(lib, javaHome.resolve("lib"));
        return launcher;
    }
}
