package io.captioner.visual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.captioner.AttentionWeights;
import io.captioner.Caption;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttentionMapRendererTest {

    private static final int GREY = 0x808080;

    /** A 4 × 4 map whose row t puts all its weight on location (t, t). */
    private static AttentionWeights diagonal(int words) {
        float[][] rows = new float[words][16];
        for (int t = 0; t < words; t++) {
            rows[t][(t % 4) * 4 + (t % 4)] = 1f;
        }
        return AttentionWeights.of(4, 4, rows);
    }

    private static AttentionWeights oneHot(int height, int width, int y, int x) {
        float[] row = new float[height * width];
        row[y * width + x] = 1f;
        return AttentionWeights.of(height, width, new float[][] {row});
    }

    private static BufferedImage filled(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static Caption caption(List<String> words, AttentionWeights weights) {
        return new Caption(String.join(" ", words), words, -1.0, words.stream().map(w -> -0.1).toList(), List.of(),
                weights);
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }

    /** Whether a region of the figure holds any pixel that is not the white background. */
    private static boolean inked(BufferedImage figure, Rectangle r) {
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if ((figure.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void figureHasThePictureThenOnePanelPerWordEachLabelled() {
        AttentionMapRenderer renderer = AttentionMapRenderer.builder().optColumns(3).build();
        List<String> words = List.of("a", "red", "star", "above", "a");
        BufferedImage figure = renderer.render(filled(64, 64, GREY), caption(words, diagonal(5)));
        AttentionMapLayout layout = renderer.layout(64, 64, words.size());

        assertThat(layout.panels()).isEqualTo(6);
        assertThat(layout.rows()).isEqualTo(2);
        assertThat(figure.getWidth()).isEqualTo(layout.width()).isEqualTo(3 * 160 + 4 * 8);
        assertThat(figure.getHeight()).isEqualTo(layout.height())
                .isEqualTo(2 * (160 + layout.labelHeight()) + 3 * 8);
        for (int panel = 0; panel < layout.panels(); panel++) {
            assertThat(inked(figure, layout.imageBounds(panel))).as("picture of panel " + panel).isTrue();
            assertThat(inked(figure, layout.labelBounds(panel))).as("label of panel " + panel).isTrue();
        }
        Rectangle picture = layout.imageBounds(0);
        assertThat(figure.getRGB(picture.x + 80, picture.y + 80) & 0xFFFFFF).isEqualTo(GREY);
    }

    @Test
    void aCaptionOfNoWordsGivesThePictureAlone() {
        AttentionMapRenderer renderer = AttentionMapRenderer.defaults();
        BufferedImage figure = renderer.render(filled(200, 200, GREY), List.of(), AttentionWeights.empty());
        assertThat(figure.getWidth()).isEqualTo(200 + 2 * 8);
        assertThat(renderer.layout(200, 200, 0).panels()).isEqualTo(1);
    }

    @Test
    void panelsKeepTheAspectRatioOfANonSquarePicture() {
        AttentionMapLayout layout = AttentionMapRenderer.defaults().layout(120, 60, 2);
        assertThat(layout.panelHeight()).isEqualTo(160);
        assertThat(layout.panelWidth()).isEqualTo(320);
        AttentionMapLayout large = AttentionMapRenderer.defaults().layout(400, 224, 2);
        assertThat(large.panelWidth()).isEqualTo(400);
        assertThat(large.panelHeight()).isEqualTo(224);
    }

    @Test
    void upsamplingPutsThePeakInTheCellOfTheLargestWeightAtItsCentre() {
        // 3 rows × 4 columns over 80 × 60 pixels: cells of 20 × 20, cell (1, 2) spans x 40..59, y 20..39
        float[] up = AttentionMapRenderer.upsample(oneHot(3, 4, 1, 2), 0, 80, 60);
        int best = 0;
        for (int i = 1; i < up.length; i++) {
            if (up[i] > up[best]) {
                best = i;
            }
        }
        int bx = best % 80;
        int by = best / 80;
        assertThat(bx).isBetween(40, 59);
        assertThat(by).isBetween(20, 39);
        assertThat(up[best]).isCloseTo(1f, within(0.06f));
        // the cell's centre is between pixels 49 and 50: they share the peak
        assertThat(up[30 * 80 + 49]).isCloseTo(up[30 * 80 + 50], within(1e-6f));
        assertThat(up[10 * 80 + 10]).isZero();
    }

    @Test
    void upsamplingIsSmoothNotBlocky() {
        // two cells side by side, weights 0 and 1: between their centres the values must climb steadily
        float[] up = AttentionMapRenderer.upsample(AttentionWeights.of(1, 2, new float[][] {{0f, 1f}}), 0, 40, 1);
        for (int x = 10; x < 29; x++) {
            assertThat(up[x + 1]).as("pixel " + (x + 1)).isGreaterThan(up[x]);
        }
        assertThat(Stream.of(0, 9).map(x -> up[x])).containsOnly(0f);
        assertThat(Stream.of(30, 39).map(x -> up[x])).containsOnly(1f);
    }

    @Test
    void theHottestPixelOfAWordsPanelIsWhereItsWeightIs() {
        AttentionMapRenderer renderer = AttentionMapRenderer.defaults();
        BufferedImage figure = renderer.render(filled(64, 32, GREY), List.of("star"), oneHot(2, 4, 1, 3));
        AttentionMapLayout layout = renderer.layout(64, 32, 1);
        Rectangle panel = layout.imageBounds(1);
        int bestX = -1;
        int bestY = -1;
        int best = -1;
        for (int y = panel.y; y < panel.y + panel.height; y++) {
            for (int x = panel.x; x < panel.x + panel.width; x++) {
                int b = brightness(figure.getRGB(x, y));
                if (b > best) {
                    best = b;
                    bestX = x - panel.x;
                    bestY = y - panel.y;
                }
            }
        }
        // the panel is 320 × 160: location (1, 3) of the 2 × 4 map is x 240..319, y 80..159
        assertThat(bestX).isBetween(240, 319);
        assertThat(bestY).isBetween(80, 159);
        int cold = brightness(figure.getRGB(panel.x + 10, panel.y + 10));
        assertThat(cold).as("ignored places are darkened").isLessThan(brightness(GREY));
    }

    @Test
    void aCaptionWithoutAttentionIsRefusedWithHowToGetIt() {
        Caption plain = Caption.of(List.of("a", "star"), List.of(-0.1, -0.2));
        assertThatThrownBy(() -> AttentionMapRenderer.defaults().render(filled(8, 8, GREY), plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a, star] has no attention weights")
                .hasMessageContaining("optAttention(true)");
    }

    @Test
    void weightsThatAreNotOneRowPerWordAreRefused() {
        assertThatThrownBy(() -> AttentionMapRenderer.defaults().render(filled(8, 8, GREY), List.of("a", "b"),
                diagonal(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 3 rows for 2 words");
    }

    @Test
    void aWordTooLongForItsPanelIsShrunkOrCutNotSpilled() {
        AttentionMapRenderer renderer = AttentionMapRenderer.builder().optMinPanelSize(16).build();
        BufferedImage figure = renderer.render(filled(16, 16, GREY), List.of("supercalifragilistic"),
                oneHot(1, 1, 0, 0));
        AttentionMapLayout layout = renderer.layout(16, 16, 1);
        Rectangle label = layout.labelBounds(1);
        for (int y = label.y; y < label.y + label.height; y++) {
            assertThat(figure.getRGB(label.x + label.width, y) & 0xFFFFFF).as("margin right of the label")
                    .isEqualTo(0xFFFFFF);
        }
        assertThat(inked(figure, label)).isTrue();
    }

    @Test
    void writePngReplacesAFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("maps").resolve("a.png");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        AttentionMapRenderer renderer = AttentionMapRenderer.defaults();
        renderer.writePng(file, filled(64, 64, GREY), caption(List.of("a", "star"), diagonal(2)));

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getWidth()).isEqualTo(renderer.layout(64, 64, 2).width());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.png");
        }
    }

    @Test
    void aFigureThatCannotBeDrawnLeavesTheOldFileUntouched(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.png"), "old");
        Caption plain = Caption.of(List.of("a"), List.of(-0.1));
        assertThatThrownBy(() -> AttentionMapRenderer.defaults().writePng(file, filled(8, 8, GREY), plain))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void builderNamesTheSettingOutOfRange() {
        assertThatThrownBy(() -> AttentionMapRenderer.builder().optOpacity(1.5).build())
                .hasMessage("opacity must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> AttentionMapRenderer.builder().optColumns(0).build())
                .hasMessage("columns must be at least 1, found 0");
        assertThatThrownBy(() -> AttentionMapRenderer.builder().optMinPanelSize(0).build())
                .hasMessage("minPanelSize must be at least 1, found 0");
    }
}
