package io.captioner.models.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.SameCaption;
import io.captioner.models.TinyCaptioner;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionTranslatorTest {

    @TempDir Path dir;

    @Test
    void artifactLoadsThroughCriteriaAndCaptionsWithAStandardPredictor() throws Exception {
        List<BufferedImage> images = TinyCaptioner.images(0, 4);
        Path artifact = dir.resolve("model");
        try (DjlCaptioner original = TinyCaptioner.create(13)) {
            TinyCaptioner.writer(original).write(artifact);
            Criteria<Image, Caption> criteria = Criteria.builder()
                    .setTypes(Image.class, Caption.class)
                    .optModelPath(artifact)
                    .optTranslatorFactory(new CaptionTranslatorFactory())
                    .build();
            try (ZooModel<Image, Caption> model = criteria.loadModel();
                    Predictor<Image, Caption> predictor = model.newPredictor()) {
                for (int i = 0; i < images.size(); i++) {
                    Caption c = predictor.predict(ImageFactory.getInstance().fromImage(images.get(i)));
                    SameCaption.assertSame(c, original.caption(images.get(i)), "image " + i);
                }
            }
        }
    }

    @Test
    void translatorNamedByArgumentWithBeamArgumentsGivesBeamCaptions() throws Exception {
        List<BufferedImage> images = TinyCaptioner.images(4, 2);
        Path artifact = dir.resolve("model");
        try (DjlCaptioner original = TinyCaptioner.create(17)) {
            TinyCaptioner.writer(original).write(artifact);
            Criteria<Image, Caption> criteria = Criteria.builder()
                    .setTypes(Image.class, Caption.class)
                    .optModelPath(artifact)
                    .optArgument("translatorFactory", CaptionTranslatorFactory.class.getName())
                    .optArgument("beamSize", 3)
                    .optArgument("nBest", 2)
                    .build();
            DecodingOptions beam = original.defaultOptions().toBuilder()
                    .optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(3).optNBest(2).build();
            try (ZooModel<Image, Caption> model = criteria.loadModel();
                    Predictor<Image, Caption> predictor = model.newPredictor()) {
                for (int i = 0; i < images.size(); i++) {
                    Caption c = predictor.predict(ImageFactory.getInstance().fromImage(images.get(i)));
                    assertThat(c.alternatives()).hasSize(1);
                    SameCaption.assertSame(c, original.caption(images.get(i), beam), "image " + i);
                }
            }
        }
    }
}
