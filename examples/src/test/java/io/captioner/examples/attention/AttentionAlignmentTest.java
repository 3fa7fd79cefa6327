package io.captioner.examples.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.data.Split;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.data.synthetic.SyntheticSample;
import io.captioner.examples.attention.AttentionAlignment.Input;
import io.captioner.examples.attention.AttentionAlignment.Outcome;
import io.captioner.examples.attention.AttentionAlignment.Result;
import io.captioner.examples.attention.AttentionAlignment.Variant;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.image.Preprocessing;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionAlignmentTest {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    /** The quickstart's small CNN: the whole 64-pixel image. */
    private static final Preprocessing WHOLE = new Preprocessing(64, 64, MEAN, STD);
    /** A model that crops: resize to 80, keep the centre 64 (a tenth cut from each side). */
    private static final Preprocessing CROPPING = new Preprocessing(80, 64, MEAN, STD);
    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(600).optImageSize(64).build();
    private static final ImageLoader LOADER = ImageLoader.standard();

    /** The first test image that shows one shape away from the centre lines, so rotation moves it to another quadrant. */
    private static SyntheticSample offCentreSample() {
        return DATA.indices(Split.TEST).mapToObj(DATA::sample)
                .filter(s -> s.scene().shapes().size() == 1)
                .filter(s -> Math.abs(s.scene().shapes().get(0).x() + 0.5 - 32) > 12
                        && Math.abs(s.scene().shapes().get(0).y() + 0.5 - 32) > 12)
                .findFirst().orElseThrow();
    }

    private static Outcome outcome(ColourSeekingCaptioner model, Preprocessing preprocessing, Input input) {
        Caption caption = model.caption(input.image(), DecodingOptions.defaults());
        return AttentionAlignment.outcome(0, caption, input, preprocessing);
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    @Test
    void anExifRotatedJpegGivesTheSamePeakRegionAsTheUprightOne() {
        SyntheticSample sample = offCentreSample();
        ColourSeekingCaptioner model = new ColourSeekingCaptioner(WHOLE, false);
        Outcome upright = outcome(model, WHOLE, AttentionAlignment.input(Variant.JPEG, sample, LOADER));
        Outcome rotated = outcome(model, WHOLE, AttentionAlignment.input(Variant.EXIF_JPEG, sample, LOADER));

        assertThat(upright.aligned()).as("upright JPEG: peak in the shape's quadrant").isTrue();
        assertThat(rotated.peakQuadrant()).isEqualTo(upright.peakQuadrant());
        assertThat(rotated.peakY()).isEqualTo(upright.peakY());
        assertThat(rotated.peakX()).isEqualTo(upright.peakX());
    }

    @Test
    void theSameJpegWithoutItsExifTagPeaksElsewhere() {
        // proves the previous test can fail: the stored pixels are on their side
        SyntheticSample sample = offCentreSample();
        ColourSeekingCaptioner model = new ColourSeekingCaptioner(WHOLE, false);
        Input turned = AttentionAlignment.input(Variant.EXIF_JPEG, sample, LOADER);
        BufferedImage stored = LOADER.decode(AttentionAlignment.jpeg(AttentionAlignment.turnedAnticlockwise(
                sample.image())), "stored pixels");
        Outcome untagged = outcome(model, WHOLE, new Input(stored, turned.centreX(), turned.centreY()));
        assertThat(untagged.aligned()).isFalse();
    }

    @Test
    void theLoaderTurnsTheExifJpegBackToTheUprightPicture() {
        SyntheticSample sample = offCentreSample();
        BufferedImage upright = AttentionAlignment.input(Variant.JPEG, sample, LOADER).image();
        BufferedImage rotated = AttentionAlignment.input(Variant.EXIF_JPEG, sample, LOADER).image();
        BufferedImage stored = LOADER.decode(AttentionAlignment.jpeg(AttentionAlignment.turnedAnticlockwise(
                sample.image())), "stored pixels");
        double turnedBack = meanAbsoluteDifference(rotated, upright);
        assertThat(turnedBack).as("JPEG noise only").isLessThan(2.0);
        assertThat(meanAbsoluteDifference(stored, upright)).as("on its side").isGreaterThan(3 * turnedBack);
    }

    @Test
    void everyVariantLinesUpForAModelThatLooksAtTheShape() {
        Result result = AttentionAlignment.measure(new ColourSeekingCaptioner(WHOLE, false), WHOLE, DATA,
                DecodingOptions.defaults(), 100);
        assertThat(result.images()).isGreaterThanOrEqualTo(15);
        for (Variant v : Variant.values()) {
            assertThat(result.of(v).scored()).as(v.id() + " scored").isEqualTo(result.images());
            assertThat(result.of(v).quadrantShare()).as(v.id() + " quadrant share").isGreaterThanOrEqualTo(0.9);
            if (v != Variant.SQUARE) {
                assertThat(result.sameQuadrantShare(v)).as(v.id() + " same quadrant").isGreaterThanOrEqualTo(0.9);
            }
        }
    }

    @Test
    void shapesAreMappedThroughTheModelsCropForEveryVariant() {
        Result result = AttentionAlignment.measure(new ColourSeekingCaptioner(CROPPING, false), CROPPING, DATA,
                DecodingOptions.defaults(), 100);
        for (Variant v : Variant.values()) {
            assertThat(result.of(v).quadrantShare()).as(v.id() + " quadrant share").isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void aModelThatLooksInTheWrongPlaceScoresLow() {
        Result result = AttentionAlignment.measure(new ColourSeekingCaptioner(WHOLE, true), WHOLE, DATA,
                DecodingOptions.defaults(), 100);
        for (Variant v : Variant.values()) {
            assertThat(result.of(v).quadrantShare()).as(v.id() + " quadrant share").isLessThan(0.6);
        }
    }

    @Test
    void captionsWithoutAShapeWordAreCountedButNotScored() {
        SyntheticSample sample = offCentreSample();
        Input input = AttentionAlignment.input(Variant.SQUARE, sample, LOADER);
        Caption plain = Caption.of(List.of("a", "picture"), List.of(-0.1, -0.1));
        Outcome o = AttentionAlignment.outcome(sample.index(), plain, input, WHOLE);
        assertThat(o.word()).isNull();
        assertThat(o.scored()).isFalse();
        assertThat(o.shapeQuadrant()).isBetween(0, 3);
    }

    @Test
    void aCaptionNamingAShapeWithoutAttentionIsRefusedNamingTheImage() {
        SyntheticSample sample = offCentreSample();
        Input input = AttentionAlignment.input(Variant.SQUARE, sample, LOADER);
        Caption plain = Caption.of(List.of("a", "star"), List.of(-0.1, -0.1));
        assertThatThrownBy(() -> AttentionAlignment.outcome(7, plain, input, WHOLE))
                .hasMessageContaining("image 7: the caption 'a star' has no attention weights");
    }

    @Test
    void theExifSegmentCarriesTheOrientation() {
        byte[] jpeg = AttentionAlignment.jpeg(new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB));
        BufferedImage decoded = LOADER.decode(AttentionAlignment.withExifOrientation(jpeg, 6), "tagged");
        assertThat(decoded.getWidth()).isEqualTo(8);
        assertThat(decoded.getHeight()).isEqualTo(16);
        assertThatThrownBy(() -> AttentionAlignment.withExifOrientation(jpeg, 9))
                .hasMessage("EXIF orientation must be 1 to 8, found 9");
    }

    @Test
    void aShareOfNoImagesIsNullInTheJson() {
        Outcome unnamed = new Outcome(0, "a picture", null, -1, -1, -1, 2);
        List<AttentionAlignment.VariantResult> variants = java.util.Arrays.stream(Variant.values())
                .map(v -> new AttentionAlignment.VariantResult(v, List.of(unnamed))).toList();
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(new Result(1, variants).toJson())
                .getAsJsonObject().getAsJsonObject("variants");
        assertThat(json.getAsJsonObject("square").get("quadrant_share").isJsonNull()).isTrue();
        assertThat(json.getAsJsonObject("square").get("without_shape_word").getAsInt()).isEqualTo(1);
        assertThat(json.getAsJsonObject("exif-jpeg").get("compared_with").getAsString()).isEqualTo("jpeg");
        assertThat(json.getAsJsonObject("exif-jpeg").get("same_cell_share").isJsonNull()).isTrue();
    }
}
