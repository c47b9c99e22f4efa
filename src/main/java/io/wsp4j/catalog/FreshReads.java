package io.wsp4j.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * A catalog whose reads stay true after this process changed it: {@link #readFresh()} always asks a
 * new process ({@link FreshCatalogReader}), and so does {@link #read()} once this process has called
 * WSCUpdateProvider or WSCInstallProviderAndChains64_32, whose changes its own copy of the catalog
 * does not show (and WSCSetProviderInfo, whose effect on it is not documented). Until then reads are in-process, as Microsoft's installer reads back what
 * WSCInstallProvider, WSCDeinstallProvider and WSCWriteProviderOrder did. Everything else is the
 * catalog's own (the lock, the state checks and the id counters a journal keeps included).
 */
public final class FreshReads implements Catalog {
    private final Catalog catalog;
    private final FreshCatalogReader fresh;
    private volatile boolean copyIsStale;

    public FreshReads(Catalog catalog, FreshCatalogReader fresh) {
        this.catalog = catalog;
        this.fresh = fresh;
    }

    /** The catalog whose reads this keeps true (for what only a file catalog has: its files, its repairs). */
    public Catalog underlying() {
        return catalog;
    }

    @Override
    public CatalogImage read() {
        return copyIsStale ? fresh.read() : catalog.read();
    }

    @Override
    public CatalogImage readFresh() {
        return fresh.read();
    }

    @Override
    public void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries) {
        copyIsStale = true; // even a failed call may have changed something
        catalog.updateProvider(b, providerId, path, entries);
    }

    @Override
    public void installProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                         List<ProtocolEntry> protocols) {
        copyIsStale = true;
        catalog.installProviderAndChains(providerId, path64, path32, lspName, serviceFlags, protocols);
    }

    /** Whether this process's copy shows categories set here is not documented: read them fresh too. */
    @Override
    public void setProviderCategories(Bitness b, UUID providerId, int categories) {
        copyIsStale = true;
        catalog.setProviderCategories(b, providerId, categories);
    }

    @Override public OptionalInt applicationCategories(AppId app) { return catalog.applicationCategories(app); }
    @Override public void setApplicationCategories(AppId app, int permitted) { catalog.setApplicationCategories(app, permitted); }

    /** A catalog that restores through WSC* calls does it through this one, so that its reads stay true. */
    @Override
    public void restore(CatalogImage image) {
        if (catalog.restoresWholesale()) catalog.restore(image);
        else Reconciler.restore(this, image);
    }

    @Override public boolean restoresWholesale() { return catalog.restoresWholesale(); }
    @Override public String describe() { return catalog.describe(); }
    @Override public Set<Bitness> bitnesses() { return catalog.bitnesses(); }
    @Override public Path stateDir() { return catalog.stateDir(); }
    @Override public void installProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) { catalog.installProvider(b, g, p, e); }
    @Override public void writeOrder(Bitness b, List<Integer> order) { catalog.writeOrder(b, order); }
    @Override public void deinstallProvider(Bitness b, UUID g) { catalog.deinstallProvider(b, g); }
    @Override public boolean installsInto32BitAlone() { return catalog.installsInto32BitAlone(); }
    @Override public CatalogLock lock(Duration wait) { return catalog.lock(wait); }
    @Override public CatalogLock readLock(Duration wait) { return catalog.readLock(wait); }
    @Override public void checkState() { catalog.checkState(); }
    @Override public Optional<byte[]> idCounters() { return catalog.idCounters(); }
    @Override public void restoreIdCounters(byte[] saved) { catalog.restoreIdCounters(saved); }
    @Override public ShimConfigStore shimConfig() { return catalog.shimConfig(); }
    @Override public boolean providerFileExists(String path) { return catalog.providerFileExists(path); }
    @Override public void checkWriteAccess() { catalog.checkWriteAccess(); }
    @Override public boolean requiresProviderFiles() { return catalog.requiresProviderFiles(); }
    @Override public FileRemoval removeProviderFile(Path file) { return catalog.removeProviderFile(file); }
}
