package io.wsp4j.catalog;

import static org.junit.jupiter.api.Assertions.*;

import io.wsp4j.winsock.Bitness;
import io.wsp4j.winsock.ProtocolChain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Windows rollback path (WSC* calls only) on the model: whatever was done, restore gets the image back. */
class ReconcilerTest {
    final CatalogImage stock = StockCatalog.image();

    CatalogModel model() {
        return new CatalogModel(stock, Map.of());
    }

    @Test
    void undoesAnInstallOfLayeredEntryChainsAndOrder() {
        CatalogModel m = model();
        UUID layered = UUID.randomUUID(), chain = UUID.randomUUID();
        ProtocolEntry tcp = stock.entries(Bitness.X64).getFirst();
        m.installProvider(Bitness.X64, layered, "/l.dll", List.of(tcp.withChain(ProtocolChain.layered())));
        int lid = m.image().byProvider(Bitness.X64, layered).getFirst().info().catalogEntryId();
        m.installProvider(Bitness.X64, chain, "/l.dll", List.of(tcp.withChain(ProtocolChain.of(List.of(lid, 1001)))));
        List<Integer> order = new ArrayList<>(m.image().order(Bitness.X64));
        Collections.rotate(order, 1);
        m.writeOrder(Bitness.X64, order);
        assertFalse(CanonicalForm.same(stock, m.image()));

        Reconciler.restore(m, stock);
        assertTrue(CanonicalForm.same(stock, m.image()), CanonicalForm.firstDifference(stock, m.image()));
        assertEquals(stock, m.image(), "nothing was re-created, so even the ids are the same");
    }

    @Test
    void recreatesRemovedProvidersAndRewritesChainsToTheirNewIds() {
        // Before: an LSP over the stock TCP entry. Then someone removes it all and shuffles the order.
        CatalogModel setup = model();
        UUID layered = UUID.randomUUID(), chain = UUID.randomUUID();
        ProtocolEntry tcp = stock.entries(Bitness.X86).getFirst();
        setup.installProvider(Bitness.X86, layered, "/l.dll", List.of(tcp.withChain(ProtocolChain.layered())));
        int lid = setup.image().byProvider(Bitness.X86, layered).getFirst().info().catalogEntryId();
        setup.installProvider(Bitness.X86, chain, "/l.dll", List.of(tcp.withChain(ProtocolChain.of(List.of(lid, 1001)))));
        CatalogImage before = setup.image();

        CatalogModel m = new CatalogModel(before, Map.of());
        m.deinstallProvider(Bitness.X86, chain);
        m.deinstallProvider(Bitness.X86, layered);
        m.deinstallProvider(Bitness.X86, StockCatalog.RSVP);
        List<Integer> order = new ArrayList<>(m.image().order(Bitness.X86));
        Collections.reverse(order);
        m.writeOrder(Bitness.X86, order);

        Reconciler.restore(m, before);
        assertTrue(CanonicalForm.same(before, m.image()), CanonicalForm.firstDifference(before, m.image()));
        ProtocolEntry newChain = m.image().byProvider(Bitness.X86, chain).getFirst();
        int newLid = m.image().byProvider(Bitness.X86, layered).getFirst().info().catalogEntryId();
        assertNotEquals(lid, newLid, "the model, like Windows, gives re-created entries new ids");
        assertEquals(List.of(newLid, 1001), newChain.chain());
    }

    @Test
    void undoesAnUpdateOfAnotherProvidersChains() {
        CatalogModel m = model();
        List<ProtocolEntry> rsvp = stock.byProvider(Bitness.X64, StockCatalog.RSVP);
        m.updateProvider(Bitness.X64, StockCatalog.RSVP, "/evil.dll",
                rsvp.stream().map(e -> e.withInfo(e.info().withFlags(0, 0))).toList());
        Reconciler.restore(m, stock);
        assertEquals(stock, m.image());
    }

    @Test
    void isIdempotent() {
        CatalogModel m = model();
        m.deinstallProvider(Bitness.X64, StockCatalog.MSAFD_TCPIP6);
        Reconciler.restore(m, stock);
        CatalogImage once = m.image();
        Reconciler.restore(m, stock);
        assertEquals(once, m.image());
        assertTrue(CanonicalForm.same(stock, once));
    }
}
