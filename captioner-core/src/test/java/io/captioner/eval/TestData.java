package io.captioner.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to write test corpora as space-separated strings. */
final class TestData {

    private TestData() {}

    /** Splits on single spaces; the empty string is the empty caption. */
    static List<String> toks(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }

    /** Each argument is one reference. */
    static List<List<String>> refs(String... refs) {
        List<List<String>> out = new ArrayList<>();
        for (String r : refs) {
            out.add(toks(r));
        }
        return out;
    }

    /** Builds an ordered corpus from alternating id, hypothesis, references triples. */
    static final class Corpus {
        final Map<String, List<String>> hyps = new LinkedHashMap<>();
        final Map<String, List<List<String>>> refs = new LinkedHashMap<>();

        Corpus add(String id, String hyp, String... references) {
            hyps.put(id, toks(hyp));
            refs.put(id, TestData.refs(references));
            return this;
        }
    }
}
