package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Proves that the pixels show the scene. */
class SceneRenderingTest {

    private static final SyntheticDataset DATASET =
            SyntheticDataset.builder().optImages(400).optImageSize(96).optSeed(3).build();

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    private static boolean insideBox(PlacedShape s, int x, int y) {
        return x >= s.x() - s.radius() && x <= s.x() + s.radius()
                && y >= s.y() - s.radius() && y <= s.y() + s.radius();
    }

    @Test
    void imageHasTheConfiguredSizeAndRgbType() {
        BufferedImage image = DATASET.sample(0).image();
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(96);
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void pixelAtEachShapeCentreHasExactlyTheShapesColour() {
        for (int i = 0; i < DATASET.images(); i++) {
            SyntheticSample s = DATASET.sample(i);
            for (PlacedShape shape : s.scene().shapes()) {
                assertThat(rgb(s.image(), shape.x(), shape.y()))
                        .as("image %d centre of %s", i, shape)
                        .isEqualTo(shape.colour().rgb());
            }
        }
    }

    @Tag("slow")
    @Test
    void pixelsOutsideEveryShapeHaveTheBackgroundColour() {
        for (int i = 0; i < DATASET.images(); i++) {
            SyntheticSample s = DATASET.sample(i);
            Background bg = s.scene().background();
            for (int y = 0; y < 96; y++) {
                for (int x = 0; x < 96; x++) {
                    final int px = x;
                    final int py = y;
                    if (s.scene().shapes().stream().noneMatch(sh -> insideBox(sh, px, py))) {
                        assertThat(rgb(s.image(), x, y)).as("image %d pixel (%d, %d)", i, x, y)
                                .isEqualTo(bg.rgbAt(x, y, 96));
                    }
                }
            }
        }
    }

    @Test
    void stripedBackgroundShowsBothStripeColours() {
        Scene scene = new Scene(64, Background.STRIPED, Scene.Layout.SINGLE,
                List.of(new PlacedShape(ShapeKind.CIRCLE, Colour.RED, Size.SMALL, 32, 32, 5)));
        BufferedImage image = scene.render();
        assertThat(rgb(image, 0, 0)).isEqualTo(Background.STRIPED.rgb());
        assertThat(rgb(image, 63, 0)).isIn(Background.STRIPED.rgb(), Background.STRIPED.alternateRgb());
        long light = 0;
        for (int x = 0; x < 64; x++) {
            light += rgb(image, x, 0) == Background.STRIPED.alternateRgb() ? 1 : 0;
        }
        assertThat(light).isBetween(16L, 48L);
    }

    @Test
    void largeShapesCoverMorePixelsThanSmallShapesOfTheSameKind() {
        for (ShapeKind kind : ShapeKind.values()) {
            Map<Size, Integer> area = new EnumMap<>(Size.class);
            for (Size size : Size.values()) {
                int r = size.radius(96);
                Scene scene = new Scene(96, Background.WHITE, Scene.Layout.SINGLE,
                        List.of(new PlacedShape(kind, Colour.BLUE, size, 48, 48, r)));
                BufferedImage image = scene.render();
                int count = 0;
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 96; x++) {
                        count += rgb(image, x, y) == Colour.BLUE.rgb() ? 1 : 0;
                    }
                }
                area.put(size, count);
            }
            assertThat(area.get(Size.LARGE)).as(kind.name()).isGreaterThan(2 * area.get(Size.SMALL));
        }
    }

    @Test
    void differentKindsDrawDifferentPixels() {
        java.util.Set<String> silhouettes = new java.util.HashSet<>();
        for (ShapeKind kind : ShapeKind.values()) {
            Scene scene = new Scene(64, Background.BLACK, Scene.Layout.SINGLE,
                    List.of(new PlacedShape(kind, Colour.GREEN, Size.LARGE, 32, 32, 8)));
            BufferedImage image = scene.render();
            StringBuilder sb = new StringBuilder();
            for (int y = 20; y < 45; y++) {
                for (int x = 20; x < 45; x++) {
                    sb.append(rgb(image, x, y) == Colour.GREEN.rgb() ? '#' : '.');
                }
            }
            silhouettes.add(sb.toString());
        }
        assertThat(silhouettes).hasSize(ShapeKind.values().length);
    }

    @Test
    void shapesLieInsideTheImageAndTheirBoxesNeverOverlap() {
        for (int i = 0; i < DATASET.images(); i++) {
            List<PlacedShape> shapes = DATASET.scene(i).shapes();
            for (PlacedShape s : shapes) {
                assertThat(s.x() - s.radius()).isGreaterThanOrEqualTo(0);
                assertThat(s.y() - s.radius()).isGreaterThanOrEqualTo(0);
                assertThat(s.x() + s.radius()).isLessThan(96);
                assertThat(s.y() + s.radius()).isLessThan(96);
                assertThat(s.radius()).isEqualTo(s.size().radius(96));
            }
            for (int a = 0; a < shapes.size(); a++) {
                for (int b = a + 1; b < shapes.size(); b++) {
                    PlacedShape p = shapes.get(a);
                    PlacedShape q = shapes.get(b);
                    boolean apart = p.x() + p.radius() < q.x() - q.radius()
                            || q.x() + q.radius() < p.x() - p.radius()
                            || p.y() + p.radius() < q.y() - q.radius()
                            || q.y() + q.radius() < p.y() - p.radius();
                    assertThat(apart).as("image %d: %s and %s", i, p, q).isTrue();
                }
            }
        }
    }

    @Test
    void sceneRejectsShapesListedOutOfLayoutOrder() {
        PlacedShape left = new PlacedShape(ShapeKind.CIRCLE, Colour.RED, Size.SMALL, 10, 30, 5);
        PlacedShape right = new PlacedShape(ShapeKind.STAR, Colour.BLUE, Size.SMALL, 50, 30, 5);
        assertThatThrownBy(() -> new Scene(64, Background.WHITE, Scene.Layout.ROW, List.of(right, left)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in order");
    }

    @Test
    void sceneRejectsTwoShapesOfTheSameColourAndKind() {
        PlacedShape left = new PlacedShape(ShapeKind.CIRCLE, Colour.RED, Size.SMALL, 10, 30, 5);
        PlacedShape right = new PlacedShape(ShapeKind.CIRCLE, Colour.RED, Size.LARGE, 50, 30, 8);
        assertThatThrownBy(() -> new Scene(64, Background.WHITE, Scene.Layout.ROW, List.of(left, right)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found two red circles");
    }

    @Test
    void sceneRejectsAShapeStickingOutOfTheImage() {
        PlacedShape edge = new PlacedShape(ShapeKind.CIRCLE, Colour.RED, Size.LARGE, 60, 30, 8);
        assertThatThrownBy(() -> new Scene(64, Background.WHITE, Scene.Layout.SINGLE, List.of(edge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit in a 64 px image");
    }
}
