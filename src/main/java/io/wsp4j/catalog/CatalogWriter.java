package io.wsp4j.catalog;

import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

/** The WSC* operations a plan step uses: implemented by real catalogs and by the planner's model. */
public interface CatalogWriter {
    CatalogImage read();

    void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    /**
     * WSCInstallProviderAndChains64_32: a layered service provider into both catalogs in one call. In
     * each catalog a hidden layered entry under {@code providerId} named {@code lspName}, and one protocol
     * chain over the top-most entry matching each (address family, socket type, protocol) of
     * {@code protocols} (nothing else of them is read), the 64-bit catalog's entries with
     * {@code path64} and the 32-bit catalog's with {@code path32}, the chains first in each order.
     * Ids are read back, as with every install.
     */
    void installProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                  List<ProtocolEntry> protocols);

    void writeOrder(Bitness b, List<Integer> order);

    void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    void deinstallProvider(Bitness b, UUID providerId);

    /**
     * WSCSetProviderInfo (WSCSetProviderInfo32 for the 32-bit catalog) with ProviderInfoLspCategories:
     * the LSP categories of every entry of the provider. Windows gives new entries none.
     */
    void setProviderCategories(Bitness b, UUID providerId, int categories);

    /** WSCGetApplicationCategory: the application's permitted LSP categories, empty when it is not categorized. */
    OptionalInt applicationCategories(AppId app);

    /**
     * WSCSetApplicationCategory: adds {@code permitted} to the application's permitted LSP categories
     * (Windows ORs them with those it has; nothing takes a category away).
     */
    void setApplicationCategories(AppId app, int permitted);

    /**
     * Whether {@link #installProvider} can write the 32-bit catalog alone. A 64-bit process on Windows
     * cannot (WSCInstallProvider64_32 is gone since Vista): it re-creates 32-bit entries only as a whole
     * layered provider in both catalogs ({@link #installProviderAndChains}).
     */
    default boolean installsInto32BitAlone() {
        return true;
    }
}
