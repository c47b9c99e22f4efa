package io.wsp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house plan's layering, read from the compiled classes (every class a class names is in its
 * constant pool, so an import, a fully qualified name and a signature all count): the manifest is
 * read without the catalog (the catalog's planner takes a manifest, so the other way round would be a
 * cycle), and no package depends on itself through others.
 */
class PackageDependenciesTest {
    private static final Pattern CLASS_NAME = Pattern.compile("io/wsp4j/([a-z0-9_/]+)/[A-Z]");

    /** package → the packages its classes name, each with one class that names it. */
    static Map<String, Map<String, String>> uses;

    @BeforeAll
    static void readTheClasses() throws Exception {
        Path classes = Path.of(PackageDependenciesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("classes");
        assertTrue(Files.isDirectory(classes.resolve("io/wsp4j/cli")), "the main classes beside the tests': " + classes);
        uses = new TreeMap<>();
        try (Stream<Path> all = Files.walk(classes.resolve("io/wsp4j"))) {
            all.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String from = packageOf(classes.relativize(p.getParent()).toString().replace('\\', '/'));
                Map<String, String> to = uses.computeIfAbsent(from, k -> new TreeMap<>());
                Matcher m = CLASS_NAME.matcher(new String(read(p), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String target = packageOf("io/wsp4j/" + m.group(1));
                    if (!target.equals(from)) to.putIfAbsent(target, classes.relativize(p).toString());
                }
            });
        }
    }

    private static String packageOf(String path) {
        return path.replace('/', '.');
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theScanSeesTheDependenciesThatAreMeantToBeThere() {
        assertTrue(uses.get("io.wsp4j.catalog").containsKey("io.wsp4j.manifest"), "the planner takes a manifest: " + uses.get("io.wsp4j.catalog"));
        assertTrue(uses.get("io.wsp4j.cli").containsKey("io.wsp4j.catalog"), uses.get("io.wsp4j.cli").toString());
        assertTrue(uses.get("io.wsp4j.manifest").containsKey("io.wsp4j.winsock"), uses.get("io.wsp4j.manifest").toString());
    }

    @Test
    void theManifestIsReadWithoutTheCatalog() {
        List<String> wrong = new ArrayList<>();
        uses.get("io.wsp4j.manifest").forEach((to, by) -> {
            if (to.equals("io.wsp4j.catalog") || to.startsWith("io.wsp4j.catalog.")) wrong.add(by + " names " + to);
        });
        assertEquals(List.of(), wrong, "manifest must not use catalog: the types both need (Bitness, Guids, LspCategory, the"
                + " protocol names) live in winsock, JSON error text in json");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) continue;
            StringBuilder why = new StringBuilder(String.join(" ↔ ", component) + ":");
            for (String from : component) {
                uses.get(from).forEach((to, by) -> {
                    if (component.contains(to)) why.append("\n  ").append(by).append(" names ").append(to);
                });
            }
            cycles.add(why.toString());
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    /** Tarjan's strongly connected components of the package graph. */
    private static List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String p : uses.keySet()) if (!index.containsKey(p)) visit(p, index, low, stack, onStack, out, next);
        return out;
    }

    private static void visit(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                              Set<String> onStack, List<Set<String>> out, int[] next) {
        index.put(p, next[0]);
        low.put(p, next[0]++);
        stack.push(p);
        onStack.add(p);
        for (String q : uses.getOrDefault(p, Map.of()).keySet()) {
            if (!index.containsKey(q)) {
                visit(q, index, low, stack, onStack, out, next);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (onStack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> component = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                onStack.remove(q);
                component.add(q);
            } while (!q.equals(p));
            out.add(component);
        }
    }
}
