package io.captioner.examples.cli;

import ai.djl.engine.Engine;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.decoder.AttentionCaptionDecoder;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves tiny randomly initialised model artifacts for CLI tests: a 32-pixel small CNN with a 16-unit
 * LSTM, or with an attention decoder over its 4 × 4 map.
 */
public final class TinyModel {

    private TinyModel() {}

    /**
     * Saves the LSTM model.
     *
     * @param target the artifact directory to write
     * @param data the dataset whose captions give the vocabulary
     * @return {@code target}
     */
    public static Path save(Path target, SyntheticDataset data) {
        Vocabulary vocabulary = vocabulary(data);
        Engine.getInstance().setRandomSeed(5);
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4).build();
                LstmCaptionDecoder decoder = LstmCaptionDecoder.create(DecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureSize(16)
                        .optEmbeddingSize(16).optHiddenSize(16).optDropout(0).build(), 5)) {
            ArtifactWriter.builder().setEncoder(encoder, EncoderSpec.smallCnn(encoder)).setDecoder(decoder)
                    .setVocabulary(vocabulary).optDecodingOptions(DecodingOptions.builder().optMaxLength(10).build())
                    .build().write(target);
        }
        return target;
    }

    /**
     * Saves a small CNN with spatial output (4 × 4 × 16 at 32 px) and a seeded attention decoder.
     *
     * @param target the artifact directory to write
     * @param data the dataset whose captions give the vocabulary
     * @return {@code target}
     */
    public static Path saveAttention(Path target, SyntheticDataset data) {
        Vocabulary vocabulary = vocabulary(data);
        Engine.getInstance().setRandomSeed(5);
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                        .optEncoderOptions(EncoderOptions.defaults().withSpatialOutput()).build();
                AttentionCaptionDecoder decoder = AttentionCaptionDecoder.create(AttentionDecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureShape(4, 4, 16).optAttentionSize(8)
                        .optEmbeddingSize(8).optHiddenSize(16).build(), 5)) {
            ArtifactWriter.builder().setEncoder(encoder, EncoderSpec.smallCnn(encoder)).setDecoder(decoder)
                    .setVocabulary(vocabulary).optDecodingOptions(DecodingOptions.builder().optMaxLength(6).build())
                    .build().write(target);
        }
        return target;
    }

    private static Vocabulary vocabulary(SyntheticDataset data) {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < data.images(); i++) {
            for (String c : data.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        return Vocabulary.builder().optMaxSize(1000).build(captions);
    }
}
