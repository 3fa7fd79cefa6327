package io.captioner.examples.cli;

import ai.djl.engine.Engine;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
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

/** Saves a tiny randomly initialised model artifact (32-pixel small CNN, 16-unit LSTM) for CLI tests. */
final class TinyModel {

    private TinyModel() {}

    static Path save(Path target, SyntheticDataset data) {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < data.images(); i++) {
            for (String c : data.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        Vocabulary vocabulary = Vocabulary.builder().optMaxSize(1000).build(captions);
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
}
