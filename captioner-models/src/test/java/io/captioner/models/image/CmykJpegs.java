package io.captioner.models.image;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds Photoshop-style CMYK JPEGs for colour tests: flat patches of known ink amounts, stored
 * inverted as Adobe does (APP14 "Adobe", transform 0), with an embedded ICC profile (APP2).
 *
 * <p>The profile is made here so that its colours are known exactly: an ICC v2 CMYK output profile
 * whose colour table for reading ({@code A2B0}, 2 grid points per ink) maps each of the 16 corner
 * ink combinations to the Lab (D50) value of a chosen sRGB colour. (Its table for printing,
 * {@code B2A0}, is a coarse grey ramp: decoders only read it to check that the profile is whole.) A decoder that honours the profile
 * turns a corner patch into that sRGB colour; one that ignores it (for example the naive
 * {@code (1 − c)(1 − k)}) gives another.
 */
final class CmykJpegs {

    /** sRGB of paper and of each ink alone, roughly the process inks of a press: C, M, Y, K. */
    static final int[] PAPER = {255, 255, 255};
    static final int[][] INKS = {{0, 174, 239}, {236, 0, 140}, {255, 242, 0}, {35, 31, 32}};

    /** Side of a square patch in pixels: a multiple of 8, so JPEG blocks never straddle two patches. */
    static final int PATCH = 64;

    /** The ICC D50 illuminant of the profile connection space. */
    private static final double[] D50 = {0.9642, 1.0, 0.8249};

    /** Linear sRGB to XYZ, chromatically adapted from D65 to D50 (Bradford). */
    private static final double[][] SRGB_TO_XYZ_D50 = {
        {0.4360747, 0.3850649, 0.1430804},
        {0.2225045, 0.7168786, 0.0606169},
        {0.0139322, 0.0971045, 0.7141733},
    };

    private CmykJpegs() {}

    /**
     * The sRGB colour that the profile gives a corner of the ink cube: paper filtered by every ink
     * that is on, channel by channel ({@code 255 · Π ink/255}).
     *
     * @param on whether C, M, Y, K is at 100 % (else 0 %)
     * @return the 8-bit sRGB colour
     */
    static int[] cornerSrgb(boolean[] on) {
        double[] rgb = {1, 1, 1};
        for (int ink = 0; ink < 4; ink++) {
            for (int ch = 0; ch < 3 && on[ink]; ch++) {
                rgb[ch] *= INKS[ink][ch] / 255.0;
            }
        }
        return new int[] {
            (int) Math.round(PAPER[0] * rgb[0]), (int) Math.round(PAPER[1] * rgb[1]), (int) Math.round(PAPER[2] * rgb[2])
        };
    }

    /**
     * Returns the ICC profile described in the class comment.
     *
     * @return the profile bytes
     */
    static byte[] profile() {
        try {
            byte[] desc = textDescription("captioner test CMYK");
            byte[] cprt = text("No copyright, test data");
            byte[] wtpt = xyz(D50);
            byte[] a2b0 = cornerLut();
            byte[] b2a0 = inverseLut();
            byte[][] tags = {desc, cprt, wtpt, a2b0, b2a0};
            String[] sigs = {"desc", "cprt", "wtpt", "A2B0", "B2A0"};
            int offset = 128 + 4 + 12 * tags.length;
            int[] offsets = new int[tags.length];
            for (int i = 0; i < tags.length; i++) {
                offsets[i] = offset;
                offset += align4(tags[i].length);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(offset); // profile size
            out.writeInt(0); // preferred CMM
            out.writeInt(0x02100000); // version 2.1
            out.writeBytes("prtr");
            out.writeBytes("CMYK");
            out.writeBytes("Lab ");
            for (int v : new int[] {2025, 1, 1, 0, 0, 0}) {
                out.writeShort(v); // creation date and time
            }
            out.writeBytes("acsp");
            out.write(new byte[64 - 40]); // platform, flags, manufacturer, model, attributes
            out.writeInt(0); // rendering intent: perceptual
            for (double v : D50) {
                out.writeInt(s15Fixed16(v));
            }
            out.write(new byte[128 - 80]); // creator, reserved
            out.writeInt(tags.length);
            for (int i = 0; i < tags.length; i++) {
                out.writeBytes(sigs[i]);
                out.writeInt(offsets[i]);
                out.writeInt(tags[i].length);
            }
            for (byte[] tag : tags) {
                out.write(tag);
                out.write(new byte[align4(tag.length) - tag.length]);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Encodes patches of ink amounts as an Adobe CMYK JPEG (quality 0.95) carrying the ICC profile.
     *
     * @param patches per patch row, per patch, the C, M, Y, K ink amounts 0–255 (255 = full ink)
     * @param icc the profile to embed, or null for none
     * @return the JPEG file's bytes
     */
    static byte[] adobeJpeg(int[][][] patches, byte[] icc) {
        int rows = patches.length;
        int cols = patches[0].length;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, cols * PATCH, rows * PATCH, 4,
                null);
        int[] stored = new int[4];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int i = 0; i < 4; i++) {
                    stored[i] = 255 - patches[r][c][i]; // Adobe stores 255 − ink
                }
                for (int y = r * PATCH; y < (r + 1) * PATCH; y++) {
                    for (int x = c * PATCH; x < (c + 1) * PATCH; x++) {
                        raster.setPixel(x, y, stored);
                    }
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = jdkJpegWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            // A raster has no colour model, so the JDK writes the four channels as they are, with
            // no colour transform and no JFIF or Adobe segment.
            writer.write(null, new IIOImage(raster, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = ImageLoaderTest.withSegment(bytes.toByteArray(), 0xEE,
                new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}); // transform 0: CMYK, not YCCK
        if (icc != null) {
            ByteArrayOutputStream app2 = new ByteArrayOutputStream();
            app2.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
            app2.write(1); // chunk 1
            app2.write(1); // of 1
            app2.writeBytes(icc);
            jpeg = ImageLoaderTest.withSegment(jpeg, 0xE2, app2.toByteArray());
        }
        return jpeg;
    }

    private static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext();) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new IllegalStateException("the JDK's JPEG writer is not registered");
    }

    /** lut16Type, 4 inputs, 3 outputs, 2 grid points, identity curves; the first ink varies slowest. */
    private static byte[] cornerLut() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("mft2");
        out.writeInt(0);
        out.write(4); // input channels
        out.write(3); // output channels
        out.write(2); // grid points per input
        out.write(0);
        for (int i = 0; i < 9; i++) {
            out.writeInt(i % 4 == 0 ? s15Fixed16(1) : 0); // identity matrix (used only for XYZ input)
        }
        out.writeShort(2); // input table entries
        out.writeShort(2); // output table entries
        for (int i = 0; i < 4; i++) {
            out.writeShort(0);
            out.writeShort(0xFFFF);
        }
        for (int corner = 0; corner < 16; corner++) {
            boolean[] on = {(corner & 8) != 0, (corner & 4) != 0, (corner & 2) != 0, (corner & 1) != 0};
            double[] lab = lab(cornerSrgb(on));
            // ICC v2 16-bit Lab: L* 0..100 -> 0..0xFF00, a* and b* -128..128 -> 0..0xFFFF (step 1/256)
            out.writeShort(clamp16(Math.round(lab[0] * 0xFF00 / 100.0)));
            out.writeShort(clamp16(Math.round((lab[1] + 128) * 256)));
            out.writeShort(clamp16(Math.round((lab[2] + 128) * 256)));
        }
        for (int i = 0; i < 3; i++) {
            out.writeShort(0);
            out.writeShort(0xFFFF);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * lut16Type from Lab to CMYK, 2 grid points: black for L* = 0, no ink for L* = 100. TwelveMonkeys
     * refuses a CMYK profile that cannot be linked in both directions.
     */
    private static byte[] inverseLut() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("mft2");
        out.writeInt(0);
        out.write(3); // input channels
        out.write(4); // output channels
        out.write(2); // grid points per input
        out.write(0);
        for (int i = 0; i < 9; i++) {
            out.writeInt(i % 4 == 0 ? s15Fixed16(1) : 0);
        }
        out.writeShort(2);
        out.writeShort(2);
        for (int i = 0; i < 3; i++) {
            out.writeShort(0);
            out.writeShort(0xFFFF);
        }
        for (int corner = 0; corner < 8; corner++) {
            boolean dark = (corner & 4) == 0; // L* is the first, slowest-varying input
            for (int ink = 0; ink < 4; ink++) {
                out.writeShort(dark && ink == 3 ? 0xFFFF : 0);
            }
        }
        for (int i = 0; i < 4; i++) {
            out.writeShort(0);
            out.writeShort(0xFFFF);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** CIE Lab relative to D50 of an 8-bit sRGB colour (IEC 61966-2-1 transfer curve). */
    static double[] lab(int[] srgb) {
        double[] linear = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = srgb[i] / 255.0;
            linear[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        double[] f = new double[3];
        for (int row = 0; row < 3; row++) {
            double xyz = 0;
            for (int col = 0; col < 3; col++) {
                xyz += SRGB_TO_XYZ_D50[row][col] * linear[col];
            }
            double t = xyz / D50[row];
            double delta = 6.0 / 29;
            f[row] = t > delta * delta * delta ? Math.cbrt(t) : t / (3 * delta * delta) + 4.0 / 29;
        }
        return new double[] {116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])};
    }

    private static byte[] textDescription(String ascii) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("desc");
        out.writeInt(0);
        out.writeInt(ascii.length() + 1);
        out.writeBytes(ascii);
        out.write(0);
        out.writeInt(0); // Unicode language
        out.writeInt(0); // Unicode count
        out.writeShort(0); // ScriptCode code
        out.write(0); // ScriptCode count
        out.write(new byte[67]);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] text(String ascii) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("text");
        out.writeInt(0);
        out.writeBytes(ascii);
        out.write(0);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] xyz(double[] xyz) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("XYZ ");
        out.writeInt(0);
        for (double v : xyz) {
            out.writeInt(s15Fixed16(v));
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static int s15Fixed16(double v) {
        return (int) Math.round(v * 65536);
    }

    private static int clamp16(long v) {
        return (int) Math.max(0, Math.min(0xFFFF, v));
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
