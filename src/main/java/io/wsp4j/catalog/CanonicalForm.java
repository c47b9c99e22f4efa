package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog with its ids replaced by stable names ("{GUID}#k": the k-th entry of that provider by
 * id), so that two catalogs compare equal when they hold the same entries, chains and order even if
 * Windows numbered re-created entries differently; with the applications' permitted categories.
 * Verification and rollback compare these.
 */
public final class CanonicalForm {
    private CanonicalForm() {}

    public static Map<Bitness, List<String>> of(CatalogImage image) {
        Map<Bitness, List<String>> out = new EnumMap<>(Bitness.class);
        image.catalogs().forEach((b, entries) -> {
            Map<Integer, String> names = names(entries);
            List<String> lines = new ArrayList<>();
            for (ProtocolEntry e : entries) {
                ObjectNode o = CatalogJson.toJson(e);
                o.put("catalogId", names.get(e.info().catalogEntryId()));
                ArrayNode chain = o.putArray("chain");
                e.chain().forEach(id -> chain.add(names.getOrDefault(id, "missing id " + id)));
                lines.add(o.toString());
            }
            out.put(b, lines);
        });
        return out;
    }

    public static boolean same(CatalogImage a, CatalogImage b) {
        return of(a).equals(of(b)) && a.applications().equals(b.applications());
    }

    /**
     * The first difference, for error messages, in a few words: which catalog and entry, and which of
     * its fields differ (values shortened); empty when the same.
     */
    public static String firstDifference(CatalogImage expected, CatalogImage actual) {
        var x = of(expected);
        var y = of(actual);
        for (Bitness b : Bitness.values()) {
            List<String> ex = x.getOrDefault(b, List.of()), ac = y.getOrDefault(b, List.of());
            for (int i = 0; i < Math.max(ex.size(), ac.size()); i++) {
                String e = i < ex.size() ? ex.get(i) : null;
                String a = i < ac.size() ? ac.get(i) : null;
                if (e != null && e.equals(a)) continue;
                String where = b.label() + "-bit catalog, position " + (i + 1) + ": ";
                if (a == null) return where + "missing " + entryName(e) + " (" + ex.size() + " entries expected, " + ac.size() + " found)";
                if (e == null) return where + "unexpected " + entryName(a) + " (" + ex.size() + " entries expected, " + ac.size() + " found)";
                return where + entryName(e) + ": " + fieldDifferences(e, a);
            }
        }
        for (AppId app : new java.util.TreeSet<>(union(expected.applications().keySet(), actual.applications().keySet()))) {
            var e = expected.applications().getOrDefault(app, java.util.OptionalInt.empty());
            var a = actual.applications().getOrDefault(app, java.util.OptionalInt.empty());
            if (!e.equals(a)) return "application " + shorten(app.toString()) + ": expected " + permitted(e) + " but found " + permitted(a);
        }
        return "";
    }

    private static java.util.Set<AppId> union(java.util.Set<AppId> a, java.util.Set<AppId> b) {
        java.util.Set<AppId> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String permitted(java.util.OptionalInt p) {
        return p.isPresent() ? "permitted " + LspCategory.describe(p.getAsInt()) : "not categorized";
    }

    private static String entryName(String line) {
        var o = parse(line);
        return "\"" + shorten(o.path("name").asText()) + "\" (" + o.path("catalogId").asText() + ")";
    }

    private static String fieldDifferences(String expected, String actual) {
        var e = parse(expected);
        var a = parse(actual);
        List<String> parts = new ArrayList<>();
        var names = new java.util.LinkedHashSet<String>();
        e.fieldNames().forEachRemaining(names::add);
        a.fieldNames().forEachRemaining(names::add);
        for (String f : names) {
            if (java.util.Objects.equals(e.get(f), a.get(f))) continue;
            parts.add(f + " is " + shorten(String.valueOf(a.get(f))) + " where " + shorten(String.valueOf(e.get(f))) + " was expected");
        }
        if (parts.size() > 3) {
            int more = parts.size() - 3;
            parts = new ArrayList<>(parts.subList(0, 3));
            parts.add("and " + more + " more field" + (more == 1 ? "" : "s"));
        }
        return String.join("; ", parts);
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String line) {
        try {
            return CatalogJson.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shorten(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || Character.isSurrogate((char) c) && c <= 0xFFFF) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.length() <= 60 ? sb.toString() : sb.substring(0, 57) + "...";
    }

    private static Map<Integer, String> names(List<ProtocolEntry> entries) {
        Map<Integer, String> names = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        entries.stream().sorted(Comparator.comparingInt(x -> x.info().catalogEntryId())).forEach(e -> {
            String g = Guids.format(e.info().providerId());
            int k = seen.merge(g, 1, Integer::sum);
            names.put(e.info().catalogEntryId(), g + "#" + k);
        });
        return names;
    }
}
