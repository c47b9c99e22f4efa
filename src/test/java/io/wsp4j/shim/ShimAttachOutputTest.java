package io.wsp4j.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.WSAPROTOCOL_INFOW;
import io.wsp4j.bindings.WSPData;
import io.wsp4j.bindings.WSPPROC_TABLE;
import io.wsp4j.bindings.WSPUPCALLTABLE;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attach path in a Java application of someone else: a child JVM (the "application") whose own
 * code, a named module granted native access, loads the shim and calls its WSPStartup; the shim
 * attaches to that JVM and calls wsp4j's entry, which is on the class path. Whatever wsp4j does there,
 * the application's stderr stays empty, and wsp4j's lines go to the shim's log file:
 * <ul>
 * <li>without native access for wsp4j, a restricted method would print JEP 472's warning: wsp4j
 *     declines to start and says why in the log;
 * <li>with it, the provider's own failures (here: no Winsock platform, as no host runs) are logged to
 *     the same file, never through a logger that writes to stderr.
 * </ul>
 */
@EnabledOnOs(OS.LINUX)
class ShimAttachOutputTest {
    private static final String HARNESS_MODULE = "wsp4j.attachharness";
    private static final String HARNESS_MAIN = "io.wsp4j.attachharness.Main";
    private static Path harness;

    @TempDir
    Path dir;

    /** The application: a module of its own (so that native access can be granted to it and not to wsp4j). */
    @BeforeAll
    static void compileHarness() throws IOException {
        Path src = NativeTools.BUILD.resolve("attach-harness-src");
        harness = NativeTools.BUILD.resolve("attach-harness");
        Path pkg = Files.createDirectories(src.resolve("io/wsp4j/attachharness"));
        Files.writeString(src.resolve("module-info.java"), "module " + HARNESS_MODULE + " {}\n");
        Files.writeString(pkg.resolve("Main.java"), """
                package io.wsp4j.attachharness;

                import static java.lang.foreign.ValueLayout.*;

                import java.lang.foreign.*;
                import java.lang.invoke.MethodHandle;
                import java.nio.file.Path;

                /** Calls WSPStartup(2.2, data, info, upcall table by value, proc table) of the library args[0]. */
                public final class Main {
                    public static void main(String[] args) throws Throwable {
                        MemoryLayout[] pointers = new MemoryLayout[Integer.parseInt(args[3])];
                        java.util.Arrays.fill(pointers, ADDRESS);
                        StructLayout upcalls = MemoryLayout.structLayout(pointers);
                        SymbolLookup shim = SymbolLookup.libraryLookup(Path.of(args[0]), Arena.global());
                        MethodHandle startup = Linker.nativeLinker().downcallHandle(shim.find("WSPStartup").orElseThrow(),
                                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS, ADDRESS, upcalls, ADDRESS));
                        try (Arena arena = Arena.ofConfined()) {
                            int status = (int) startup.invokeExact((short) 0x0202, arena.allocate(Long.parseLong(args[1])),
                                    arena.allocate(Long.parseLong(args[2])), arena.allocate(upcalls), arena.allocate(Long.parseLong(args[4])));
                            System.out.println("WSPStartup=" + status);
                        }
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", harness.toString(),
                src.resolve("module-info.java").toString(), pkg.resolve("Main.java").toString());
        assertEquals(0, rc, "the harness compiles");
    }

    private NativeTools.Result runApplication(String enableNativeAccess) throws IOException, InterruptedException {
        Path log = dir.resolve("shim.log");
        Path config = new ShimConfigLines()
                .set("jvm", NativeTools.jvmLibrary())
                .set("entry_class", "io/wsp4j/provider/ShimEntry")
                .set("allow", "java")
                .set("lower_provider", NativeTools.lowerProvider())
                .set("log", log)
                .writeTo(dir.resolve("shim.conf"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=" + enableNativeAccess,
                "-Djava.io.tmpdir=" + dir, "-p", harness.toString(),
                "-cp", NativeTools.PROJECT.resolve("target/classes").toString(),
                "-m", HARNESS_MODULE + "/" + HARNESS_MAIN,
                NativeTools.shimLibrary().toString(), String.valueOf(WSPData.layout().byteSize()),
                String.valueOf(WSAPROTOCOL_INFOW.layout().byteSize()), String.valueOf(WSPUPCALLTABLE.layout().memberLayouts().size()),
                String.valueOf(WSPPROC_TABLE.layout().byteSize())));
        assertEquals(WSPUPCALLTABLE.layout().byteSize(), 8L * WSPUPCALLTABLE.layout().memberLayouts().size(), "pointers only");
        ProcessBuilder builder = new ProcessBuilder(command);
        // The JVM announces these variables on stderr; the application here is started without them.
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().put("WSP4J_SHIM_CONFIG", config.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the application finished");
        return new NativeTools.Result(command, p.exitValue(), out, err);
    }

    private List<String> logLines() throws IOException {
        Path log = dir.resolve("shim.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void withoutNativeAccessWsp4jDeclinesAndTheApplicationsStderrStaysEmpty() throws Exception {
        NativeTools.Result r = runApplication(HARNESS_MODULE);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr(), "nothing on the application's stderr");
        assertTrue(r.stdout().contains("WSPStartup="), "the application's call returned: " + r.stdout());
        List<String> lines = logLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains(" wsp4j ") && l.contains("ERROR: not started")
                && l.contains("--enable-native-access")), () -> "wsp4j's reason in the shim's log: " + lines);
    }

    @Test
    void withNativeAccessTheProvidersFailuresGoToTheShimLogNotStderr() throws Exception {
        NativeTools.Result r = runApplication(HARNESS_MODULE + ",ALL-UNNAMED");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stderr(), "nothing on the application's stderr");
        List<String> lines = logLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains(" wsp4j ") && l.contains("ERROR: WSPStartup: no Winsock platform")),
                () -> "the provider's failure in the shim's log: " + lines);
    }
}
