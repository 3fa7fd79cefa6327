package io.captioner.models;

import ai.djl.engine.Engine;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.artifact.Provenance;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.EncoderOptions;
import io.captioner.models.encoder.Encoders;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A randomly initialised, tiny captioner (32-pixel small CNN, 16-unit LSTM) for fast tests. */
public final class TinyCaptioner {

    /** The synthetic dataset that provides images and the vocabulary. */
    public static final SyntheticDataset DATA = SyntheticDataset.defaults();

    private TinyCaptioner() {}

    /**
     * Builds the vocabulary of the first 60 synthetic images' captions.
     *
     * @return the vocabulary
     */
    public static Vocabulary vocabulary() {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            for (String c : DATA.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        return Vocabulary.builder().optMaxSize(1000).build(captions);
    }

    /**
     * Creates a tiny captioner with seeded random weights.
     *
     * @param seed the seed of both networks
     * @param options default decoding options
     * @return the captioner, owning its encoder and decoder
     */
    public static DjlCaptioner create(int seed, DecodingOptions options) {
        return create(seed, options, false);
    }

    /**
     * Creates a tiny captioner with seeded random weights, its decoder with or without the image
     * merge at the output.
     *
     * @param seed the seed of both networks
     * @param options default decoding options
     * @param imageMerge the decoder's {@link DecoderConfig#imageMerge()}
     * @return the captioner, owning its encoder and decoder
     */
    public static DjlCaptioner create(int seed, DecodingOptions options, boolean imageMerge) {
        Vocabulary vocabulary = vocabulary();
        Engine.getInstance().setRandomSeed(seed);
        BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4)
                .optEncoderOptions(new EncoderOptions(16, false)).build();
        LstmCaptionDecoder decoder = LstmCaptionDecoder.create(DecoderConfig.builder()
                .setVocabularySize(vocabulary.size()).setFeatureSize(16)
                .optEmbeddingSize(16).optHiddenSize(16).optDropout(0).optImageMerge(imageMerge).build(), seed);
        return DjlCaptioner.builder().setEncoder(encoder).setDecoder(decoder).setVocabulary(vocabulary)
                .optDecodingOptions(options).build();
    }

    /**
     * Creates a tiny captioner with greedy decoding of at most 12 tokens.
     *
     * @param seed the seed
     * @return the captioner
     */
    public static DjlCaptioner create(int seed) {
        return create(seed, DecodingOptions.builder().optMaxLength(12).build());
    }

    /**
     * Returns a writer for a captioner made by {@link #create}.
     *
     * @param captioner the captioner
     * @return a ready writer with a recorded provenance
     */
    public static ArtifactWriter writer(DjlCaptioner captioner) {
        return writerBuilder(captioner).build();
    }

    /**
     * Returns the builder behind {@link #writer}, for tests that set more options.
     *
     * @param captioner the captioner
     * @return a builder with every required part and a recorded provenance
     */
    public static ArtifactWriter.Builder writerBuilder(DjlCaptioner captioner) {
        BlockEncoder encoder = (BlockEncoder) captioner.encoder();
        return ArtifactWriter.builder()
                .setEncoder(encoder, EncoderSpec.smallCnn(encoder))
                .setDecoder((LstmCaptionDecoder) captioner.decoder())
                .setVocabulary(captioner.vocabulary())
                .optDecodingOptions(captioner.defaultOptions())
                .optProvenance(new Provenance("synthetic (untrained, random weights)", 60, 0, 0, 0,
                        Map.of("bleu4", 0.0)));
    }

    /**
     * Renders synthetic images scaled down to a square side, so that preprocessing is cheap.
     *
     * @param from the first index
     * @param n how many
     * @param side the side in pixels
     * @return the images
     */
    public static List<BufferedImage> thumbnails(int from, int n, int side) {
        List<BufferedImage> out = new ArrayList<>();
        for (BufferedImage img : images(from, n)) {
            BufferedImage t = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = t.createGraphics();
            g.drawImage(img, 0, 0, side, side, null);
            g.dispose();
            out.add(t);
        }
        return out;
    }

    /**
     * Renders synthetic images.
     *
     * @param from the first index
     * @param n how many
     * @return the images
     */
    public static List<BufferedImage> images(int from, int n) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(DATA.sample(i).image());
        }
        return out;
    }
}
