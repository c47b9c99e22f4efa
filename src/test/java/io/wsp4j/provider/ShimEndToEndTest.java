package io.wsp4j.provider;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.host.Host;
import io.wsp4j.host.ProcessEnvironment;
import io.wsp4j.host.layered.DemoTraffic;
import io.wsp4j.host.layered.LayeredHostInstall;
import io.wsp4j.provider.sample.AccountingProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on the host: the catalog names the native shim as the layered provider; the host
 * loads it and calls its WSPStartup; the shim attaches to this JVM and calls {@link ShimEntry}; the
 * Java provider resolves the chain to the host's base provider; traffic then runs through the table
 * the shim handed back.
 */
@EnabledOnOs(OS.LINUX)
class ShimEndToEndTest {
    @TempDir Path dir;
    private Host host;

    @AfterEach
    void unlayer() throws Throwable {
        ProcessEnvironment.unset("WSP4J_SHIM_CONFIG"); // other tests of this JVM must not inherit it
        if (host != null) host.close();
        ProviderSelection.reset();
        ProviderPlatforms.uninstall();
    }

    @Test
    void theShimAttachesToThisJvmAndTrafficRunsThroughTheJavaProvider() throws Throwable {
        Path shim = Path.of(System.getProperty("basedir", ""), "target", "native", "libwsp4j_shim.so").toAbsolutePath();
        assertTrue(Files.exists(shim), "the build makes " + shim + " (generate-resources)");
        Path log = dir.resolve("shim.log");
        Path config = Files.writeString(dir.resolve("shim.conf"), String.join("\n",
                "# the installer's configuration, for this JVM",
                "jvm=" + Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so"),
                "allow=java",
                "log=" + log, ""));
        ProcessEnvironment.set("WSP4J_SHIM_CONFIG", config.toString());
        Path accounting = dir.resolve("accounting.log");
        ProviderSelection.register(() -> new AccountingProvider(accounting));
        host = new Host().install();
        LayeredHostInstall.install(host, shim.toString());
        int shimCalls = ShimEntry.calls();

        DemoTraffic.Result r = DemoTraffic.run(host, null);

        assertEquals(shimCalls + 1, ShimEntry.calls(), "the host's WSPStartup reached Java through the shim, once");
        assertFalse(Files.exists(log), "the shim logs nothing on success: " + (Files.exists(log) ? Files.readString(log) : ""));
        assertEquals(2, r.accounting().connections());
        assertEquals(r.clientSent() + r.serverSent(), r.accounting().bytesOut());
        assertEquals(r.clientSent() + r.serverSent(), r.accounting().bytesIn());
        assertTrue(r.messages().stream().anyMatch(m -> m.socket() == r.server() && m.event() == io.wsp4j.winsock.FdEvents.FD_CLOSE));
        host.close();
        host = null;
        assertEquals(0, LayeredStartup.references());
        assertTrue(Files.readString(accounting).contains("summary connections=2"));
    }
}
