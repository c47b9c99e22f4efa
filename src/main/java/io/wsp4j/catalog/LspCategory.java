package io.wsp4j.catalog;

import io.wsp4j.bindings.WinApi;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The LSP categories of Windows Vista and later (ws2spi.h): what a layered provider does to traffic,
 * set on its catalog entries with WSCSetProviderInfo(ProviderInfoLspCategories), and what an
 * application permits, set with WSCSetApplicationCategory. Named as the documentation names them.
 */
public enum LspCategory {
    LSP_INSPECTOR(WinApi.LSP_INSPECTOR(), "inspects or filters data"),
    LSP_REDIRECTOR(WinApi.LSP_REDIRECTOR(), "is a network redirector"),
    LSP_PROXY(WinApi.LSP_PROXY(), "acts as a proxy and redirects packets"),
    LSP_FIREWALL(WinApi.LSP_FIREWALL(), "is a firewall"),
    LSP_INBOUND_MODIFY(WinApi.LSP_INBOUND_MODIFY(), "modifies inbound data"),
    LSP_OUTBOUND_MODIFY(WinApi.LSP_OUTBOUND_MODIFY(), "modifies outbound data"),
    LSP_CRYPTO_COMPRESS(WinApi.LSP_CRYPTO_COMPRESS(), "is a cryptography or data compression provider"),
    LSP_LOCAL_CACHE(WinApi.LSP_LOCAL_CACHE(), "is a local cache"),
    LSP_SYSTEM(WinApi.LSP_SYSTEM(), "is acceptable in services and system processes");

    private final int bit;
    private final String meaning;

    LspCategory(int bit, String meaning) {
        this.bit = bit;
        this.meaning = meaning;
    }

    public int bit() {
        return bit;
    }

    /** "inspects or filters data": what the documentation says of it. */
    public String meaning() {
        return meaning;
    }

    /** By its documented name, case-insensitively, with or without the LSP_ prefix. */
    public static Optional<LspCategory> byName(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (!n.startsWith("LSP_")) n = "LSP_" + n;
        for (LspCategory c : values()) if (c.name().equals(n)) return Optional.of(c);
        return Optional.empty();
    }

    public static int mask(Set<LspCategory> categories) {
        int m = 0;
        for (LspCategory c : categories) m |= c.bit;
        return m;
    }

    public static Set<LspCategory> of(int mask) {
        Set<LspCategory> s = EnumSet.noneOf(LspCategory.class);
        for (LspCategory c : values()) if ((mask & c.bit) != 0) s.add(c);
        return s;
    }

    /** "LSP_INSPECTOR | LSP_SYSTEM", "none", with any undocumented bits in hex. */
    public static String describe(int mask) {
        List<String> names = new ArrayList<>();
        int rest = mask;
        for (LspCategory c : values()) {
            if ((mask & c.bit) != 0) {
                names.add(c.name());
                rest &= ~c.bit;
            }
        }
        if (rest != 0) names.add(CatalogJson.hex(rest));
        return names.isEmpty() ? "none" : String.join(" | ", names);
    }

    /**
     * Whether Winsock loads an LSP with categories {@code lsp} into a process whose application
     * permits {@code permitted} (empty: the application is not categorized), as "Categorizing Layered
     * Service Providers and Applications" says: an uncategorized application loads every LSP; a
     * categorized one loads an LSP only if the LSP has a category, every category of the LSP is
     * permitted, and, when the application permits LSP_SYSTEM, the LSP has LSP_SYSTEM. So an LSP with
     * no category is loaded only into applications nobody categorized.
     */
    public static boolean loads(OptionalInt permitted, int lsp) {
        if (permitted.isEmpty()) return true;
        int app = permitted.getAsInt();
        if (lsp == 0 || (lsp & ~app) != 0) return false;
        return (app & LSP_SYSTEM.bit) == 0 || (lsp & LSP_SYSTEM.bit) != 0;
    }
}
