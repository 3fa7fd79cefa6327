package io.captioner.models.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecoderConfigTest {

    @Test
    void defaultsFollowShowAndTell() {
        DecoderConfig c = DecoderConfig.builder().setVocabularySize(100).setFeatureSize(2048).build();
        assertThat(c.embeddingSize()).isEqualTo(512);
        assertThat(c.hiddenSize()).isEqualTo(512);
        assertThat(c.numLayers()).isEqualTo(1);
        assertThat(c.dropout()).isEqualTo(0.5);
        assertThat(c.imageInjection()).isEqualTo(ImageInjection.FIRST_INPUT);
        assertThat(c.imageMerge()).isFalse();
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> DecoderConfig.builder().setFeatureSize(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabularySize");
        assertThatThrownBy(() -> DecoderConfig.builder().setVocabularySize(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("featureSize");
    }

    @Test
    void invalidValueIsReportedWithFieldAndValue() {
        assertThatThrownBy(() -> DecoderConfig.builder().setVocabularySize(10).setFeatureSize(4)
                        .optDropout(1.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout").hasMessageContaining("1.0");
        assertThatThrownBy(() -> DecoderConfig.builder().setVocabularySize(10).setFeatureSize(4)
                        .optNumLayers(0).build())
                .hasMessageContaining("numLayers").hasMessageContaining("0");
    }

    @Test
    void builderOrderDoesNotMatterAndToBuilderRoundTrips() {
        DecoderConfig a = DecoderConfig.builder().optHiddenSize(64).setFeatureSize(8).setVocabularySize(20)
                .optImageInjection(ImageInjection.INIT_STATE).optImageMerge(true).build();
        DecoderConfig b = DecoderConfig.builder().optImageMerge(true).setVocabularySize(20)
                .optImageInjection(ImageInjection.INIT_STATE).setFeatureSize(8).optHiddenSize(64).build();
        assertThat(a).isEqualTo(b);
        assertThat(a.toBuilder().build()).isEqualTo(a);
    }

    @Test
    void toStringNamesEveryField() {
        String s = DecoderConfig.builder().setVocabularySize(20).setFeatureSize(8).build().toString();
        assertThat(s).contains("vocabularySize=20", "featureSize=8", "embeddingSize=512", "hiddenSize=512",
                "numLayers=1", "dropout=0.5", "imageInjection=FIRST_INPUT", "imageMerge=false");
    }
}
