package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Proves that the PNG encoder is lossless and readable by a standard decoder. */
class PngEncoderTest {

    private static int[] decode(byte[] png, int w, int h) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(w);
        assertThat(image.getHeight()).isEqualTo(h);
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
        return rgb;
    }

    @Test
    void randomPixelsOfAnOddSizeRoundTripExactly() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        int w = 37;
        int h = 23;
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextInt(0x1000000);
        }
        assertThat(decode(PngEncoder.encode(rgb, w, h), w, h)).isEqualTo(rgb);
    }

    @Test
    void topByteOfEachPixelIsIgnored() throws IOException {
        int[] rgb = {0xFF123456, 0x00ABCDEF};
        assertThat(decode(PngEncoder.encode(rgb, 2, 1), 2, 1)).containsExactly(0x123456, 0xABCDEF);
    }

    @Test
    void flatImagesCompressWell() {
        int[] rgb = new int[96 * 96];
        java.util.Arrays.fill(rgb, 0x808080);
        assertThat(PngEncoder.encode(rgb, 96, 96).length).isLessThan(300);
    }

    @Test
    void rejectsAPixelCountThatDoesNotMatchTheSize() {
        assertThatThrownBy(() -> PngEncoder.encode(new int[10], 4, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 16 pixels").hasMessageContaining("found 10");
    }
}
