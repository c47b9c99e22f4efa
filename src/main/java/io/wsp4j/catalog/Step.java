package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.Guids;
import io.wsp4j.winsock.LspCategory;
import io.wsp4j.winsock.ProtocolChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One change a plan makes; applied in order by {@link Transaction}, simulated by {@link Plan}. */
public sealed interface Step {

    /** One line for progress output and the dry-run listing. */
    String describe();

    ObjectNode toJson();

    /** Applies the catalog part of the step (shim config steps are applied by the transaction). */
    void apply(CatalogWriter catalog);

    /** The JSON every step starts from: {"step": name}. */
    private static ObjectNode json(String name) {
        return CatalogJson.MAPPER.createObjectNode().put("step", name);
    }

    /** {"step": name, "catalog": "64"|"32"}: a step on one of the two catalogs. */
    private static ObjectNode json(String name, Bitness catalog) {
        return json(name).put("catalog", catalog.label());
    }

    /** WSCInstallProvider of one entry; chain ids may name entries installed by earlier steps. */
    record InstallProvider(Bitness catalog, UUID providerId, String path, ProtocolEntry entry, List<IdRef> chain)
            implements Step {
        public InstallProvider {
            chain = List.copyOf(chain);
        }

        @Override
        public String describe() {
            String what = entry.isLayered() ? "layered entry" : "protocol chain";
            return "install " + what + " \"" + entry.info().protocolName() + "\" " + Guids.format(providerId) + " in the "
                    + catalog.label() + "-bit catalog" + (chain.isEmpty() ? "" : ", chain " + chain);
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("installProvider", catalog);
            o.put("providerId", Guids.format(providerId));
            o.put("path", path);
            o.set("entry", CatalogJson.toJson(entry));
            ArrayNode c = o.putArray("chain");
            chain.forEach(r -> c.add(r.toString()));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            ProtocolEntry e = entry;
            if (!chain.isEmpty()) {
                CatalogImage now = c.read();
                List<Integer> ids = new ArrayList<>();
                for (IdRef r : chain) ids.add(r.resolve(catalog, now));
                e = e.withChain(ProtocolChain.of(ids));
            }
            c.installProvider(catalog, providerId, path, List.of(e));
        }
    }

    /**
     * WSCInstallProviderAndChains64_32: our layered provider into both catalogs in one call, each
     * catalog's entries naming its own DLL and its own ids, the chains put first.
     */
    record InstallProviderAndChains(UUID providerId, String path64, String path32, String lspName, int serviceFlags,
                                    List<ProtocolEntry> protocols) implements Step {
        public InstallProviderAndChains {
            protocols = List.copyOf(protocols);
        }

        @Override
        public String describe() {
            return "install layered provider \"" + lspName + "\" " + Guids.format(providerId) + " with its chains over "
                    + protocols.stream().map(ProtocolEntry::triple).toList() + " in the 64- and 32-bit catalogs";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("installProviderAndChains");
            o.put("providerId", Guids.format(providerId));
            o.put("path64", path64);
            o.put("path32", path32);
            o.put("name", lspName);
            o.put("serviceFlags", String.format("0x%08x", serviceFlags));
            ArrayNode a = o.putArray("protocols");
            protocols.forEach(p -> a.add(p.triple()));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            c.installProviderAndChains(providerId, path64, path32, lspName, serviceFlags, protocols);
        }
    }

    /** WSCWriteProviderOrder. */
    record WriteOrder(Bitness catalog, List<IdRef> order) implements Step {
        public WriteOrder {
            order = List.copyOf(order);
        }

        @Override
        public String describe() {
            return "write the " + catalog.label() + "-bit provider order " + compact(order);
        }

        /** "[new F3CEF9D8, new 195A7094, 1001..1012, new 78E50FC9]": runs of existing ids as ranges. */
        static String compact(List<IdRef> order) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i) instanceof IdRef.Installed n) {
                    parts.add("new " + Guids.format(n.providerId()).substring(1, 9));
                    continue;
                }
                int j = i;
                while (j + 1 < order.size() && order.get(j + 1) instanceof IdRef.Existing next
                        && next.id() == ((IdRef.Existing) order.get(j)).id() + 1) j++;
                parts.add(j == i ? order.get(i).toString() : order.get(i) + ".." + order.get(j));
                i = j;
            }
            return "[" + String.join(", ", parts) + "]";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("writeOrder", catalog);
            ArrayNode a = o.putArray("order");
            order.forEach(r -> a.add(r.toString()));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            CatalogImage now = c.read();
            c.writeOrder(catalog, order.stream().map(r -> r.resolve(catalog, now)).toList());
        }
    }

    /** WSCUpdateProvider: rewrites another provider's chains (uninstall --force, repair). */
    record UpdateProvider(Bitness catalog, UUID providerId, String path, List<ProtocolEntry> entries, String reason)
            implements Step {
        public UpdateProvider {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "update provider " + Guids.format(providerId) + " (\"" + entries.getFirst().info().protocolName() + "\") in the "
                    + catalog.label() + "-bit catalog: " + reason;
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("updateProvider", catalog);
            o.put("providerId", Guids.format(providerId));
            o.put("path", path);
            o.put("reason", reason);
            ArrayNode a = o.putArray("entries");
            entries.forEach(e -> a.add(CatalogJson.toJson(e)));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            c.updateProvider(catalog, providerId, path, entries);
        }
    }

    /** WSCDeinstallProvider. */
    record DeinstallProvider(Bitness catalog, UUID providerId, String name) implements Step {
        @Override
        public String describe() {
            return "remove \"" + name + "\" " + Guids.format(providerId) + " from the " + catalog.label() + "-bit catalog";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("deinstallProvider", catalog);
            o.put("providerId", Guids.format(providerId));
            o.put("name", name);
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            c.deinstallProvider(catalog, providerId);
        }
    }

    /**
     * WSCSetProviderInfo(32) with ProviderInfoLspCategories on a layered provider's hidden entry and
     * each of its chain entries (the chains whose first id is the hidden entry's) in one catalog: the
     * entries are found when the step runs, under whatever GUIDs Windows gave the chains.
     */
    record SetLspCategories(Bitness catalog, UUID hiddenGuid, String lspName, int categories) implements Step {
        @Override
        public String describe() {
            return "set the LSP categories " + LspCategory.describe(categories) + " on \"" + lspName + "\" and its chains in the "
                    + catalog.label() + "-bit catalog";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("setLspCategories", catalog);
            o.put("providerId", Guids.format(hiddenGuid));
            o.put("name", lspName);
            o.put("categories", CatalogJson.hex(categories));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            CatalogImage now = c.read();
            ProtocolEntry hidden = now.byProvider(catalog, hiddenGuid).stream().filter(ProtocolEntry::isLayered).findFirst()
                    .orElseThrow(() -> new CatalogException("no layered entry " + Guids.format(hiddenGuid) + " in the "
                            + catalog.label() + "-bit catalog to set categories on"));
            java.util.Set<UUID> guids = new java.util.LinkedHashSet<>(List.of(hiddenGuid));
            int id = hidden.info().catalogEntryId();
            now.entries(catalog).stream().filter(e -> e.isChain() && e.chain().getFirst() == id).forEach(e -> guids.add(e.info().providerId()));
            for (UUID g : guids) c.setProviderCategories(catalog, g, categories);
        }
    }

    /** WSCSetApplicationCategory: adds permitted LSP categories to an application (Windows ORs them). */
    record SetApplicationCategories(AppId app, int permitted) implements Step {
        @Override
        public String describe() {
            return "permit " + LspCategory.describe(permitted) + " to " + app;
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("setApplicationCategory");
            o.put("path", app.path());
            if (!app.extra().isEmpty()) o.put("extra", app.extra());
            o.put("permitted", CatalogJson.hex(permitted));
            return o;
        }

        @Override
        public void apply(CatalogWriter c) {
            c.setApplicationCategories(app, permitted);
        }
    }

    /**
     * A whole file a step writes, or its absence (null bytes) when the step removes the file; equal by
     * its bytes, as a plan compares steps.
     */
    record FileContent(byte[] bytes) {
        public static final FileContent ABSENT = new FileContent(null);

        public boolean absent() {
            return bytes == null;
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileContent c && java.util.Arrays.equals(bytes, c.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return absent() ? "absent" : bytes.length + " bytes";
        }
    }

    /** A step that writes (content present) or removes (absent) one whole file, in one piece. */
    sealed interface WholeFile extends Step permits ShimConfig, InstalledFiles {
        FileContent file();

        /** The file's name in the step's JSON: "writeX" / "removeX". */
        String jsonName();

        default boolean removes() {
            return file().absent();
        }

        /** The bytes to write; null when the step removes the file. */
        default byte[] content() {
            return file().bytes();
        }

        @Override
        default ObjectNode toJson() {
            ObjectNode o = json((removes() ? "remove" : "write") + jsonName());
            if (!removes()) o.put("content", file().text());
            return o;
        }
    }

    /** Writes (content present) or removes (absent) the shim's configuration file. */
    record ShimConfig(FileContent file) implements WholeFile {
        @Override
        public String describe() {
            return removes() ? "remove the shim configuration" : "write the shim configuration (" + file().text().lines().count() + " lines)";
        }

        @Override
        public String jsonName() {
            return "ShimConfig";
        }

        @Override
        public void apply(CatalogWriter c) {
            // the catalog is not involved: Transaction writes the file through the catalog's ShimConfigStore
        }
    }

    /**
     * A step on the file system, not on the catalog: the files the shim loads (placed by install,
     * removed by uninstall) and the record of them. Applied and undone by {@link Transaction}.
     */
    sealed interface FileStep extends Step permits MakeDirectory, PlaceFile, RemoveFile, RemoveDirectory, InstalledFiles {
        @Override
        default void apply(CatalogWriter catalog) {
            // nothing in the catalog: Transaction applies it through ProviderFiles
        }
    }

    /** Creates a directory a placed file needs (it did not exist); install records it, uninstall removes it if empty. */
    record MakeDirectory(Path dir) implements FileStep {
        @Override
        public String describe() {
            return "create the directory " + dir;
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("makeDirectory");
            o.put("path", dir.toString());
            return o;
        }
    }

    /** Copies one of the installer's own files to where the manifest says the shim loads it from (it was not there). */
    record PlaceFile(String field, Path source, Path target, String sha256) implements FileStep {
        @Override
        public String describe() {
            return "put " + field + " in place: " + target + " (from " + source + ")";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("placeFile");
            o.put("field", field);
            o.put("source", source.toString());
            o.put("path", target.toString());
            o.put("sha256", sha256);
            return o;
        }
    }

    /**
     * Removes a file the install put in place (its recorded hash still matches): moved aside to
     * {@code aside} in the same directory, which a rollback moves back and the commit deletes (on
     * Windows a DLL still loaded can be renamed, and is deleted at the next reboot).
     */
    record RemoveFile(String field, Path target, String sha256, Path aside) implements FileStep {
        @Override
        public String describe() {
            return "remove " + target + " (" + field + ", put there by the install)";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("removeFile");
            o.put("field", field);
            o.put("path", target.toString());
            o.put("sha256", sha256);
            o.put("aside", aside.toString());
            return o;
        }
    }

    /**
     * Removes a directory the install created, after the commit (when the files moved aside in it are
     * deleted), if nothing else is in it by then.
     */
    record RemoveDirectory(Path dir) implements FileStep {
        @Override
        public String describe() {
            return "remove the directory " + dir + " once it is empty";
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode o = json("removeDirectory");
            o.put("path", dir.toString());
            return o;
        }
    }

    /** Writes (content present) or removes (absent) the record of the files the install put in place. */
    record InstalledFiles(FileContent file) implements FileStep, WholeFile {
        @Override
        public String describe() {
            return removes() ? "remove the record of the installed files" : "record the installed files (" + ProviderFiles.RECORD_FILE + ")";
        }

        @Override
        public String jsonName() {
            return "InstalledFilesRecord";
        }
    }
}
