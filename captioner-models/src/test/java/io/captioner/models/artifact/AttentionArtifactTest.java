package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.TinyCaptioner;
import io.captioner.models.decoder.AttentionCaptionDecoder;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attention model saves and loads like the LSTM one, and says clearly what does not fit. */
class AttentionArtifactTest {

    private static final DecodingOptions BEAM_WITH_ATTENTION = DecodingOptions.builder().optBeamSize(3)
            .optMaxLength(8).optAttention(true).build();

    @TempDir Path dir;

    static DjlCaptioner create(int seed) {
        Vocabulary vocabulary = TinyCaptioner.vocabulary();
        Engine.getInstance().setRandomSeed(seed);
        BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                .optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build();
        return DjlCaptioner.builder().setEncoder(encoder)
                .setDecoder(AttentionCaptionDecoder.create(AttentionDecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureShape(4, 4, 16).optAttentionSize(8)
                        .optEmbeddingSize(8).optHiddenSize(16).build(), seed))
                .setVocabulary(vocabulary).optDecodingOptions(DecodingOptions.builder().optMaxLength(8).build())
                .build();
    }

    static Path save(DjlCaptioner captioner, Path target) {
        BlockEncoder encoder = (BlockEncoder) captioner.encoder();
        ArtifactWriter.builder().setEncoder(encoder, EncoderSpec.smallCnn(encoder))
                .setDecoder((AttentionCaptionDecoder) captioner.decoder()).setVocabulary(captioner.vocabulary())
                .optDecodingOptions(captioner.defaultOptions())
                .optProvenance(new Provenance("synthetic (untrained)", 60, 0, 0, 0, Map.of()))
                .build().write(target);
        return target;
    }

    @Test
    void anAttentionModelSavesAndLoadsWithTheSameCaptionsAndAttention() throws Exception {
        List<BufferedImage> images = TinyCaptioner.images(0, 3);
        try (DjlCaptioner original = create(11)) {
            Path model = save(original, dir.resolve("attention.zip"));
            Manifest m = ModelArtifact.readManifest(model);
            assertThat(m.decoderConfig().type()).isEqualTo(DecoderType.SHOW_ATTEND_TELL);
            assertThat(m.encoder().spatial()).isTrue();
            try (Captioner loaded = Captioner.load(model)) {
                List<Caption> expected = original.captionAll(images, BEAM_WITH_ATTENTION);
                List<Caption> found = loaded.captionAll(images, BEAM_WITH_ATTENTION);
                for (int i = 0; i < images.size(); i++) {
                    assertThat(found.get(i).tokens()).isEqualTo(expected.get(i).tokens());
                    assertThat(found.get(i).attention()).isEqualTo(expected.get(i).attention());
                    assertThat(found.get(i).attention().height()).isEqualTo(4);
                }
            }
        }
    }

    @Test
    void anUnknownDecoderTypeIsRefusedNamingTheValue() throws Exception {
        try (DjlCaptioner original = create(12)) {
            Path model = save(original, dir.resolve("model"));
            Path manifest = model.resolve(Manifest.FILE_NAME);
            String json = Files.readString(manifest, StandardCharsets.UTF_8)
                    .replace("\"show-attend-tell\"", "\"transformer-xl\"");
            Files.writeString(manifest, json, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> ModelArtifact.readManifest(model)).isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("decoder.type").hasMessageContaining("transformer-xl")
                    .hasMessageContaining("show-attend-tell");
        }
    }

    @Test
    void attentionAskedOfAnLstmModelIsAClearError() {
        try (DjlCaptioner lstm = TinyCaptioner.create(3)) {
            assertThatThrownBy(() -> lstm.caption(TinyCaptioner.images(0, 1).get(0), BEAM_WITH_ATTENTION))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no attention");
        }
    }

    @Test
    void aSpatialEncoderWithAVectorDecoderIsRefusedNamingBothShapes() {
        try (DjlCaptioner lstm = TinyCaptioner.create(4)) {
            BlockEncoder spatial = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                    .optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build();
            try (spatial) {
                assertThatThrownBy(() -> DjlCaptioner.builder().setEncoder(spatial).setDecoder(lstm.decoder())
                        .setVocabulary(lstm.vocabulary()).optOwnsModels(false).build())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("[4, 4, 16]").hasMessageContaining("[16]");
            }
        }
    }
}
