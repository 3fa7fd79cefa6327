package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import io.captioner.DecodingOptions;
import io.captioner.data.Split;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.decoder.Precision;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.Encoders;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The precision comparison captions a split at every precision with one model and reports the
 * identical share and BLEU-4 difference against float32's; float32 against itself is identical.
 */
class PrecisionQualityTest {

    @TempDir Path dir;

    private static Path tinyModel(Path target, SyntheticDataset data) {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < data.images(); i++) {
            for (String c : data.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        Vocabulary vocabulary = Vocabulary.builder().build(captions);
        Engine.getInstance().setRandomSeed(5);
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4).build();
                LstmCaptionDecoder decoder = LstmCaptionDecoder.create(DecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureSize(16).optEmbeddingSize(16).optHiddenSize(16)
                        .optDropout(0).build(), 5)) {
            ArtifactWriter.builder().setEncoder(encoder, EncoderSpec.smallCnn(encoder)).setDecoder(decoder)
                    .setVocabulary(vocabulary).optDecodingOptions(DecodingOptions.builder().optMaxLength(8).build())
                    .build().write(target);
        }
        return target;
    }

    @Test
    void everyPrecisionCaptionsTheSplitAndFp32IsTheReference() {
        SyntheticDataset synth = SyntheticDataset.builder().optImages(30).optImageSize(64).build();
        Path data = dir.resolve("data");
        synth.generate(data);
        Path model = tinyModel(dir.resolve("model"), synth);
        List<PrecisionQuality.Run> runs = PrecisionQuality.run(model, data, Split.TEST,
                List.of(Precision.FP32, Precision.FP32, Precision.INT8), 4, line -> { });
        assertThat(runs).hasSize(3);
        assertThat(PrecisionQuality.identicalShare(runs.get(1), runs.get(0))).isEqualTo(1.0);
        JsonObject doc = PrecisionQuality.json(runs, model, data, Split.TEST);
        JsonObject int8 = doc.getAsJsonArray("precisions").get(2).getAsJsonObject();
        assertThat(int8.get("precision").getAsString()).isEqualTo("int8");
        assertThat(int8.get("identicalToFp32").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(int8.has("bleu4MinusFp32")).isTrue();
        assertThat(doc.getAsJsonArray("precisions").get(0).getAsJsonObject().has("identicalToFp32")).isFalse();
        assertThat(PrecisionQuality.markdown(doc)).contains("| int8 |").contains("identical to fp32");
    }
}
