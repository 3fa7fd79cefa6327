package io.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.testing.FuzzContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 6 of issue 18: any bytes as the COCO results JSON that {@code captioner score}
 * reads. {@link CocoResults#read} may only refuse with a {@code CaptionerException}; the captions
 * it accepts for images of a small reference set are scored as {@code score} scores them (every
 * score finite and in its range), and the results survive write and read unchanged. Seeds and
 * regression inputs: {@code CocoResultsFuzzTestInputs/anyResultsFile/}.
 */
class CocoResultsFuzzTest {

    private static final Map<String, List<String>> REFERENCES = Map.of(
            "1000268201_693b08cb0e.jpg", List.of("A child in a pink dress is climbing up stairs .",
                    "A girl going into a wooden building ."),
            "1001773457_577c3a7d70.jpg", List.of("A black dog and a spotted dog are fighting",
                    "Two dogs on pavement moving toward each other ."),
            "42", List.of("a cat on a mat"));

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory("fuzz-coco-");
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyResultsFile(byte[] data) throws Exception {
        Path file = scratch.resolve("results.json");
        Files.write(file, data);
        @SuppressWarnings("unchecked")
        Map<String, String>[] read = new Map[1];
        if (!FuzzContract.accepts(() -> read[0] = CocoResults.read(file))) {
            return;
        }
        Path copy = scratch.resolve("copy.json");
        CocoResults.write(copy, read[0]);
        assertThat(CocoResults.read(copy)).containsExactlyEntriesOf(read[0]);

        Map<String, String> known = new LinkedHashMap<>();
        read[0].forEach((id, caption) -> {
            if (REFERENCES.containsKey(id)) {
                known.put(id, caption);
            }
        });
        if (known.isEmpty()) {
            return;
        }
        EvaluationResult result = CaptionEvaluator.evaluate(known, REFERENCES);
        for (double bleu : new double[] {result.bleu1(), result.bleu2(), result.bleu3(), result.bleu4(),
            result.rougeL()}) {
            assertThat(bleu).isBetween(0.0, 1.0);
        }
        assertThat(result.cider()).isFinite().isGreaterThanOrEqualTo(0.0);
    }
}
