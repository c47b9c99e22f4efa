package io.wsp4j.selftest.host;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.FileCatalog;
import io.wsp4j.host.Host;
import io.wsp4j.host.InstalledCatalog;
import java.nio.file.Path;

/**
 * A Linux SPI host running the file catalog's 64-bit catalog as installed: a new process's view of the
 * catalog, its providers loaded by path (the native shim for our chains). The shim finds its
 * configuration through WSP4J_SHIM_CONFIG, which the selftest sets for its children.
 */
final class InstalledHost {
    private InstalledHost() {}

    static Host open(Path catalogDir) {
        Host host = new Host();
        try {
            InstalledCatalog.load(host, FileCatalog.open(catalogDir).read().entries(Bitness.X64));
            return host.install();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }
}
