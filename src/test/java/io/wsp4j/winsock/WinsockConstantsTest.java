package io.wsp4j.winsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wsp4j.bindings.WinApi;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written Winsock constants equal the values jextract read from the headers, name by name. */
class WinsockConstantsTest {

    @Test
    void handWrittenConstantsMatchTheHeaders() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Class<?> c : List.of(FdEvents.class, WsaErrors.class, Ioctls.class, ProtocolFlags.class,
                ProtocolChain.class, Ws2Def.class)) {
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
                Method generated = generatedConstant(f.getName());
                if (generated == null) continue;
                compared++;
                long header = ((Number) generated.invoke(null)).longValue();
                if ((int) header != f.getInt(null)) {
                    mismatches.add(c.getSimpleName() + "." + f.getName() + " = " + f.getInt(null) + ", header: " + header);
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(compared >= 100, "compared only " + compared + " constants");
    }

    @Test
    void errorEnumMatchesTheHeaders() throws Exception {
        int compared = 0;
        for (WsaError e : WsaError.values()) {
            Method generated = generatedConstant(e.name());
            if (generated == null) continue;
            compared++;
            assertEquals(((Number) generated.invoke(null)).intValue(), e.code(), e.name());
        }
        assertTrue(compared >= 60, "compared only " + compared + " error codes");
    }

    private static Method generatedConstant(String name) {
        try {
            Method m = WinApi.class.getMethod(name);
            return m.getParameterCount() == 0 && (m.getReturnType() == int.class || m.getReturnType() == long.class) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
