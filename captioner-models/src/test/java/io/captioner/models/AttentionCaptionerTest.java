package io.captioner.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.decoder.AttentionCaptionDecoder;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A captioner of a spatial encoder and the attention decoder, end to end, with attention on request. */
class AttentionCaptionerTest {

    private static DjlCaptioner create(int seed) {
        Vocabulary vocabulary = TinyCaptioner.vocabulary();
        Engine.getInstance().setRandomSeed(seed);
        return DjlCaptioner.builder()
                .setEncoder(Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4).optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build())
                .setDecoder(AttentionCaptionDecoder.create(AttentionDecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureShape(4, 4, 16).optAttentionSize(8)
                        .optEmbeddingSize(8).optHiddenSize(16).build(), seed))
                .setVocabulary(vocabulary)
                .optDecodingOptions(DecodingOptions.builder().optMaxLength(8).build())
                .build();
    }

    @Test
    void captionsCarryOneRowOfWeightsPerWordOverTheEncodersMapWhenAsked() {
        List<BufferedImage> images = TinyCaptioner.images(0, 3);
        try (DjlCaptioner captioner = create(3)) {
            for (DecodingOptions options : List.of(
                    DecodingOptions.builder().optMaxLength(8).optAttention(true).build(),
                    DecodingOptions.builder().optBeamSize(3).optNBest(2).optMaxLength(8).optAttention(true).build())) {
                List<Caption> captions = captioner.captionAll(images, options);
                List<Caption> plain = captioner.captionAll(images, options.toBuilder().optAttention(false).build());
                for (int i = 0; i < images.size(); i++) {
                    Caption c = captions.get(i);
                    assertThat(c.tokens()).isEqualTo(plain.get(i).tokens());
                    assertThat(plain.get(i).attention()).isEqualTo(AttentionWeights.empty());
                    AttentionWeights a = c.attention();
                    assertThat(a.tokens()).isEqualTo(c.tokens().size()).isPositive();
                    assertThat(a.height()).isEqualTo(4);
                    assertThat(a.width()).isEqualTo(4);
                    for (int t = 0; t < a.tokens(); t++) {
                        double sum = 0;
                        for (float w : a.weights(t)) {
                            sum += w;
                        }
                        assertThat(sum).isCloseTo(1.0, within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void askingTheLstmCaptionerForAttentionNamesItsDecoder() {
        try (DjlCaptioner captioner = TinyCaptioner.create(1)) {
            BufferedImage image = TinyCaptioner.images(0, 1).get(0);
            assertThatThrownBy(() -> captioner.caption(image, DecodingOptions.builder().optAttention(true).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("decoder LstmCaptionDecoder (feature shape [16]) has no attention");
        }
    }
}
