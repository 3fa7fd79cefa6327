package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding rules: colour models to RGB, EXIF orientation, size limit and bad files. */
class ImageLoaderTest {

    @TempDir Path dir;

    private final ImageLoader loader = ImageLoader.standard();

    @Test
    void cmykJpegIsDecodedToRgb() throws IOException {
        // 4-channel JPEG raster with cyan only (Adobe CMYK stores inverted values: 255 - ink)
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setPixel(x, y, new int[] {0, 255, 255, 255});
            }
        }
        Path file = dir.resolve("cmyk-raw.jpg");
        ImageWriter writer = jdkJpegWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        // Photoshop-style CMYK JPEGs carry an Adobe APP14 segment, transform 0 = CMYK (inverted)
        byte[] jpeg = withSegment(Files.readAllBytes(file), 0xEE,
                new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        BufferedImage img = loader.decode(jpeg, "cmyk.jpg");
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(img.getWidth()).isEqualTo(32);
        int p = img.getRGB(16, 8);
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        assertThat(r).as("cyan has little red").isLessThan(g - 80).isLessThan(b - 80);
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter fallback = null;
        while (it.hasNext()) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
            fallback = w;
        }
        return fallback;
    }

    @Test
    void sixteenBitGreyIsScaledAndReplicated() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(1, 1, 0, 65535);
        img.getRaster().setSample(2, 2, 0, 32896); // 128 * 257
        BufferedImage rgb = loader.load(TestImages.png(img, dir.resolve("g16.png")));
        assertThat(rgb.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(rgb.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0x808080);
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0);
    }

    @Test
    void sixteenBitRgbIsScaledToEightBits() throws IOException {
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {65535, 0, 32896});
        raster.setPixel(1, 0, new int[] {257 * 10, 257 * 200, 257 * 30});
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        BufferedImage rgb = loader.load(TestImages.png(img, dir.resolve("rgb16.png")));
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0080);
        assertThat(rgb.getRGB(1, 0) & 0xFFFFFF).isEqualTo((10 << 16) | (200 << 8) | 30);
    }

    @Test
    void eightBitGreyKeepsItsLevelsInsteadOfGammaBrightening() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 100);
        BufferedImage rgb = loader.load(TestImages.png(img, dir.resolve("g8.png")));
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x646464);
    }

    @Test
    void paletteImageTakesItsPaletteColours() throws IOException {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, (byte) 200};
        byte[] b = {0, 10};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        img.getRaster().setSample(1, 0, 0, 1);
        BufferedImage rgb = loader.load(TestImages.png(img, dir.resolve("pal.png")));
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(rgb.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x00C80A);
    }

    @Test
    void alphaIsCompositedOnWhite() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000); // fully transparent black
        img.setRGB(1, 0, 0xFF102030); // opaque
        img.setRGB(2, 0, 0x80000000); // half-transparent black
        BufferedImage rgb = loader.load(TestImages.png(img, dir.resolve("alpha.png")));
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(rgb.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x102030);
        assertThat(rgb.getRGB(2, 0) & 0xFF).isEqualTo(127);
    }

    @Test
    void exifOrientationSixRotatesClockwise() throws IOException {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x < 20 ? 0xFF0000 : 0x0000FF); // left red, right blue
            }
        }
        byte[] jpeg = withExifOrientation(jpeg(img), 6);
        BufferedImage upright = loader.decode(jpeg, "rotated.jpg");
        assertThat(upright.getWidth()).isEqualTo(20);
        assertThat(upright.getHeight()).isEqualTo(40);
        assertThat((upright.getRGB(10, 5) >> 16) & 0xFF).as("top is the former left: red").isGreaterThan(200);
        assertThat(upright.getRGB(10, 35) & 0xFF).as("bottom is the former right: blue").isGreaterThan(200);
        assertThat(ExifOrientation.read(jpeg)).isEqualTo(6);
    }

    @Test
    void everyOrientationMapsTheCornerPixelWhereAViewerShowsIt() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 1); // stored top-left
        int[][] expected = {{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}}; // x, y per value 1..8
        for (int o = 1; o <= 8; o++) {
            BufferedImage out = ExifOrientation.apply(img, o);
            assertThat(out.getRGB(expected[o - 1][0], expected[o - 1][1]) & 0xFFFFFF).as("orientation " + o).isEqualTo(1);
        }
    }

    @Test
    void imageAboveThePixelLimitIsRejectedBeforeDecoding() throws IOException {
        Path file = TestImages.png(TestImages.rgb(100, 50, 1), dir.resolve("big.png"));
        assertThatThrownBy(() -> ImageLoader.withMaxPixels(4999).load(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("big.png")
                .hasMessageContaining("100x50 = 5000 pixels exceeds the limit of 4999");
        assertThat(ImageLoader.withMaxPixels(5000).load(file).getWidth()).isEqualTo(100);
    }

    @Test
    void nonImageFileIsRejectedNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.jpg"), "hello, not an image");
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("notes.jpg: not a supported image format");
    }

    @Test
    void truncatedPngIsReportedAsCorrupt() throws IOException {
        byte[] png = Files.readAllBytes(TestImages.png(TestImages.rgb(64, 64, 2), dir.resolve("ok.png")));
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> loader.decode(cut, "cut.png"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("cut.png: corrupt");
    }

    @Test
    void missingFileIsReportedNamingIt() {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.png")))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("nope.png: image file not found");
    }

    static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /** Inserts an APPn segment right after SOI. */
    static byte[] withSegment(byte[] jpeg, int marker, byte[] data) {
        int len = 2 + data.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(data);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Inserts a big-endian EXIF APP1 segment with one orientation entry right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // orientation SHORT
            0, 0, 0, 0 // no next IFD
        };
        int len = 2 + 6 + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
