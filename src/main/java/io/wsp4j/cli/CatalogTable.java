package io.wsp4j.cli;

import io.wsp4j.catalog.Bitness;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.LspCategory;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The catalog as a text table, one row per entry in provider order, chains drawn as [a] → [b]. */
final class CatalogTable {
    private CatalogTable() {}

    static String render(CatalogImage image, Bitness b, java.util.function.Function<ProtocolEntry, String> mark) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "ID", "KIND", "PROTOCOL", "ENTRY"});
        for (ProtocolEntry e : image.entries(b)) {
            rows.add(new String[] {mark.apply(e), Integer.toString(e.info().catalogEntryId()), kind(e),
                    e.isLayered() ? "(hidden)" : Protocols.familyName(e.info().addressFamily()) + " "
                            + Protocols.socketTypeName(e.info().socketType()) + " " + protocol(e),
                    describe(image, b, e)});
        }
        return table(rows);
    }

    /** IPPROTO_* names mean something only for the IP families. */
    private static String protocol(ProtocolEntry e) {
        boolean ip = e.info().addressFamily() == Protocols.AF_INET || e.info().addressFamily() == Protocols.AF_INET6;
        return ip ? Protocols.protocolName(e.info().protocol()) : Integer.toString(e.info().protocol());
    }

    static String kind(ProtocolEntry e) {
        return e.isLayered() ? "layered" : e.isBase() ? "base" : "chain";
    }

    /**
     * A base entry's name; a chain as "[top] → [next] → [base]"; a layered entry's name and GUID; then
     * the LSP categories of an entry that has any.
     */
    static String describe(CatalogImage image, Bitness b, ProtocolEntry e) {
        String categories = e.categories() == 0 ? "" : "  categories: " + LspCategory.describe(e.categories());
        if (!e.isChain()) {
            return e.info().protocolName() + (e.isLayered() ? "  " + io.wsp4j.catalog.Guids.format(e.info().providerId()) : "") + categories;
        }
        return e.chain().stream().map(id -> {
            Optional<ProtocolEntry> link = image.byId(b, id);
            return "[" + link.map(x -> x.info().protocolName()).orElse("missing id " + id) + "]";
        }).collect(Collectors.joining(" → ")) + categories;
    }

    static String table(List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(r[i]);
                if (i < cols - 1) line.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
