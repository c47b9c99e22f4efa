package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The extension-function GUIDs are mswsock.h's (read from mingw-w64's copy of the header). */
class ExtensionFunctionTest {
    /** Where Debian's mingw-w64-x86-64-dev puts the Windows headers. */
    private static final List<Path> HEADER_DIRS = List.of(Path.of("/usr/x86_64-w64-mingw32/include"), Path.of("/usr/share/mingw-w64/include"));
    /** #define WSAID_X {0xb5367df1,0xcbac,0x11cf,{0x95,0xca,0x00,0x80,0x5f,0x48,0xa1,0x92}} */
    private static final Pattern DEFINE = Pattern.compile(
            "#define\\s+(WSAID_\\w+)\\s*\\{\\s*0x(\\p{XDigit}+)\\s*,\\s*0x(\\p{XDigit}+)\\s*,\\s*0x(\\p{XDigit}+)\\s*,\\s*\\{([^}]*)}\\s*}");

    private static String header() throws IOException {
        Optional<Path> h = HEADER_DIRS.stream().map(d -> d.resolve("mswsock.h")).filter(Files::isRegularFile).findFirst();
        if (h.isEmpty()) {
            String why = "mswsock.h not found (Debian/Ubuntu: apt-get install mingw-w64-x86-64-dev)";
            if (System.getenv("CI") != null) fail(why + "; CI must install it");
            Assumptions.abort(why);
        }
        return Files.readString(h.get());
    }

    /** The GUID a header's brace initializer spells, as a UUID with the same text. */
    static UUID parse(Matcher m) {
        StringBuilder data4 = new StringBuilder();
        for (String b : m.group(5).split(",")) data4.append(String.format("%02x", Integer.decode(b.strip())));
        String text = String.format("%08x-%04x-%04x-%s-%s", Long.parseLong(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                Integer.parseInt(m.group(4), 16), data4.substring(0, 4), data4.substring(4));
        return UUID.fromString(text);
    }

    @Test
    void everyGuidIsTheHeadersAndTheHeadersAreAllKnown() throws IOException {
        String header = header();
        Matcher m = DEFINE.matcher(header);
        int seen = 0;
        while (m.find()) {
            String macro = m.group(1);
            UUID guid = parse(m);
            ExtensionFunction f = Stream.of(ExtensionFunction.values()).filter(x -> x.macro().equals(macro)).findFirst()
                    .orElseThrow(() -> new AssertionError("mswsock.h defines " + macro + ", which ExtensionFunction lacks"));
            assertEquals(guid, f.guid(), macro);
            assertEquals(Optional.of(f), ExtensionFunction.of(guid));
            seen++;
        }
        assertEquals(ExtensionFunction.values().length, seen, "each constant is in the header once");
    }

    @Test
    void anUnknownGuidIsNoneOfThem() {
        assertEquals(Optional.empty(), ExtensionFunction.of(UUID.fromString("b5367df1-cbac-11cf-95ca-00805f48a193")));
    }
}
