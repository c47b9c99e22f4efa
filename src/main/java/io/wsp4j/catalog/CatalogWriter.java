package io.wsp4j.catalog;

import java.util.List;
import java.util.UUID;

/** The WSC* operations a plan step uses: implemented by real catalogs and by the planner's model. */
public interface CatalogWriter {
    CatalogImage read();

    void installProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    void writeOrder(Bitness b, List<Integer> order);

    void updateProvider(Bitness b, UUID providerId, String path, List<ProtocolEntry> entries);

    void deinstallProvider(Bitness b, UUID providerId);
}
