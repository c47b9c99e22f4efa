package io.wsp4j.catalog;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * The files this installation can put where a manifest says the shim loads them from: its native
 * shims (built into {@code target/native}), its own jar and the jars that jar's {@code Class-Path}
 * names (beside it, in {@code lib/}).
 *
 * @param nativeDir where the shims were built, if anywhere
 * @param jar       the wsp4j jar the installer runs from (or the one built beside its classes)
 */
public record InstallerFiles(Optional<Path> nativeDir, Optional<Path> jar) {
    /** The 64-bit shim of the platform the installer runs on, and the Windows 32-bit one. */
    public static final String WINDOWS_SHIM = "wsp4j_shim.dll";
    public static final String WINDOWS_SHIM32 = "wsp4j_shim32.dll";
    public static final String LINUX_SHIM = "libwsp4j_shim.so";
    public static final String HOST_BASE_PROVIDER = "libwsp4j_host_base.so";

    /** None: an installer with nothing to copy (every file must already be where the manifest says). */
    public static final InstallerFiles NONE = new InstallerFiles(Optional.empty(), Optional.empty());

    /** This installation's files: beside {@code target/} of the directory the installer runs from. */
    public static InstallerFiles ofThisInstallation() {
        Optional<Path> code = codeSource();
        Optional<Path> root = code.map(Path::getParent).filter(t -> t.getFileName() != null
                && t.getFileName().toString().equals("target")).map(Path::getParent);
        Optional<Path> jar = code.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                .or(() -> root.map(r -> r.resolve("target").resolve("wsp4j.jar")).filter(Files::isRegularFile));
        return new InstallerFiles(root.map(r -> r.resolve("target").resolve("native")), jar);
    }

    /** The shim this installation built for a catalog ({@code windows}: the DLLs; else the Linux host's .so). */
    public Optional<Path> shim(Bitness b, boolean windows) {
        String name = !windows ? (b == Bitness.X64 ? LINUX_SHIM : null) : b == Bitness.X64 ? WINDOWS_SHIM : WINDOWS_SHIM32;
        return name == null ? Optional.empty() : nativeDir.map(d -> d.resolve(name));
    }

    /** The Linux host's base provider as a library (libwsp4j_host_base.so), the shim's lower_provider in a file catalog. */
    public Optional<Path> hostBaseProvider() {
        return nativeDir.map(d -> d.resolve(HOST_BASE_PROVIDER));
    }

    /** The jar's Class-Path, relative to the jar (e.g. "lib/picocli-4.7.7.jar"); empty without a jar. */
    public List<String> jarDependencies() {
        if (jar.isEmpty()) return List.of();
        try (JarFile f = new JarFile(jar.get().toFile())) {
            var manifest = f.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            List<String> deps = new ArrayList<>();
            if (cp != null) for (String d : cp.trim().split("\\s+")) if (!d.isEmpty()) deps.add(d);
            return deps;
        } catch (IOException e) {
            throw new CatalogException("cannot read " + jar.get() + ": " + e.getMessage(), 0, e);
        }
    }

    private static Optional<Path> codeSource() {
        try {
            var source = InstallerFiles.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
