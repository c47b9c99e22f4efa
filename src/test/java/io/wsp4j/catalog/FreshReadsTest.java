package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FreshReads stands in for the catalog of every CLI command, so it must pass on every operation: an
 * interface default it does not override silently does the default's thing instead of the catalog's
 * (a file catalog's id counters left out of the journal, its own files left unchecked).
 */
class FreshReadsTest {
    @Test
    void everyCatalogOperationIsTheCatalogsOrAFreshRead() {
        List<String> notOverridden = Arrays.stream(Catalog.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !declares(m))
                .map(Method::getName).sorted().toList();
        assertEquals(List.of(), notOverridden, "Catalog operations FreshReads does not pass on");
    }

    private static boolean declares(Method m) {
        try {
            FreshReads.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
