package io.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {

    @TempDir Path dir;

    private final Map<String, String> hyps = new LinkedHashMap<>();
    private final Map<String, List<String>> refs = new LinkedHashMap<>();

    EvaluationReportTest() {
        for (int i = 0; i < 20; i++) {
            String id = String.format("img%02d.jpg", i);
            hyps.put(id, "a dog number " + i + " runs");
            refs.put(id, List.of("a dog runs " + i, "the dog | runs fast"));
        }
    }

    private EvaluationReport.Builder builder() {
        return EvaluationReport.builder()
                .setReferences(refs).setHypotheses(hyps).setResult(CaptionEvaluator.evaluate(hyps, refs));
    }

    @Test
    void tableShowsEveryMetricWithItsScale() {
        EvaluationResult r = CaptionEvaluator.evaluate(hyps, refs);
        String md = builder().build().toMarkdown();
        assertThat(md).contains("| BLEU-1 | " + String.format(java.util.Locale.ROOT, "%.4f", r.bleu1()) + " | 0–1 |")
                .contains("| BLEU-4 |").contains("| ROUGE-L |")
                .contains("| CIDEr-D | " + String.format(java.util.Locale.ROOT, "%.4f", r.cider()) + " | × 10")
                .contains("20 images");
    }

    @Test
    void sampleShowsHypothesisBesideEscapedReferences() {
        String md = builder().optSampleSize(3).build().toMarkdown();
        assertThat(md).contains("## Sample of 3 of 20 images")
                .contains("### img00.jpg").contains("**Hypothesis:** a dog number 0 runs")
                .contains("1. a dog runs 0").contains("2. the dog \\| runs fast");
        assertThat(md).doesNotContain("![");
    }

    @Test
    void sampleIsEvenlySpacedOverSortedIds() {
        assertThat(builder().optSampleSize(4).build().sample())
                .containsExactly("img00.jpg", "img05.jpg", "img10.jpg", "img15.jpg");
        assertThat(builder().optSampleSize(0).build().toMarkdown()).doesNotContain("## Sample");
    }

    @Test
    void imageLinksUseTheBase() {
        String md = builder().optSampleSize(1).optImageBase("../Flicker8k_Dataset").build().toMarkdown();
        assertThat(md).contains("![img00.jpg](../Flicker8k_Dataset/img00.jpg)");
    }

    @Test
    void writeReplacesTheFileAtomically() throws IOException {
        Path f = dir.resolve("report.md");
        Files.writeString(f, "old");
        EvaluationReport report = builder().optTitle("Flickr8k test").build();
        report.write(f);
        assertThat(Files.readString(f)).isEqualTo(report.toMarkdown()).startsWith("# Flickr8k test");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void builderRequiresResultHypothesesAndReferences() {
        assertThatThrownBy(() -> EvaluationReport.builder().setHypotheses(hyps).setReferences(refs).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setResult");
        assertThatThrownBy(() -> builder().optSampleSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
