package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verification failure says what differs in a few words, not as two dumps of the entry. */
class CanonicalFormTest {
    static CatalogImage withFirstName(String name) {
        CatalogImage stock = StockCatalog.image();
        List<ProtocolEntry> x64 = new ArrayList<>(stock.entries(Bitness.X64));
        ProtocolEntry first = x64.getFirst();
        x64.set(0, first.withInfo(first.info().withProtocolName(name)));
        var catalogs = new EnumMap<Bitness, List<ProtocolEntry>>(Bitness.class);
        catalogs.put(Bitness.X64, x64);
        catalogs.put(Bitness.X86, stock.entries(Bitness.X86));
        return new CatalogImage(catalogs);
    }

    @Test
    void aDifferenceIsTheEntryAndTheFieldsThatDiffer() {
        String d = CanonicalForm.firstDifference(withFirstName("\ud800x"), withFirstName("?x"));
        assertEquals("64-bit catalog, position 1: \"\\ud800x\" ({E70F1AA0-AB8B-11CF-8CA3-00805F48A192}#1): name is \"?x\" where"
                + " \"\\ud800x\" was expected", d);
        assertEquals("", CanonicalForm.firstDifference(StockCatalog.image(), StockCatalog.image()));
    }

    @Test
    void aMissingEntryIsNamedWithTheCounts() {
        CatalogImage stock = StockCatalog.image();
        var catalogs = new EnumMap<Bitness, List<ProtocolEntry>>(Bitness.class);
        catalogs.put(Bitness.X64, stock.entries(Bitness.X64).subList(0, 11));
        catalogs.put(Bitness.X86, stock.entries(Bitness.X86));
        String d = CanonicalForm.firstDifference(stock, new CatalogImage(catalogs));
        assertTrue(d.startsWith("64-bit catalog, position 12: missing \"Hyper-V RAW\""), d);
        assertTrue(d.endsWith("(12 entries expected, 11 found)"), d);
        assertTrue(d.length() < 200, d);
    }
}
