package io.wsp4j.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The host's SPI signatures are the generated ones, up to carrying pointer handles as 8-byte integers. */
@EnabledOnOs(OS.LINUX)
class SpiTest {

    @Test
    void tablesHaveTheHeaderEntries() {
        assertEquals(30, Spi.PROC_ENTRIES.size());
        assertEquals(15, Spi.UPCALL_ENTRIES.size());
        assertEquals("lpWSPAccept", Spi.PROC_ENTRIES.get(0));
        assertEquals("lpWSPStringToAddress", Spi.PROC_ENTRIES.get(29));
    }

    @Test
    void everyProcDescriptorMatchesTheGeneratedOne() throws Exception {
        for (String entry : Spi.PROC_ENTRIES) {
            assertEquals(abi(generated(entry)), abi(Spi.procDescriptor(entry)), entry);
        }
    }

    @Test
    void everyJavaDescriptorPassesLikeTheCOne() throws Exception {
        for (String entry : Spi.PROC_ENTRIES) {
            assertEquals(abi(generated(entry)), abi(Spi.procJavaDescriptor(entry)), entry);
        }
    }

    @Test
    void theDataPathEntriesTakeNoSegments() {
        for (String entry : List.of("lpWSPRecv", "lpWSPRecvFrom", "lpWSPSend", "lpWSPSendTo")) {
            FunctionDescriptor d = Spi.procJavaDescriptor(entry);
            assertEquals(List.of(), d.argumentLayouts().stream().filter(l -> l instanceof AddressLayout).toList(), entry);
            assertEquals(Spi.procDescriptor(entry).argumentLayouts().size(), d.argumentLayouts().size(), entry);
        }
        assertEquals(Spi.procDescriptor("lpWSPConnect"), Spi.procJavaDescriptor("lpWSPConnect"));
    }

    @Test
    void everyUpcallDescriptorMatchesTheGeneratedOne() throws Exception {
        for (String entry : Spi.UPCALL_ENTRIES) {
            assertEquals(abi(generated(entry)), abi(Spi.upcallDescriptor(entry)), entry);
        }
    }

    /** lpWSPSend → io.wsp4j.bindings.LPWSPSEND.descriptor(). */
    private static FunctionDescriptor generated(String entry) throws Exception {
        Class<?> type = Class.forName("io.wsp4j.bindings.LP" + entry.substring(2).toUpperCase(java.util.Locale.ROOT));
        return (FunctionDescriptor) type.getMethod("descriptor").invoke(null);
    }

    /** What the ABI sees: byte sizes, with pointers and 8-byte integers alike (both INTEGER-class words). */
    private static List<String> abi(FunctionDescriptor d) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        out.add(d.returnLayout().map(SpiTest::kind).orElse("void"));
        for (MemoryLayout arg : d.argumentLayouts()) out.add(kind(arg));
        return out;
    }

    private static String kind(MemoryLayout l) {
        if (l instanceof AddressLayout) return "i8";
        if (l instanceof ValueLayout v) {
            if (v.carrier() == float.class || v.carrier() == double.class) return "f" + v.byteSize();
            return "i" + v.byteSize();
        }
        return "struct" + l.byteSize();
    }
}
