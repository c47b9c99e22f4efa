package io.wsp4j.cli;

import io.wsp4j.winsock.Bitness;
import io.wsp4j.catalog.CatalogImage;
import io.wsp4j.catalog.Plan;
import io.wsp4j.catalog.ProtocolEntry;
import io.wsp4j.catalog.Step;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A plan as a reader wants it: the steps, then each changed catalog as a diff against now
 * ("+" added, "-" removed, "~" changed, "^" moved); ids of new entries are as this catalog would
 * most likely number them.
 */
final class PlanView {
    private PlanView() {}

    static String render(Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan: ").append(plan.operation()).append(", ").append(plan.steps().size()).append(" steps\n");
        int i = 1;
        for (Step s : plan.steps()) sb.append(String.format("  %2d. %s%n", i++, s.describe()));
        plan.notes().forEach(n -> sb.append("  note: ").append(n).append('\n'));
        CatalogImage after = plan.simulate(Map.of());
        for (Bitness b : Bitness.values()) {
            if (!plan.before().has(b) || plan.before().entries(b).equals(after.entries(b))) continue;
            sb.append('\n').append(b.label()).append("-bit catalog after the ").append(plan.operation()).append(":\n");
            sb.append(CatalogTable.render(after, b, e -> mark(plan.before(), after, b, e)));
            for (ProtocolEntry gone : plan.before().entries(b)) {
                if (after.byId(b, gone.info().catalogEntryId()).isEmpty()) {
                    sb.append("-  ").append(gone.info().catalogEntryId()).append("  ").append(CatalogTable.kind(gone)).append("  ")
                            .append(CatalogTable.describe(plan.before(), b, gone)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String mark(CatalogImage before, CatalogImage after, Bitness b, ProtocolEntry e) {
        var old = before.byId(b, e.info().catalogEntryId());
        if (old.isEmpty() || !sameProvider(old.get().info().providerId(), e.info().providerId())) return "+";
        if (!old.get().equals(e)) return "~";
        var wasOrder = before.order(b).stream().filter(id -> after.byId(b, id).isPresent()).toList();
        var isOrder = after.order(b).stream().filter(id -> before.byId(b, id).isPresent()).toList();
        return wasOrder.indexOf(e.info().catalogEntryId()) != isOrder.indexOf(e.info().catalogEntryId()) ? "^" : "";
    }

    private static boolean sameProvider(UUID a, UUID b) {
        return Objects.equals(a, b);
    }
}
