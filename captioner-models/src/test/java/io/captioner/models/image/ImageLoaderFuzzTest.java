package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.testing.FuzzContract;
import java.awt.image.BufferedImage;

/**
 * Fuzz target 1 of issue 18: any bytes as an uploaded image, through {@link ImageLoader} (format
 * detection, header size check, ImageIO/TwelveMonkeys decoding, EXIF orientation, colour
 * conversion) and {@link Preprocessing} (resize, crop, normalise).
 *
 * <p>The loader may only refuse with a {@code CaptionerException}; an image it accepts is upright
 * 8-bit RGB within the pixel limit, and preprocessing turns it into a finite {@code [3, 224,
 * 224]} tensor. The limit here is 4 megapixels instead of the default 50, so that one input can
 * stay under the contract's second even when it decodes a large blank image (the 50-megapixel
 * refusal itself is the bomb test {@link ImageBombTest}). Seeds (PNG RGB/RGBA/grey/16-bit/palette/
 * eXIf, JPEG RGB/grey/progressive/EXIF-rotated/CMYK, animated GIF, BMP, WBMP) and regression
 * inputs: {@code ImageLoaderFuzzTestInputs/anyImageBytes/}.
 */
class ImageLoaderFuzzTest {

    private static final long MAX_PIXELS = 4_000_000L;
    private static final ImageLoader LOADER = ImageLoader.withMaxPixels(MAX_PIXELS);
    private static final Preprocessing IMAGENET = Preprocessing.imagenet();

    @FuzzTest(maxDuration = "30s")
    void anyImageBytes(byte[] data) throws Exception {
        BufferedImage[] decoded = new BufferedImage[1];
        if (!FuzzContract.accepts(() -> decoded[0] = LOADER.decode(data, "upload.bin"))) {
            return;
        }
        BufferedImage image = decoded[0];
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat((long) image.getWidth() * image.getHeight()).isBetween(1L, MAX_PIXELS);
        float[] tensor = IMAGENET.toTensor(image);
        assertThat(tensor).hasSize(3 * IMAGENET.crop() * IMAGENET.crop());
        for (float v : tensor) {
            if (!Float.isFinite(v)) {
                throw new AssertionError("preprocessing gave " + v + " for a " + image.getWidth() + "x"
                        + image.getHeight() + " image");
            }
        }
    }
}
