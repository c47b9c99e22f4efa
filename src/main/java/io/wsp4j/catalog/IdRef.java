package io.wsp4j.catalog;

import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.Guids;
import java.util.UUID;

/**
 * A catalog id in a plan: one that exists now, or the id that the entry installed under a GUID will
 * get (unknown until it is installed: WSC* assign ids, and the installer reads them back).
 */
public sealed interface IdRef {
    record Existing(int id) implements IdRef {
        @Override
        public String toString() {
            return Integer.toString(id);
        }
    }

    record Installed(UUID providerId) implements IdRef {
        @Override
        public String toString() {
            return "new " + Guids.format(providerId);
        }
    }

    /** The id now, in catalog {@code b} of {@code catalog}. */
    default int resolve(Bitness b, CatalogImage catalog) {
        return switch (this) {
            case Existing e -> e.id();
            case Installed i -> {
                var found = catalog.byProvider(b, i.providerId());
                if (found.size() != 1) {
                    throw new CatalogException("expected one entry of provider " + Guids.format(i.providerId())
                            + " in the " + b.label() + "-bit catalog, found " + found.size());
                }
                yield found.getFirst().info().catalogEntryId();
            }
        };
    }
}
