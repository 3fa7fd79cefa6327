package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.djl.ndarray.NDManager;
import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.SameCaption;
import io.captioner.models.TinyCaptioner;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad or unusual upload, sent through the Captioner: a caption or a clear CaptionerException. */
class CaptionerBadInputTest {

    private static DjlCaptioner captioner;

    @TempDir Path dir;

    @BeforeAll
    static void create() {
        captioner = TinyCaptioner.create(21);
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    private static BufferedImage pattern(int w, int h) {
        return TestImages.rgb(w, h, 9);
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", out)).isTrue();
        return out.toByteArray();
    }

    private void assertCaptionOf(byte[] upload, BufferedImage expectedPixels, String what) {
        Caption got = captioner.caption(upload);
        SameCaption.assertSame(got, captioner.caption(expectedPixels), what);
    }

    @Test
    void zeroByteFileIsRejectedNamingIt() throws IOException {
        Path file = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertThatThrownBy(() -> captioner.caption(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("empty.jpg")
                .hasMessageContaining("<empty file>");
    }

    @Test
    void truncatedJpegIsRejectedAsCorruptOrCaptionedFromWhatWasDecoded() throws IOException {
        byte[] jpeg = ImageLoaderTest.jpeg(pattern(64, 64));
        Path file = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        try {
            Caption c = captioner.caption(file);
            assertThat(c.tokenLogProbs()).isNotEmpty(); // the reader filled the missing rows
        } catch (CaptionerException e) {
            assertThat(e).hasMessageContaining("cut.jpg");
        }
        Path header = Files.write(dir.resolve("header-only.jpg"), Arrays.copyOf(jpeg, 20));
        assertThatThrownBy(() -> captioner.caption(header))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("header-only.jpg");
    }

    @Test
    void nonImageBytesAreRejectedAsUnsupported() {
        byte[] text = "%PDF-1.7 definitely not a picture".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> captioner.caption(text))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("not a supported image format")
                .hasMessageContaining("255044462d"); // the first bytes, in hex
    }

    @Test
    void unsupportedFormatWebpIsRejectedListingTheSupportedOnes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("RIFF".getBytes(StandardCharsets.US_ASCII));
        b.write(new byte[] {30, 0, 0, 0});
        b.write("WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
        b.write(new byte[22]);
        Path file = Files.write(dir.resolve("photo.webp"), b.toByteArray());
        assertThatThrownBy(() -> captioner.caption(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("photo.webp: not a supported image format")
                .hasMessageContaining("supported:");
    }

    @Test
    void oneByOneImageGetsACaption() throws IOException {
        BufferedImage img = pattern(1, 1);
        assertCaptionOf(png(img), img, "1x1");
        assertThat(captioner.caption(img).tokenLogProbs()).isNotEmpty();
    }

    @Test
    void declaredFiftyThousandSquarePngIsRejectedBeforeDecoding() throws IOException {
        byte[] png = pngHeaderOnly(50_000, 50_000);
        Path file = Files.write(dir.resolve("bomb.png"), png);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> captioner.caption(file))
                        .isInstanceOf(CaptionerException.class)
                        .hasMessageContaining("bomb.png: image of 50000x50000 = 2500000000 pixels exceeds the limit"));
    }

    @Test
    void grayscalePngIsCaptionedAsItsGreyRgb() throws IOException {
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int v = (x * 7 + y * 3) % 256;
                grey.getRaster().setSample(x, y, 0, v);
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        assertCaptionOf(png(grey), rgb, "grey");
    }

    @Test
    void sixteenBitPngIsCaptionedAsItsEightBitImage() throws IOException {
        BufferedImage g16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int v = (x * 5 + y * 2) % 256;
                g16.getRaster().setSample(x, y, 0, v * 257);
                rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        assertCaptionOf(png(g16), rgb, "16-bit grey");
    }

    @Test
    void alphaPngIsCaptionedAsCompositedOnWhite() throws IOException {
        BufferedImage argb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        BufferedImage onWhite = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean opaque = x < 20;
                argb.setRGB(x, y, opaque ? 0xFF2050A0 : 0x00000000);
                onWhite.setRGB(x, y, opaque ? 0x2050A0 : 0xFFFFFF);
            }
        }
        assertCaptionOf(png(argb), onWhite, "alpha");
    }

    @Test
    void palettePngIsCaptionedAsItsColours() throws IOException {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, (byte) 200};
        byte[] b = {0, 10};
        BufferedImage pal = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int i = (x / 5 + y / 5) % 2;
                pal.getRaster().setSample(x, y, 0, i);
                rgb.setRGB(x, y, i == 0 ? 0xFF0000 : 0x00C80A);
            }
        }
        assertCaptionOf(png(pal), rgb, "palette");
    }

    @Test
    void cmykJpegGetsACaption() throws IOException {
        // Captioning accepts the file; whether its colours are right is CmykJpegColourTest's job.
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setPixel(x, y, new int[] {0, 255, 255, 255});
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = jdkJpegWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = ImageLoaderTest.withSegment(bytes.toByteArray(), 0xEE,
                new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        Caption c = captioner.caption(jpeg);
        assertThat(c.tokenLogProbs()).isNotEmpty();
        SameCaption.assertSame(c, captioner.caption(ImageLoader.standard().decode(jpeg, "cmyk.jpg")), "cmyk");
    }

    @Test
    void animatedGifIsCaptionedFromItsFirstFrame() throws IOException {
        BufferedImage first = solid(0xFF0000);
        BufferedImage second = solid(0x0000FF);
        byte[] gif = animatedGif(first, second);
        Caption c = captioner.caption(gif);
        SameCaption.assertSame(c, captioner.caption(first), "first frame");
        assertThat(c.logProb()).isNotEqualTo(captioner.caption(second).logProb());
    }

    @Test
    void exifRotatedJpegIsCaptionedUpright() throws IOException {
        BufferedImage img = pattern(48, 24);
        byte[] plain = ImageLoaderTest.jpeg(img);
        byte[] rotated = ImageLoaderTest.withExifOrientation(plain, 6);
        BufferedImage stored = ImageIO.read(new java.io.ByteArrayInputStream(plain));
        BufferedImage upright = new BufferedImage(stored.getHeight(), stored.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < stored.getHeight(); y++) {
            for (int x = 0; x < stored.getWidth(); x++) { // orientation 6: rotate 90 degrees clockwise
                upright.setRGB(stored.getHeight() - 1 - y, x, stored.getRGB(x, y));
            }
        }
        Caption c = captioner.caption(rotated);
        SameCaption.assertSame(c, captioner.caption(upright), "exif 6");
    }

    @Tag("slow")
    @Test
    void rejectedUploadsLeaveTheNdArrayCountFlat() throws IOException {
        NDManager system = NDManager.newBaseManager().getParentManager();
        byte[] bomb = pngHeaderOnly(50_000, 50_000);
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] jpeg = ImageLoaderTest.jpeg(pattern(32, 32));
        byte[] cut = Arrays.copyOf(jpeg, 30);
        captioner.caption(jpeg);
        int before = system.getManagedArrays().size();
        for (int i = 0; i < 50; i++) {
            for (byte[] bad : new byte[][] {bomb, text, cut, new byte[0]}) {
                assertThatThrownBy(() -> captioner.caption(bad)).isInstanceOf(CaptionerException.class);
            }
            captioner.caption(jpeg);
        }
        assertThat(system.getManagedArrays().size()).isEqualTo(before);
    }

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static byte[] animatedGif(BufferedImage... frames) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage f : frames) {
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(f), null);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode gce = new IIOMetadataNode("GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", "10");
                gce.setAttribute("transparentColorIndex", "0");
                root.appendChild(gce);
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(f, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A PNG signature and a valid IHDR declaring the size, then IEND: no pixel data at all. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return b.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
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
}
