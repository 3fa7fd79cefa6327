package io.captioner.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.testing.Python;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colours of a CMYK JPEG: {@link ImageLoader} must honour the Adobe ink inversion and the embedded
 * ICC profile. The test image ({@link CmykJpegs}) has flat 64-pixel patches of known ink amounts
 * and a profile made for the test, so the right sRGB colour of each corner patch is known exactly,
 * and Pillow with LittleCMS decodes the same file independently.
 */
class CmykJpegColourTest {

    /**
     * Patch rows of C, M, Y, K ink amounts (0–255, 255 = full ink). The first two rows are corners
     * of the ink cube, whose colours the profile fixes; the third needs its interpolation.
     */
    private static final int[][][] PATCHES = {
        {{0, 0, 0, 0}, {255, 0, 0, 0}, {0, 255, 0, 0}, {0, 0, 255, 0}},
        {{0, 0, 0, 255}, {255, 255, 0, 0}, {0, 255, 255, 0}, {255, 0, 255, 0}},
        {{128, 0, 0, 0}, {0, 128, 128, 0}, {64, 64, 64, 64}, {153, 77, 0, 51}},
    };

    /** Rows of {@link #PATCHES} whose inks are all 0 or 255. */
    private static final int CORNER_ROWS = 2;

    /**
     * Pixels left out at each patch edge: JPEG's 8×8 blocks never straddle patches, but this keeps
     * the check clear of any decoder that smooths across block edges.
     */
    private static final int INSET = 8;

    /**
     * Largest difference, in 8-bit levels per channel, from the sRGB colour that the profile gives
     * a corner. Measured: 0 (OpenJDK 17.0.15, TwelveMonkeys 3.14.0). The margin is for the 16-bit
     * Lab grid of the profile and 8-bit rounding in other colour engines; the decoder's fallback
     * when it ignores the profile, 255·(1 − c)(1 − k), is 13 to 115 levels off on the single-ink
     * patches.
     */
    private static final int PROFILE_TOLERANCE = 4;

    /**
     * Largest difference from Pillow's colour-managed decode, in levels per channel. Measured: 0
     * (Pillow 9.4.0 with LittleCMS 2.14). Both use LittleCMS, in different versions and with
     * different sRGB profiles.
     */
    private static final int PILLOW_TOLERANCE = 3;

    @TempDir static Path dir;
    private static Path file;
    private static BufferedImage decoded;

    @BeforeAll
    static void decode() throws IOException {
        byte[] jpeg = CmykJpegs.adobeJpeg(PATCHES, CmykJpegs.profile());
        file = Files.write(dir.resolve("cmyk-patches.jpg"), jpeg);
        decoded = ImageLoader.standard().decode(jpeg, file.getFileName().toString());
    }

    @Test
    void cornerPatchesGetTheSrgbColoursOfTheEmbeddedProfile() {
        assertThat(decoded.getWidth()).isEqualTo(PATCHES[0].length * CmykJpegs.PATCH);
        assertThat(decoded.getHeight()).isEqualTo(PATCHES.length * CmykJpegs.PATCH);
        for (int r = 0; r < CORNER_ROWS; r++) {
            for (int c = 0; c < PATCHES[r].length; c++) {
                int[] expected = CmykJpegs.cornerSrgb(on(PATCHES[r][c]));
                assertThat(largestDifference(decoded, r, c, (x, y) -> expected))
                        .as("patch CMYK %s: expected sRGB %s, decoded %s", Arrays.toString(PATCHES[r][c]),
                                Arrays.toString(expected), Arrays.toString(rgb(decoded, centreX(c), centreY(r))))
                        .isLessThanOrEqualTo(PROFILE_TOLERANCE);
            }
        }
    }

    @Test
    void ignoringTheProfileOrTheInversionWouldChangeTheCornerColours() {
        // The test above can fail: the naive conversion 255·(1 − c)(1 − k) of a decoder that ignores
        // the profile, and the colours of a decoder that forgets to undo Adobe's inversion (255 − ink
        // read as ink), are both far from what the profile says for these patches.
        int[][] single = {PATCHES[0][1], PATCHES[0][2], PATCHES[1][0]};
        for (int[] ink : single) {
            int[] profile = CmykJpegs.cornerSrgb(on(ink));
            int[] naive = new int[3];
            for (int ch = 0; ch < 3; ch++) {
                naive[ch] = (int) Math.round(255 * (1 - ink[ch] / 255.0) * (1 - ink[3] / 255.0));
            }
            assertThat(difference(profile, naive)).as("naive vs profile for CMYK %s", Arrays.toString(ink))
                    .isGreaterThan(4 * PROFILE_TOLERANCE);
            boolean[] inverted = on(ink);
            for (int i = 0; i < 4; i++) {
                inverted[i] = !inverted[i];
            }
            assertThat(difference(profile, CmykJpegs.cornerSrgb(inverted)))
                    .as("inverted vs profile for CMYK %s", Arrays.toString(ink)).isGreaterThan(4 * PROFILE_TOLERANCE);
        }
    }

    @Test
    void everyPatchMatchesPillowsColourManagedDecode() throws Exception {
        Python.assumeModules("PIL.ImageCms");
        Path reference = dir.resolve("pillow.png");
        String script = String.join("\n",
                "import io, sys",
                "from PIL import Image, ImageCms",
                "im = Image.open(sys.argv[1])",
                "if im.mode != 'CMYK':",
                "    sys.exit('Pillow decoded mode ' + im.mode + ', not CMYK')",
                "icc = im.info.get('icc_profile')",
                "if not icc:",
                "    sys.exit('Pillow found no ICC profile')",
                "source = ImageCms.ImageCmsProfile(io.BytesIO(icc))",
                "rgb = ImageCms.profileToProfile(im, source, ImageCms.createProfile('sRGB'), outputMode='RGB')",
                "rgb.save(sys.argv[2])");
        Process p = new ProcessBuilder(Python.command(), "-c", script, file.toString(), reference.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("Pillow finished").isTrue();
        assertThat(p.exitValue()).as("Pillow's exit code; output: %s", output).isZero();
        BufferedImage pillow = ImageIO.read(reference.toFile());

        List<String> failures = new ArrayList<>();
        for (int r = 0; r < PATCHES.length; r++) {
            for (int c = 0; c < PATCHES[r].length; c++) {
                int worst = largestDifference(decoded, r, c, (x, y) -> rgb(pillow, x, y));
                if (worst > PILLOW_TOLERANCE) {
                    failures.add("CMYK " + Arrays.toString(PATCHES[r][c]) + ": ours "
                            + Arrays.toString(rgb(decoded, centreX(c), centreY(r))) + ", Pillow "
                            + Arrays.toString(rgb(pillow, centreX(c), centreY(r))) + " (" + worst + " levels)");
                }
            }
        }
        assertThat(failures).as("patches differing from Pillow by more than %d levels", PILLOW_TOLERANCE).isEmpty();
    }

    private interface Reference {
        int[] at(int x, int y);
    }

    /** The largest per-channel difference between the decoded patch's inner pixels and the reference. */
    private static int largestDifference(BufferedImage image, int row, int col, Reference reference) {
        int worst = 0;
        int p = CmykJpegs.PATCH;
        for (int y = row * p + INSET; y < (row + 1) * p - INSET; y++) {
            for (int x = col * p + INSET; x < (col + 1) * p - INSET; x++) {
                worst = Math.max(worst, difference(rgb(image, x, y), reference.at(x, y)));
            }
        }
        return worst;
    }

    private static int difference(int[] a, int[] b) {
        int worst = 0;
        for (int ch = 0; ch < 3; ch++) {
            worst = Math.max(worst, Math.abs(a[ch] - b[ch]));
        }
        return worst;
    }

    private static int[] rgb(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    private static boolean[] on(int[] ink) {
        boolean[] on = new boolean[4];
        for (int i = 0; i < 4; i++) {
            on[i] = ink[i] == 255;
        }
        return on;
    }

    private static int centreX(int col) {
        return col * CmykJpegs.PATCH + CmykJpegs.PATCH / 2;
    }

    private static int centreY(int row) {
        return row * CmykJpegs.PATCH + CmykJpegs.PATCH / 2;
    }
}
