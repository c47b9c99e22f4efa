package io.wsp4j.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.winsock.ProtocolChain;
import io.wsp4j.winsock.ProtocolInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog images as JSON: the file catalog's format, the journal's before-image and {@code --json}
 * output. Field order is fixed and flags are hex, so equal images give equal bytes and a diff reads
 * like the catalog.
 */
public final class CatalogJson {
    public static final String FORMAT = "wsp4j-catalog/1";
    public static final String APPLICATIONS_FORMAT = "wsp4j-applications/1";
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private CatalogJson() {}

    public static byte[] bytes(JsonNode node) {
        try {
            return (WRITER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applications are written only when the image knows some ("permitted": null = not categorized). */
    public static ObjectNode toJson(CatalogImage image) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode cats = root.putObject("catalogs");
        for (Bitness b : Bitness.values()) {
            if (!image.has(b)) continue;
            ArrayNode arr = cats.putArray(b.label());
            image.entries(b).forEach(e -> arr.add(toJson(e)));
        }
        if (!image.applications().isEmpty()) {
            ArrayNode apps = root.putArray("applications");
            image.applications().forEach((app, permitted) -> {
                ObjectNode a = application(app);
                if (permitted.isPresent()) a.put("permitted", hex(permitted.getAsInt()));
                else a.putNull("permitted");
                apps.add(a);
            });
        }
        return root;
    }

    private static ObjectNode application(AppId app) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("path", app.path());
        if (!app.extra().isEmpty()) a.put("extra", app.extra());
        return a;
    }

    private static AppId applicationFromJson(JsonNode a) {
        return new AppId(a.required("path").asText(), a.has("extra") ? a.get("extra").asText() : "");
    }

    /** The file catalog's applications.json: categorized applications only. */
    public static ObjectNode applicationsToJson(Map<AppId, Integer> categorized) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", APPLICATIONS_FORMAT);
        ArrayNode apps = root.putArray("applications");
        categorized.forEach((app, permitted) -> apps.add(application(app).put("permitted", hex(permitted))));
        return root;
    }

    public static Map<AppId, Integer> applicationsFromJson(JsonNode root, String source) {
        try {
            if (!APPLICATIONS_FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException("format is not " + APPLICATIONS_FORMAT);
            }
            Map<AppId, Integer> apps = new java.util.TreeMap<>();
            for (JsonNode a : root.required("applications")) apps.put(applicationFromJson(a), unhex(a, "permitted"));
            return apps;
        } catch (RuntimeException e) {
            throw new CatalogException(source + " is damaged: " + e.getMessage(), 0, e);
        }
    }

    public static CatalogImage imageFromJson(JsonNode root, String source) {
        try {
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException("format is not " + FORMAT);
            }
            Map<Bitness, List<ProtocolEntry>> cats = new EnumMap<>(Bitness.class);
            var fields = root.required("catalogs").properties();
            for (var f : fields) {
                List<ProtocolEntry> list = new ArrayList<>();
                for (JsonNode e : f.getValue()) list.add(entryFromJson(e));
                cats.put(Bitness.ofLabel(f.getKey()), list);
            }
            CatalogImage image = new CatalogImage(cats);
            for (JsonNode a : root.path("applications")) {
                JsonNode p = a.required("permitted");
                image = image.withApplication(applicationFromJson(a), p.isNull() ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(unhex(a, "permitted")));
            }
            return image;
        } catch (RuntimeException e) {
            throw new CatalogException(source + " is damaged: " + e.getMessage(), 0, e);
        }
    }

    public static ObjectNode toJson(ProtocolEntry e) {
        ProtocolInfo i = e.info();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("catalogId", i.catalogEntryId());
        o.put("providerId", Guids.format(i.providerId()));
        o.put("name", i.protocolName());
        o.put("path", e.path());
        o.put("serviceFlags1", hex(i.serviceFlags1()));
        o.put("serviceFlags2", hex(i.serviceFlags2()));
        o.put("serviceFlags3", hex(i.serviceFlags3()));
        o.put("serviceFlags4", hex(i.serviceFlags4()));
        o.put("providerFlags", hex(i.providerFlags()));
        o.put("chainLen", i.protocolChain().length());
        ArrayNode chain = o.putArray("chain");
        e.chain().forEach(chain::add);
        o.put("version", i.version());
        o.put("addressFamily", i.addressFamily());
        o.put("maxSockAddr", i.maxSockAddr());
        o.put("minSockAddr", i.minSockAddr());
        o.put("socketType", i.socketType());
        o.put("protocol", i.protocol());
        o.put("protocolMaxOffset", i.protocolMaxOffset());
        o.put("networkByteOrder", i.networkByteOrder());
        o.put("securityScheme", i.securityScheme());
        o.put("messageSize", hex(i.messageSize()));
        o.put("providerReserved", i.providerReserved());
        if (e.categories() != 0) o.put("lspCategories", hex(e.categories())); // none: written as before categories existed
        return o;
    }

    public static ProtocolEntry entryFromJson(JsonNode o) {
        List<Integer> chain = new ArrayList<>();
        o.required("chain").forEach(n -> chain.add(n.intValue()));
        int catalogId = o.required("catalogId").intValue();
        return new ProtocolEntry(new ProtocolInfo(
                unhex(o, "serviceFlags1"), unhex(o, "serviceFlags2"), unhex(o, "serviceFlags3"),
                unhex(o, "serviceFlags4"), unhex(o, "providerFlags"),
                Guids.parse(o.required("providerId").asText()),
                catalogId,
                protocolChain(o.required("chainLen").intValue(), chain, catalogId),
                o.required("version").intValue(),
                o.required("addressFamily").intValue(),
                o.required("maxSockAddr").intValue(),
                o.required("minSockAddr").intValue(),
                o.required("socketType").intValue(),
                o.required("protocol").intValue(),
                o.required("protocolMaxOffset").intValue(),
                o.required("networkByteOrder").intValue(),
                o.required("securityScheme").intValue(),
                unhex(o, "messageSize"),
                o.required("providerReserved").intValue(),
                o.required("name").asText()),
                o.required("path").asText(),
                o.has("lspCategories") ? unhex(o, "lspCategories") : 0);
    }

    /** "chain" lists the ids of a protocol chain only: a layered or base entry has none. */
    private static ProtocolChain protocolChain(int chainLen, List<Integer> chain, int catalogId) {
        if (chainLen > ProtocolChain.BASE_PROTOCOL) return new ProtocolChain(chainLen, chain);
        if (!chain.isEmpty()) {
            throw new IllegalArgumentException("chainLen " + chainLen + " with " + chain.size() + " chain entries");
        }
        return chainLen == ProtocolChain.BASE_PROTOCOL ? ProtocolChain.base(catalogId) : new ProtocolChain(chainLen, chain);
    }

    static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static int unhex(JsonNode o, String field) {
        String s = o.required(field).asText();
        if (!s.startsWith("0x")) throw new IllegalArgumentException(field + " is not 0x-hex: " + s);
        return Integer.parseUnsignedInt(s.substring(2), 16);
    }
}
