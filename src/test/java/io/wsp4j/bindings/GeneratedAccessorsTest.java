package io.wsp4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated accessors read and write the bytes the Windows compiler means: each indexed or
 * nested accessor, used on a zeroed struct, changes exactly the bytes at the offset mingw-w64's gcc
 * gives for that C lvalue, and reads back what is there.
 */
@EnabledOnOs(OS.LINUX)
class GeneratedAccessorsTest {
    @TempDir
    Path work;

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One accessor write: the C lvalue it should land on, its width, the value, and the write itself. */
    private record Write(String cLvalue, int width, long value, Consumer<MemorySegment> write) {}

    @Test
    void indexedAndNestedWritesLandWhereGccSays() throws Exception {
        MingwProbe.requireCompiler();
        Map<String, Write> writes = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            int index = i;
            int value = 0x1000 + i;
            writes.put("chain" + i, new Write("ProtocolChain.ChainEntries[" + i + "]", 4, value,
                    s -> WSAPROTOCOLCHAIN.ChainEntries(WSAPROTOCOL_INFOW.ProtocolChain(s), index, value)));
        }
        writes.put("chainLen", new Write("ProtocolChain.ChainLen", 4, 5,
                s -> WSAPROTOCOLCHAIN.ChainLen(WSAPROTOCOL_INFOW.ProtocolChain(s), 5)));
        for (int i : new int[] {0, 1, 127, 255}) {
            writes.put("name" + i, new Write("szProtocol[" + i + "]", 2, 0x4100 + i,
                    s -> WSAPROTOCOL_INFOW.szProtocol(s, i, (short) (0x4100 + i))));
        }
        writes.put("data1", new Write("ProviderId.Data1", 4, 0x01020304, s -> GUID.Data1(WSAPROTOCOL_INFOW.ProviderId(s), 0x01020304)));
        writes.put("data3", new Write("ProviderId.Data3", 2, 0x0506, s -> GUID.Data3(WSAPROTOCOL_INFOW.ProviderId(s), (short) 0x0506)));
        writes.put("data4", new Write("ProviderId.Data4[7]", 1, 0x7f, s -> GUID.Data4(WSAPROTOCOL_INFOW.ProviderId(s), 7, (byte) 0x7f)));
        writes.put("catalog", new Write("dwCatalogEntryId", 4, 1001, s -> WSAPROTOCOL_INFOW.dwCatalogEntryId(s, 1001)));
        writes.put("reserved", new Write("dwProviderReserved", 4, 77, s -> WSAPROTOCOL_INFOW.dwProviderReserved(s, 77)));

        Map<String, String> offsets = new LinkedHashMap<>();
        writes.forEach((k, w) -> offsets.put(k, "offsetof(WSAPROTOCOL_INFOW, " + w.cLvalue() + ")"));
        Map<String, Long> gcc = MingwProbe.evaluate(offsets, work);

        try (Arena arena = Arena.ofConfined()) {
            for (var e : writes.entrySet()) {
                Write w = e.getValue();
                MemorySegment info = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0);
                w.write().accept(info);
                long offset = gcc.get(e.getKey());
                assertEquals(w.value(), read(info, offset, w.width()), w.cLvalue() + " at gcc's offset " + offset);
                MemorySegment others = arena.allocate(info.byteSize()).copyFrom(info);
                others.asSlice(offset, w.width()).fill((byte) 0);
                assertEquals(-1L, others.mismatch(arena.allocate(info.byteSize())), w.cLvalue() + ": no other byte changed");
            }
        }
    }

    @Test
    void readsWhatIsThere() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0);
            MemorySegment chain = WSAPROTOCOL_INFOW.ProtocolChain(info);
            chain.set(LE_INT, WSAPROTOCOLCHAIN.ChainEntries$offset() + 3 * Integer.BYTES, 0xCAFE);
            assertEquals(0xCAFE, WSAPROTOCOLCHAIN.ChainEntries(chain, 3));
            info.set(LE_SHORT, WSAPROTOCOL_INFOW.szProtocol$offset() + 2 * Short.BYTES, (short) 'Z');
            assertEquals('Z', WSAPROTOCOL_INFOW.szProtocol(info, 2));
        }
    }

    @Test
    void szProtocolIsUtf16LittleEndian() {
        String name = "MSAFD Tcpip [TCP/IP] — Ünïcødé 🙂";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = WSAPROTOCOL_INFOW.allocate(arena).fill((byte) 0);
            for (int i = 0; i < name.length(); i++) WSAPROTOCOL_INFOW.szProtocol(info, i, (short) name.charAt(i));
            byte[] utf16 = WSAPROTOCOL_INFOW.szProtocol(info).asSlice(0, 2L * name.length()).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(name, new String(utf16, StandardCharsets.UTF_16LE));
            assertEquals(0, WSAPROTOCOL_INFOW.szProtocol(info, name.length()), "NUL after the name");
            assertEquals(512, WSAPROTOCOL_INFOW.szProtocol(info).byteSize(), "WCHAR[256]");
        }
    }

    private static long read(MemorySegment s, long offset, int width) {
        return switch (width) {
            case 1 -> Byte.toUnsignedLong(s.get(ValueLayout.JAVA_BYTE, offset));
            case 2 -> Short.toUnsignedLong(s.get(LE_SHORT, offset));
            case 4 -> Integer.toUnsignedLong(s.get(LE_INT, offset));
            default -> throw new IllegalArgumentException("width " + width);
        };
    }
}
