package io.wsp4j.selftest.host;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.catalog.ShimConfigFile;
import io.wsp4j.host.Host;
import io.wsp4j.host.HostBaseLibrary;
import io.wsp4j.host.InstalledCatalog;
import io.wsp4j.provider.ProviderPlatforms;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Linux SPI host running the file catalog's 64-bit catalog as installed: a new process's view of the
 * catalog, its providers loaded by path (the native shim for our chains), and the shim configuration's
 * {@code lower_provider} (the host's base provider as a library) bound to this host's base provider, so
 * that the shim can pass a process it does not target through. The shim finds its configuration
 * through WSP4J_SHIM_CONFIG, which the selftest sets for its children.
 */
final class InstalledHost implements AutoCloseable {
    private final Host host;
    private final Optional<Path> lowerProvider;

    private InstalledHost(Host host, Optional<Path> lowerProvider) {
        this.host = host;
        this.lowerProvider = lowerProvider;
    }

    static InstalledHost open(Path catalogDir) {
        FileCatalog catalog = FileCatalog.open(catalogDir);
        Host host = new Host();
        try {
            InstalledCatalog.load(host, catalog.read().entries(Bitness.X64));
            host.install();
            Optional<Path> lower = catalog.shimConfig().read().map(ShimConfigFile::parse).flatMap(c -> c.get("lower_provider")).map(Path::of);
            lower.ifPresent(l -> HostBaseLibrary.bind(host, l));
            return new InstalledHost(host, lower);
        } catch (RuntimeException e) {
            host.close();
            ProviderPlatforms.uninstall();
            throw e;
        }
    }

    Host host() {
        return host;
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            lowerProvider.ifPresent(HostBaseLibrary::unbind);
            ProviderPlatforms.uninstall();
        }
    }
}
