package io.captioner.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.models.decoder.DecoderType;
import io.captioner.models.encoder.EncoderKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The recipe's options: builder defaults, every setter reaching its field, and the refusals. */
class Flickr8kRecipeOptionsTest {

    private static final Path DATASET = Path.of("data/flickr8k");
    private static final Path OUT = Path.of("out");

    private static Flickr8kRecipe.Options.Builder smallCnn() {
        return Flickr8kRecipe.Options.builder().setDataset(DATASET).setEncoder(EncoderKind.SMALL_CNN).setOutDir(OUT);
    }

    @Test
    void builderDefaultsAreThoseOfTheTrainCommand() {
        Flickr8kRecipe.Options o = smallCnn().build();
        assertThat(o.dataset()).isEqualTo(DATASET);
        assertThat(o.encoder()).isEqualTo(EncoderKind.SMALL_CNN);
        assertThat(o.outDir()).isEqualTo(OUT);
        assertThat(o.weights()).isNull();
        assertThat(o.epochs()).isEqualTo(20);
        assertThat(o.batchSize()).isEqualTo(64);
        assertThat(o.minCount()).isEqualTo(5);
        assertThat(o.beam()).isEqualTo(3);
        assertThat(o.hiddenSize()).isEqualTo(512);
        assertThat(o.embeddingSize()).isEqualTo(512);
        assertThat(o.patience()).isEqualTo(3);
        assertThat(o.seed()).isEqualTo(42L);
        assertThat(o.encodeBatchSize()).isEqualTo(16);
        assertThat(o.imageMerge()).isFalse();
        assertThat(o.decoder()).isEqualTo(DecoderType.SHOW_AND_TELL);
        assertThat(o.spatialSize()).isZero();
        assertThat(o.fp16()).isFalse();
        assertThat(o.dropout()).isEqualTo(0.5);
        assertThat(o.learningRate()).isEqualTo(1e-3);
        assertThat(o.features()).isNull();
    }

    @Test
    void attentionDefaultsAreThoseOfShowAttendTellsReimplementation() {
        Flickr8kRecipe.Options o = smallCnn().optDecoder(DecoderType.SHOW_ATTEND_TELL).build();
        assertThat(o.attentionSize()).isEqualTo(512);
        assertThat(o.embeddingSize()).isEqualTo(512);
        assertThat(o.hiddenSize()).isEqualTo(512);
        assertThat(o.dropout()).isEqualTo(0.5);
        assertThat(o.attentionPenalty()).isEqualTo(1.0);
        assertThat(o.learningRate()).isEqualTo(4e-4);
    }

    @Test
    void learningRateDefaultFollowsTheDecoderWhicheverSetterComesFirst() {
        assertThat(smallCnn().optLearningRate(Double.NaN).optDecoder(DecoderType.SHOW_ATTEND_TELL).build()
                .learningRate()).isEqualTo(4e-4);
        assertThat(smallCnn().optLearningRate(2e-3).optDecoder(DecoderType.SHOW_ATTEND_TELL).build()
                .learningRate()).isEqualTo(2e-3);
        assertThat(smallCnn().optDecoder(DecoderType.SHOW_ATTEND_TELL).optDecoder(DecoderType.SHOW_AND_TELL).build()
                .learningRate()).isEqualTo(1e-3);
    }

    @Test
    void everySetterReachesItsField() {
        Path weights = Path.of("resnet50.npz");
        Flickr8kRecipe.Options o = Flickr8kRecipe.Options.builder().setDataset(DATASET).setEncoder(EncoderKind.RESNET50)
                .optWeights(weights).setOutDir(OUT).optEpochs(7).optBatchSize(32).optMinCount(2).optBeam(5)
                .optHiddenSize(256).optEmbeddingSize(128).optPatience(4).optSeed(9).optEncodeBatchSize(8)
                .optImageMerge(true).optAttentionSize(64).optDropout(0.25).optAttentionPenalty(0.5)
                .optLearningRate(1e-4).optFeatures(Path.of("feats")).build();
        assertThat(o).isEqualTo(new Flickr8kRecipe.Options(DATASET, EncoderKind.RESNET50, weights, OUT, 7, 32, 2, 5,
                256, 128, 4, 9, 8, true, DecoderType.SHOW_AND_TELL, 0, false, 64, 0.25, 0.5, 1e-4, Path.of("feats")));
        Flickr8kRecipe.Options attention = Flickr8kRecipe.Options.builder().setDataset(DATASET)
                .setEncoder(EncoderKind.RESNET50).optWeights(weights).setOutDir(OUT)
                .optDecoder(DecoderType.SHOW_ATTEND_TELL).optSpatialSize(14).optFp16(true).build();
        assertThat(attention.decoder()).isEqualTo(DecoderType.SHOW_ATTEND_TELL);
        assertThat(attention.spatialSize()).isEqualTo(14);
        assertThat(attention.fp16()).isTrue();
    }

    @Test
    void refusesMissingRequiredOptions() {
        assertThatThrownBy(() -> Flickr8kRecipe.Options.builder().setEncoder(EncoderKind.SMALL_CNN).setOutDir(OUT)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset, encoder and outDir are required");
    }

    @Test
    void refusesOutOfRangeValuesNamingTheOptionAndValue() {
        assertThatThrownBy(() -> smallCnn().optEpochs(0).build())
                .hasMessage("epochs must be at least 1, found 0");
        assertThatThrownBy(() -> smallCnn().optEncodeBatchSize(-2).build())
                .hasMessage("encode-batch-size must be at least 1, found -2");
    }

    @Test
    void spatialSizeIsRefusedForTheLstmDecoderNamingTheValue() {
        assertThatThrownBy(() -> smallCnn().optSpatialSize(14).build())
                .hasMessage("--spatial-size needs --decoder attention (the lstm decoder reads the pooled vector),"
                        + " found 14");
        assertThatThrownBy(() -> smallCnn().optDecoder(DecoderType.SHOW_ATTEND_TELL).optSpatialSize(-1).build())
                .hasMessage("spatial-size must be 0 (the network's own map) or positive, found -1");
    }

    @Test
    void fp16IsRefusedWithFeaturesExtractedElsewhere() {
        assertThatThrownBy(() -> Flickr8kRecipe.Options.builder().setDataset(DATASET).setEncoder(EncoderKind.RESNET50)
                .optWeights(Path.of("w.npz")).setOutDir(OUT).optFeatures(Path.of("feats")).optFp16(true).build())
                .hasMessage("--fp16 sets how the local feature cache stores values, but with --features feats no"
                        + " cache is written");
    }

    @Test
    void imageMergeIsRefusedForTheAttentionDecoder() {
        assertThatThrownBy(() -> smallCnn().optDecoder(DecoderType.SHOW_ATTEND_TELL).optImageMerge(true).build())
                .hasMessage("--image-merge is an option of the lstm decoder, not of attention");
    }

    @Test
    void refusesOutOfRangeAttentionSettingsNamingTheOptionAndValue() {
        assertThatThrownBy(() -> smallCnn().optDropout(1.0).build())
                .hasMessage("dropout must be in [0, 1), found 1.0");
        assertThatThrownBy(() -> smallCnn().optAttentionPenalty(-0.5).build())
                .hasMessage("attention-penalty must be a finite number of at least 0, found -0.5");
        assertThatThrownBy(() -> smallCnn().optAttentionSize(0).build())
                .hasMessage("attention-dim must be at least 1, found 0");
        assertThatThrownBy(() -> smallCnn().optLearningRate(0).build())
                .hasMessage("learning-rate must be a finite number above 0, found 0.0");
    }

    @Test
    void weightsAreRequiredForTorchvisionEncodersAndRefusedForTheSmallCnn() {
        assertThatThrownBy(() -> Flickr8kRecipe.Options.builder().setDataset(DATASET).setEncoder(EncoderKind.VGG16)
                .setOutDir(OUT).build())
                .hasMessageContaining("--weights is required for encoder vgg16");
        assertThatThrownBy(() -> smallCnn().optWeights(Path.of("x.npz")).build())
                .hasMessageContaining("--weights is not used by encoder small-cnn")
                .hasMessageContaining("x.npz");
    }

    @Test
    void featuresAreRefusedForTheSmallCnn() {
        assertThatThrownBy(() -> smallCnn().optFeatures(Path.of("feats")).build())
                .hasMessage("--features needs encoder vgg16 or resnet50 (the encoders the feature extraction job"
                        + " runs), found small-cnn");
    }
}
