package io.captioner.examples.attention;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.DecodingOptions;
import io.captioner.data.Split;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.data.synthetic.SyntheticSample;
import io.captioner.examples.attention.AttentionAlignment.Variant;
import io.captioner.examples.cli.TinyModel;
import io.captioner.models.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real attention model (a saved tiny artifact with seeded random weights, loaded by {@link
 * Captioner#load}) attends alike to an upright JPEG and to the same picture stored on its side with
 * an EXIF orientation tag.
 */
class ExifAttentionTest {

    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(600).optImageSize(64).build();
    private static final DecodingOptions OPTIONS = DecodingOptions.builder().optMaxLength(4).optAttention(true).build();

    @TempDir Path dir;

    private static double l1(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum;
    }

    private static int quadrantOfPeak(float[] row, int side) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return AttentionAlignment.quadrant(best % side + 0.5, best / side + 0.5, side, side);
    }

    @Test
    void exifRotatedJpegsGetTheAttentionOfTheUprightOnesAndUntaggedOnesDoNot() {
        Path model = TinyModel.saveAttention(dir.resolve("model"), DATA);
        ImageLoader loader = ImageLoader.standard();
        List<SyntheticSample> samples = DATA.indices(Split.TEST).mapToObj(DATA::sample)
                .filter(s -> s.scene().shapes().size() == 1).limit(8).toList();
        List<BufferedImage> upright = samples.stream()
                .map(s -> AttentionAlignment.input(Variant.JPEG, s, loader).image()).toList();
        List<BufferedImage> tagged = samples.stream()
                .map(s -> AttentionAlignment.input(Variant.EXIF_JPEG, s, loader).image()).toList();
        List<BufferedImage> untagged = samples.stream().map(s -> loader.decode(AttentionAlignment.jpeg(
                AttentionAlignment.turnedAnticlockwise(s.image())), "the stored pixels without the tag")).toList();
        try (Captioner captioner = Captioner.load(model)) {
            List<Caption> expected = captioner.captionAll(upright, OPTIONS);
            List<Caption> rotated = captioner.captionAll(tagged, OPTIONS);
            List<Caption> sideways = captioner.captionAll(untagged, OPTIONS);
            for (int i = 0; i < samples.size(); i++) {
                String name = samples.get(i).imageName();
                float[] e = expected.get(i).attention().weights(0);
                float[] r = rotated.get(i).attention().weights(0);
                assertThat(l1(r, e)).as(name + " tagged").isLessThan(0.05);
                assertThat(quadrantOfPeak(r, 4)).as(name + " peak region").isEqualTo(quadrantOfPeak(e, 4));
                assertThat(l1(sideways.get(i).attention().weights(0), e)).as(name + " untagged").isGreaterThan(0.1);
            }
        }
    }
}
