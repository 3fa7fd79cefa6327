package io.captioner.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.data.TokenizedCaptions;
import io.captioner.models.train.EpochResult;
import io.captioner.text.Tokenizer;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.decoder.LstmCaptionDecoder;
import java.awt.image.BufferedImage;
import io.captioner.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {

    /** BLEU-4 points by which the trained model must beat the most-common-caption baseline. */
    private static final double CLEAR_MARGIN = 0.10;
    private static final int EPOCHS = 20;

    @Tag("slow")
    @Test
    void smallQuickstartTrainsEndToEndScoresTheTestSplitAndSavesALoadableModel(@TempDir Path dir) throws Exception {
        QuickstartOptions options = QuickstartOptions.builder().setOutDir(dir).optImages(600).optInputSize(32)
                .optEpochs(EPOCHS).optBatchImages(8).optFeatureSize(64).optBaseChannels(16).optEmbeddingSize(64)
                .optHiddenSize(128).optWriteDataset(false).build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Quickstart.Result r = Quickstart.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));
        System.out.println("quickstart test result: " + r.toJson() + " baseline caption: " + r.baselineCaption());

        List<EpochResult> h = r.history();
        assertThat(h).hasSize(EPOCHS);
        assertThat(h.get(EPOCHS - 1).trainLoss()).isLessThan(h.get(0).trainLoss() * 0.8);
        assertThat(r.testImages()).isEqualTo(60);
        assertThat(r.bleu()).hasSize(4).allMatch(b -> b >= 0 && b <= 1);
        assertThat(r.bleu().get(0)).isGreaterThan(r.bleu().get(3));
        assertThat(r.baselineBleu4()).isGreaterThan(0);
        assertThat(r.search()).isEqualTo("beam 3");
        assertThat(r.bleu().get(3))
                .as("test BLEU-4 must beat the most-common-caption baseline (%.4f, '%s') by a clear margin",
                        r.baselineBleu4(), r.baselineCaption())
                .isGreaterThanOrEqualTo(r.baselineBleu4() + CLEAR_MARGIN);
        assertThat(r.examples()).hasSize(5).allMatch(e -> !e.caption().isBlank() && e.references().size() == 5);
        assertThat(r.toJson()).contains("\"bleu1\":", "\"bleu4\":", "\"baseline_bleu4\":", "\"train_seconds\":",
                "\"search\":\"beam 3\"", "\"greedy_bleu4\":", "\"cider\":",
                "\"test_images\":60", "\"model\":");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("epoch " + EPOCHS + "/" + EPOCHS, "60/60")
                .doesNotContain("\r");

        Path model = r.model();
        assertThat(model).isEqualTo(dir.resolve(Quickstart.MODEL_DIR));
        Vocabulary vocabulary = Vocabulary.load(model.resolve(ArtifactWriter.VOCABULARY_FILE));
        try (LstmCaptionDecoder decoder = LstmCaptionDecoder.load(model.resolve(ArtifactWriter.DECODER_FILE))) {
            assertThat(decoder.vocabularySize()).isEqualTo(vocabulary.size());
            assertThat(decoder.featureSize()).isEqualTo(64);
        }
        try (Captioner captioner = Captioner.load(model)) {
            BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Caption caption = captioner.caption(image);
            assertThat(caption.tokens()).isNotEmpty();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("."), "no temporary model directory is left behind");
        }
    }

    @Test
    void mostCommonCaptionBreaksTiesAlphabetically() {
        TokenizedCaptions tokens = TokenizedCaptions.of(List.of(
                new ImageCaptions("1.png", Split.TRAIN, List.of("B x", "a X.")),
                new ImageCaptions("2.png", Split.TRAIN, List.of("c", "b x", "a x"))), Tokenizer.standard());
        assertThat(Quickstart.mostCommonCaption(tokens)).isEqualTo("a x");
    }

    @Test
    void optionsRequireAnOutputDirectoryAndValidSizes() {
        assertThatThrownBy(() -> QuickstartOptions.builder().build()).hasMessageContaining("outDir");
        assertThatThrownBy(() -> QuickstartOptions.builder().setOutDir(Path.of("x")).optInputSize(30).build())
                .hasMessageContaining("inputSize").hasMessageContaining("30");
    }
}
