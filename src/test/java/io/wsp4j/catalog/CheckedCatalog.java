package io.wsp4j.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A catalog for tests that checks, after every WSC* call, what must hold between any two calls of
 * an install, an uninstall or a rollback: each catalog's entries name only their own catalog's shim
 * (no 64-bit entry names the 32-bit shim, and no 32-bit entry the 64-bit one) and every protocol
 * chain names ids of its own catalog only, ending at a base entry of its own protocol (a 32-bit id in
 * the 64-bit catalog would send 64-bit sockets to the wrong entry, or to none). The first violation
 * is kept with the call that caused it.
 */
final class CheckedCatalog implements Catalog {
    private final Catalog inner;
    private final String shim64;
    private final String shim32;
    private final List<String> calls = new ArrayList<>();
    private String violation;

    CheckedCatalog(Catalog inner, String shim64, String shim32) {
        this.inner = inner;
        this.shim64 = shim64;
        this.shim32 = shim32;
    }

    /** The first violation seen, with the calls up to it. */
    Optional<String> violation() {
        return Optional.ofNullable(violation);
    }

    private void check(String call) {
        calls.add(call);
        if (violation != null) return;
        CatalogImage image = inner.read();
        for (Bitness b : Bitness.values()) {
            String foreignShim = b == Bitness.X64 ? shim32 : shim64;
            for (ProtocolEntry e : image.entries(b)) {
                String what = b.label() + "-bit id " + e.info().catalogEntryId() + " \"" + e.info().protocolName() + "\"";
                if (e.path().equals(foreignShim)) {
                    violation = "after " + calls + ": " + what + " names " + foreignShim;
                    return;
                }
                if (!e.isChain()) continue;
                for (int id : e.chain()) {
                    if (image.byId(b, id).isEmpty()) {
                        violation = "after " + calls + ": " + what + " chains through " + e.chain() + ", and " + id
                                + " is not in the " + b.label() + "-bit catalog";
                        return;
                    }
                }
                ProtocolEntry last = image.byId(b, e.chain().getLast()).orElseThrow();
                if (!last.isBase() || !last.triple().equals(e.triple())) {
                    violation = "after " + calls + ": " + what + " (" + e.triple() + ") ends its chain " + e.chain() + " at "
                            + last.info().catalogEntryId() + " \"" + last.info().protocolName() + "\" (" + last.triple() + ")";
                    return;
                }
            }
        }
    }

    @Override public String describe() { return "checked " + inner.describe(); }
    @Override public Set<Bitness> bitnesses() { return inner.bitnesses(); }
    @Override public Path stateDir() { return inner.stateDir(); }
    @Override public CatalogImage read() { return inner.read(); }

    @Override
    public void installProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) {
        inner.installProvider(b, g, p, e);
        check("WSCInstallProvider" + (b == Bitness.X86 ? "32" : ""));
    }

    @Override
    public void installProviderAndChains(UUID g, String p64, String p32, String name, int flags, List<ProtocolEntry> protocols) {
        inner.installProviderAndChains(g, p64, p32, name, flags, protocols);
        check("WSCInstallProviderAndChains64_32");
    }

    @Override
    public boolean installsInto32BitAlone() {
        return inner.installsInto32BitAlone();
    }

    @Override
    public void writeOrder(Bitness b, List<Integer> o) {
        inner.writeOrder(b, o);
        check("WSCWriteProviderOrder" + (b == Bitness.X86 ? "32" : ""));
    }

    @Override
    public void updateProvider(Bitness b, UUID g, String p, List<ProtocolEntry> e) {
        inner.updateProvider(b, g, p, e);
        check("WSCUpdateProvider" + (b == Bitness.X86 ? "32" : ""));
    }

    @Override
    public void deinstallProvider(Bitness b, UUID g) {
        inner.deinstallProvider(b, g);
        check("WSCDeinstallProvider" + (b == Bitness.X86 ? "32" : ""));
    }

    @Override
    public void setProviderCategories(Bitness b, UUID g, int categories) {
        inner.setProviderCategories(b, g, categories);
        check("WSCSetProviderInfo" + (b == Bitness.X86 ? "32" : ""));
    }

    @Override
    public java.util.OptionalInt applicationCategories(AppId app) {
        return inner.applicationCategories(app);
    }

    @Override
    public void setApplicationCategories(AppId app, int permitted) {
        inner.setApplicationCategories(app, permitted);
        check("WSCSetApplicationCategory");
    }

    @Override
    public void restore(CatalogImage image) {
        if (inner.restoresWholesale()) {
            inner.restore(image);
            check("restore");
        } else {
            Reconciler.restore(this, image); // call by call, each one checked
        }
    }

    @Override public boolean restoresWholesale() { return inner.restoresWholesale(); }
    @Override public CatalogLock lock(Duration wait) { return inner.lock(wait); }
    @Override public ShimConfigStore shimConfig() { return inner.shimConfig(); }
    @Override public boolean providerFileExists(String path) { return inner.providerFileExists(path); }
    @Override public void checkWriteAccess() { inner.checkWriteAccess(); }
    @Override public boolean requiresProviderFiles() { return inner.requiresProviderFiles(); }
    @Override public FileRemoval removeProviderFile(Path file) { return inner.removeProviderFile(file); }
}
