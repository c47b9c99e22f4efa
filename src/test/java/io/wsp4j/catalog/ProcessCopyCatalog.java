package io.wsp4j.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A test double of Windows' per-process copy of the catalog over the file catalog: this process sees
 * its own installs, removals and order writes (Microsoft's installer reads ids back right after
 * WSCInstallProvider), but not what its own WSCUpdateProvider changed: until it restarts Winsock
 * (lspadd.cpp: WSACleanup/WSAStartup), its reads show the updated entries as they were. A process
 * started afterwards (a child reading the file catalog) sees the catalog as it is.
 */
public final class ProcessCopyCatalog implements Catalog {
    private final FileCatalog files;
    private final Map<Bitness, Map<UUID, List<ProtocolEntry>>> before = new EnumMap<>(Bitness.class);

    public ProcessCopyCatalog(FileCatalog files) {
        this.files = files;
    }

    @Override
    public CatalogImage read() {
        CatalogImage now = files.read();
        Map<Bitness, List<ProtocolEntry>> shown = new EnumMap<>(Bitness.class);
        now.catalogs().forEach((b, list) -> {
            Map<UUID, List<ProtocolEntry>> old = before.getOrDefault(b, Map.of());
            Map<Integer, ProtocolEntry> oldById = new HashMap<>();
            old.values().forEach(l -> l.forEach(e -> oldById.put(e.info().catalogEntryId(), e)));
            List<ProtocolEntry> out = new ArrayList<>();
            for (ProtocolEntry e : list) out.add(oldById.getOrDefault(e.info().catalogEntryId(), e));
            shown.put(b, out);
        });
        return new CatalogImage(shown);
    }

    @Override
    public void updateProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) {
        List<ProtocolEntry> was = files.read().byProvider(b, g);
        files.updateProvider(b, g, p, e);
        before.computeIfAbsent(b, k -> new HashMap<>()).putIfAbsent(g, was);
    }

    @Override
    public void deinstallProvider(Bitness b, UUID g) {
        files.deinstallProvider(b, g);
        before.getOrDefault(b, new HashMap<>()).remove(g);
    }

    @Override
    public void restore(CatalogImage image) {
        files.restore(image);
        before.clear(); // a wholesale rewrite is not a WSC call; nothing here is stale afterwards
    }

    @Override public boolean restoresWholesale() { return true; }
    @Override public void installProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) { files.installProvider(b, g, p, e); }
    @Override public void installProviderAndChains(UUID g, String p64, String p32, String n, int f, List<ProtocolEntry> ps) {
        files.installProviderAndChains(g, p64, p32, n, f, ps);
    }
    @Override public void writeOrder(Bitness b, List<Integer> o) { files.writeOrder(b, o); }
    @Override public void setProviderCategories(Bitness b, UUID g, int c) { files.setProviderCategories(b, g, c); }
    @Override public java.util.OptionalInt applicationCategories(AppId a) { return files.applicationCategories(a); }
    @Override public void setApplicationCategories(AppId a, int p) { files.setApplicationCategories(a, p); }
    @Override public String describe() { return "process copy of the " + files.describe(); }
    @Override public Set<Bitness> bitnesses() { return files.bitnesses(); }
    @Override public Path stateDir() { return files.stateDir(); }
    @Override public CatalogLock lock(Duration wait) { return files.lock(wait); }
    @Override public ShimConfigStore shimConfig() { return files.shimConfig(); }
    @Override public boolean providerFileExists(String path) { return files.providerFileExists(path); }
    @Override public void checkWriteAccess() { files.checkWriteAccess(); }
    @Override public boolean requiresProviderFiles() { return files.requiresProviderFiles(); }
    @Override public FileRemoval removeProviderFile(Path file) { return files.removeProviderFile(file); }
}
