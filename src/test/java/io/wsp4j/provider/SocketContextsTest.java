package io.wsp4j.provider;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SocketContextsTest {
    @Test
    void behavesLikeAMapThroughGrowthAndTombstones() {
        SocketContexts table = new SocketContexts();
        Map<Long, LayeredSocket> model = new HashMap<>();
        Random r = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            long h = 4L * r.nextInt(2_000); // Windows-like handles: multiples of 4
            if (r.nextBoolean()) {
                LayeredSocket s = new LayeredSocket(h, h + 1, 2, 1, 6);
                assertEquals(!model.containsKey(h), table.add(s));
                model.putIfAbsent(h, s);
            } else {
                assertSame(model.remove(h), table.remove(h));
            }
            long probe = 4L * r.nextInt(2_000);
            assertSame(model.get(probe), table.get(probe));
        }
        assertEquals(model.size(), table.size());
        assertEquals(model.size(), table.snapshot().size());
    }
}
