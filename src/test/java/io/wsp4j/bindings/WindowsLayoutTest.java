package io.wsp4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated bindings have Windows x64 layouts: every generated struct's size, and every named
 * field's offset and size, equal what mingw-w64's gcc computes for the same headers; every
 * function-pointer type and catalog/kernel32 function has the argument widths of its C prototype.
 */
@EnabledOnOs(OS.LINUX)
class WindowsLayoutTest {
    /** The structs the provider, shim and installer touch: they must be generated (and are then checked below). */
    private static final Set<String> KEY_STRUCTS = Set.of(
            "_WSPPROC_TABLE", "_WSPUPCALLTABLE", "_WSAPROTOCOL_INFOW", "_WSAPROTOCOLCHAIN", "WSPData",
            "_WSABUF", "_OVERLAPPED", "_OVERLAPPED_ENTRY", "_WSANETWORKEVENTS", "sockaddr", "sockaddr_in",
            "sockaddr_in6", "sockaddr_storage", "_GUID", "_QualityOfService", "_flowspec");

    @TempDir
    static Path work;

    private static List<Class<?>> structClasses;

    @BeforeAll
    static void findGeneratedStructs() throws IOException, URISyntaxException {
        Path dir = Path.of(WinApi.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(WinApi.class.getPackageName().replace('.', '/'));
        structClasses = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) continue;
                Class<?> c = loadBinding(file.substring(0, file.length() - ".class".length()));
                if (declaredLayout(c) != null) structClasses.add(c);
            }
        }
    }

    @Test
    void keyStructsAreGenerated() {
        List<String> names = structClasses.stream().map(Class::getSimpleName).toList();
        for (String s : KEY_STRUCTS) assertTrue(names.contains(s), "no generated struct " + s + " in " + names);
    }

    @Test
    void knownWindowsFigures() {
        assertEquals(628, WSAPROTOCOL_INFOW.layout().byteSize(), "sizeof(WSAPROTOCOL_INFOW)");
        assertEquals(30 * 8, WSPPROC_TABLE.layout().byteSize(), "sizeof(WSPPROC_TABLE)");
        assertEquals(30, WSPPROC_TABLE.layout().memberLayouts().size(), "WSPPROC_TABLE entries");
        assertTrue(WSPPROC_TABLE.layout().memberLayouts().stream().allMatch(m -> m instanceof AddressLayout),
                "every WSPPROC_TABLE entry is a function pointer");
        assertEquals(4, WinApi.C_LONG.byteSize(), "C long under LLP64");
    }

    @Test
    void structLayoutsMatchMingwGcc() throws Exception {
        MingwProbe.requireCompiler();
        List<Check> checks = new ArrayList<>();
        for (Class<?> c : structClasses) {
            GroupLayout layout = declaredLayout(c);
            String cType = "struct " + layout.name().orElseThrow();
            checks.add(new Check("sizeof(" + cType + ")", "sizeof(" + cType + ")", layout.byteSize()));
            addFields(checks, cType, layout, layout, "", List.of());
        }
        assertMatches(checks);
    }

    @Test
    void functionSignaturesMatchPrototypes() throws Exception {
        MingwProbe.requireCompiler();
        String declarations = MingwProbe.preprocessedHeaders(work)
                .replaceAll("__attribute__\\s*\\(\\((?:[^()]|\\([^()]*\\))*\\)\\)", " ")
                .replaceAll("\\s+", " ");
        Map<String, Signature> signatures = generatedSignatures();
        List<Check> checks = new ArrayList<>();
        for (var e : signatures.entrySet()) {
            String name = e.getKey();
            Prototype p = Prototype.find(declarations, name);
            Signature s = e.getValue();
            assertEquals(p.parameters().size(), s.arguments().size(), name + ": parameter count");
            if (p.returnType().equals("void")) {
                assertTrue(s.returns().isEmpty(), name + " returns void");
            } else {
                checks.add(new Check(name + " return (" + p.returnType() + ")", "sizeof(" + p.returnType() + ")",
                        s.returns().orElseThrow(() -> new AssertionError(name + " returns nothing"))));
            }
            for (int i = 0; i < p.parameters().size(); i++) {
                checks.add(new Check(name + " parameter " + i + " (" + p.parameters().get(i) + ")",
                        "sizeof(" + p.parameters().get(i) + ")", s.arguments().get(i)));
            }
        }
        for (String name : List.of("LPWSPASYNCSELECT", "LPWSPSTARTUP", "LPWPUPOSTMESSAGE", "WSCEnumProtocols",
                "CreateIoCompletionPort", "GetQueuedCompletionStatusEx", "NtAssociateWaitCompletionPacket")) {
            assertTrue(signatures.containsKey(name), "no generated " + name);
        }
        assertMatches(checks);
    }

    @Test
    void asyncSelectHasLlp64Widths() {
        // SOCKET 8, HWND 8, unsigned int 4, long 4 (LLP64), LPINT 8; returns int.
        FunctionDescriptor d = LPWSPASYNCSELECT.descriptor();
        assertEquals(List.of(8L, 8L, 4L, 4L, 8L), d.argumentLayouts().stream().map(MemoryLayout::byteSize).toList());
        assertEquals(4L, d.returnLayout().orElseThrow().byteSize());
    }

    /** Argument and return widths in bytes of a generated function or function-pointer type. */
    private record Signature(java.util.OptionalLong returns, List<Long> arguments) {
        static Signature of(FunctionDescriptor d) {
            return new Signature(d.returnLayout().map(l -> java.util.OptionalLong.of(l.byteSize())).orElse(java.util.OptionalLong.empty()),
                    d.argumentLayouts().stream().map(MemoryLayout::byteSize).toList());
        }

        /**
         * From a WinApi wrapper's Java types, which jextract derives from the descriptor's layouts
         * (its descriptor itself is only reachable once the symbol resolves, i.e. on Windows).
         */
        static Signature of(Method m) {
            return new Signature(m.getReturnType() == void.class ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(width(m.getReturnType())),
                    Stream.of(m.getParameterTypes()).map(Signature::width).toList());
        }

        private static long width(Class<?> carrier) {
            if (carrier == java.lang.foreign.MemorySegment.class) return 8; // a pointer: none of these take a struct by value
            if (carrier == long.class || carrier == double.class) return 8;
            if (carrier == int.class || carrier == float.class) return 4;
            if (carrier == short.class || carrier == char.class) return 2;
            if (carrier == byte.class || carrier == boolean.class) return 1;
            throw new AssertionError("unexpected carrier " + carrier);
        }
    }

    /** Every LPWSP*, LPWPU*, LPWSC* type and every function WinApi declares. */
    private static Map<String, Signature> generatedSignatures() throws Exception {
        Map<String, Signature> out = new TreeMap<>();
        Path dir = Path.of(WinApi.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(WinApi.class.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                if (name.matches("LP(WSP|WPU|WSC)\\w+")) {
                    out.put(name, Signature.of((FunctionDescriptor) loadBinding(name).getMethod("descriptor").invoke(null)));
                }
            }
        }
        for (Method m : WinApi.class.getMethods()) {
            if (m.getName().endsWith("$descriptor") && m.getParameterCount() == 0) {
                String function = m.getName().substring(0, m.getName().length() - "$descriptor".length());
                List<Method> wrappers = Stream.of(WinApi.class.getMethods()).filter(w -> w.getName().equals(function)).toList();
                assertEquals(1, wrappers.size(), "one wrapper for " + function);
                out.put(function, Signature.of(wrappers.get(0)));
            }
        }
        return out;
    }

    /** One C prototype from the preprocessed headers: return type and parameter types, names dropped. */
    private record Prototype(String returnType, List<String> parameters) {
        static Prototype find(String declarations, String name) {
            Pattern typedef = Pattern.compile("typedef ([^;{}()]+?) ?\\( ?\\* ?" + name + " ?\\) ?\\(([^;]*?)\\) ?;");
            Pattern function = Pattern.compile("(?:^|[;}] )(?:extern )?([^;{}()]+?) " + name + " ?\\(([^;]*?)\\) ?;");
            Matcher m = typedef.matcher(declarations);
            if (!m.find()) {
                m = function.matcher(declarations);
                if (!m.find()) fail("no C prototype for " + name);
            }
            List<String> params = new ArrayList<>();
            String list = m.group(2).trim();
            if (!list.equals("void") && !list.isEmpty()) {
                for (String p : list.split(",")) params.add(typeOf(p.trim()));
            }
            return new Prototype(m.group(1).replace("extern ", "").trim(), params);
        }

        /** "const struct sockaddr *name" → "const struct sockaddr *"; an array parameter is a pointer. */
        private static String typeOf(String parameter) {
            boolean array = parameter.endsWith("]");
            String p = parameter.replaceAll("\\[[^]]*]$", "").trim();
            Matcher named = Pattern.compile("^(.*[\\s*])(\\w+)$").matcher(p);
            String type = p;
            if (named.matches()) {
                String rest = named.group(1).trim();
                boolean onlyQualifiers = rest.isEmpty() || rest.matches("(const|volatile|struct|union|enum|unsigned|signed|\\s)+");
                if (!onlyQualifiers) type = rest;
            }
            return array ? type + " *" : type;
        }
    }

    /** One figure both sides must agree on: what it is, the C expression, the generated value. */
    private record Check(String what, String cExpression, long generated) {}

    private static void addFields(List<Check> checks, String cType, GroupLayout root, GroupLayout group, String cPrefix,
                                  List<PathElement> javaPrefix) {
        for (MemoryLayout member : group.memberLayouts()) {
            if (member.name().isEmpty()) continue; // padding
            String name = member.name().get();
            List<PathElement> path = new ArrayList<>(javaPrefix);
            path.add(PathElement.groupElement(name));
            if (name.startsWith("$anon$")) {
                // An anonymous struct/union: C reaches its members as if they were the parent's.
                addFields(checks, cType, root, (GroupLayout) member, cPrefix, path);
                continue;
            }
            String cPath = cPrefix.isEmpty() ? name : cPrefix + "." + name;
            String what = root.name().orElseThrow() + "." + cPath;
            PathElement[] elements = path.toArray(PathElement[]::new);
            checks.add(new Check(what + " offset", "offsetof(" + cType + ", " + cPath + ")", root.byteOffset(elements)));
            checks.add(new Check(what + " size", "sizeof(((" + cType + " *) 0)->" + cPath + ")", member.byteSize()));
            if (member instanceof GroupLayout nested) addFields(checks, cType, root, nested, cPath, path);
        }
    }

    private static void assertMatches(List<Check> checks) throws IOException, InterruptedException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) expressions.put("probe_" + i, checks.get(i).cExpression());
        Map<String, Long> c = MingwProbe.evaluate(expressions, work);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check k = checks.get(i);
            long expected = c.get("probe_" + i);
            if (expected != k.generated()) {
                mismatches.add(k.what() + ": generated " + k.generated() + ", mingw-w64 gcc " + expected);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + checks.size() + " layout figures differ from Windows x64:\n  "
                    + String.join("\n  ", mismatches));
        }
    }

    private static Class<?> loadBinding(String simpleName) {
        try {
            return Class.forName(WinApi.class.getPackageName() + "." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** The struct layout a generated class declares itself (typedef subclasses inherit theirs). */
    private static GroupLayout declaredLayout(Class<?> c) {
        try {
            Method m = c.getDeclaredMethod("layout");
            return Modifier.isStatic(m.getModifiers()) && GroupLayout.class.isAssignableFrom(m.getReturnType())
                    ? (GroupLayout) m.invoke(null) : null;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
