package io.github.dgstream;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Reading the query-parameter map shared by {@link LiveOptions} and {@link FluxOptions}. */
final class QueryParams {
    private QueryParams() {}

    /** One entry per URL occurrence, in order (repeated keys repeat). */
    static List<Map.Entry<String, String>> entries(Map<String, List<String>> params) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> out.add(new SimpleImmutableEntry<>(k, v))));
        return Collections.unmodifiableList(out);
    }

    /** The single value of {@code name}, or {@code null}. */
    static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
