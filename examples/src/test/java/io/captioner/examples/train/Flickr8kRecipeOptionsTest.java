package io.captioner.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(o.features()).isNull();
    }

    @Test
    void everySetterReachesItsField() {
        Path weights = Path.of("resnet50.npz");
        Flickr8kRecipe.Options o = Flickr8kRecipe.Options.builder().setDataset(DATASET).setEncoder(EncoderKind.RESNET50)
                .optWeights(weights).setOutDir(OUT).optEpochs(7).optBatchSize(32).optMinCount(2).optBeam(5)
                .optHiddenSize(256).optEmbeddingSize(128).optPatience(4).optSeed(9).optEncodeBatchSize(8)
                .optImageMerge(true).optFeatures(Path.of("feats")).build();
        assertThat(o).isEqualTo(new Flickr8kRecipe.Options(DATASET, EncoderKind.RESNET50, weights, OUT, 7, 32, 2, 5,
                256, 128, 4, 9, 8, true, Path.of("feats")));
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
