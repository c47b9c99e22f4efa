package io.wsp4j.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsp4j.winsock.Bitness;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an install, uninstall or repair will do: the steps, the catalog they start from, and the
 * notes worth telling the user (e.g. which dependants --force re-chains).
 */
public record Plan(String operation, CatalogImage before, List<Step> steps, List<String> notes) {

    public Plan {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /** The catalog after the steps, simulated on the model (ids as the file catalog would assign them). */
    public CatalogImage simulate(Map<Bitness, Integer> nextIds) {
        CatalogModel m = new CatalogModel(before, nextIds);
        for (Step s : steps) s.apply(m);
        return m.image();
    }

    /** The shim config the plan leaves: empty = unchanged, Optional of null content = removed. */
    public Optional<Step.ShimConfig> shimConfigStep() {
        return steps.stream().filter(s -> s instanceof Step.ShimConfig).map(s -> (Step.ShimConfig) s).reduce((a, b) -> b);
    }

    public ObjectNode toJson() {
        ObjectNode o = CatalogJson.MAPPER.createObjectNode();
        o.put("operation", operation);
        ArrayNode s = o.putArray("steps");
        steps.forEach(st -> s.add(st.toJson()));
        ArrayNode n = o.putArray("notes");
        notes.forEach(n::add);
        return o;
    }
}
