package io.wsp4j.benchmarks;

import io.wsp4j.host.Ws2;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.UUID;

/**
 * The downcall handles the host's ws2 calls a socket's provider through: its WSPPROC_TABLE entries as
 * ws2 routes them. Read by reflection (the host keeps its routing to itself) so a benchmark calls
 * exactly what ws2 calls, without ws2's per-call argument marshalling around it.
 */
final class HostTables {
    private HostTables() {}

    /**
     * The table entry {@code entry} ({@code recv}, {@code send}, {@code asyncSelect}: the host's field
     * names) of the provider that owns socket {@code s}.
     */
    static MethodHandle entry(Ws2 ws2, long s, String entry) {
        return (MethodHandle) field(table(ws2, s), entry);
    }

    /** The provider (its catalog GUID) ws2 routes socket {@code s} to. */
    static UUID provider(Ws2 ws2, long s) {
        return (UUID) field(table(ws2, s), "providerId");
    }

    private static Object table(Ws2 ws2, long s) {
        Object table = ((Map<?, ?>) field(ws2, "routes")).get(s);
        if (table == null) throw new IllegalStateException("ws2 routes no provider for socket " + s);
        return table;
    }

    private static Object field(Object owner, String name) {
        try {
            Field f = owner.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the host's ws2 no longer keeps its routes as this benchmark expects", e);
        }
    }
}
