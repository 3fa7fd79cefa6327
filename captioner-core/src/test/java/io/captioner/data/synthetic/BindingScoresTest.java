package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BindingScoresTest {

    private static final SyntheticDataset DATASET = SyntheticDataset.builder().optImages(200).optSeed(5).build();

    private static Scene scene(PlacedShape... shapes) {
        return new Scene(64, Background.BLACK, shapes.length == 1 ? Scene.Layout.SINGLE : Scene.Layout.ROW,
                List.of(shapes));
    }

    private static PlacedShape shape(ShapeKind kind, Colour colour, int x) {
        return new PlacedShape(kind, colour, Size.SMALL, x, 32, 8);
    }

    @Test
    void mentionsAreAColourWordFollowedByAShapeWordIncludingSynonyms() {
        assertThat(BindingScores.mentions("A small Purple cross left of a big red disc ."))
                .containsExactly(ColouredShape.of(Colour.PURPLE, ShapeKind.CROSS),
                        ColouredShape.of(Colour.RED, ShapeKind.CIRCLE));
        assertThat(BindingScores.mentions("a red small star")).isEmpty();
        assertThat(BindingScores.namesAShape("two shapes in a row")).isFalse();
        assertThat(BindingScores.namesAShape("there is a box")).isTrue();
    }

    @Test
    void precisionRecallAndShapeShareCountWhatIsTrueOfEachScene() {
        List<ColouredShape> heldOut = List.of(ColouredShape.of(Colour.PURPLE, ShapeKind.CROSS),
                ColouredShape.of(Colour.RED, ShapeKind.STAR));
        List<Scene> scenes = List.of(
                scene(shape(ShapeKind.CROSS, Colour.PURPLE, 16), shape(ShapeKind.CIRCLE, Colour.BLUE, 48)),
                scene(shape(ShapeKind.STAR, Colour.RED, 16)),
                scene(shape(ShapeKind.SQUARE, Colour.GREEN, 16)));
        List<String> captions = List.of(
                "a purple cross left of a blue disc",      // two true mentions, held-out pair named
                "a blue star",                              // false mention, held-out red star missed
                "two shapes in a row");                     // no shape named
        BindingScores s = BindingScores.score(scenes, captions, heldOut);
        assertThat(s.captions()).isEqualTo(3);
        assertThat(s.pairsNamed()).isEqualTo(3);
        assertThat(s.pairPrecision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.heldOutPresent()).isEqualTo(2);
        assertThat(s.heldOutPairRecall()).isCloseTo(0.5, within(1e-12));
        assertThat(s.shapeCaptionShare()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void theReferencesOfTheTestSplitBindPerfectly() {
        List<Scene> scenes = DATASET.indices(io.captioner.data.Split.TEST).mapToObj(DATASET::scene).toList();
        for (int c = 0; c < 5; c++) {
            int caption = c;
            List<String> refs = DATASET.indices(io.captioner.data.Split.TEST)
                    .mapToObj(i -> DATASET.captions(i).get(caption)).toList();
            BindingScores s = BindingScores.score(scenes, refs, DATASET.heldOutPairs());
            assertThat(s.pairPrecision()).as("reference %d", c).isEqualTo(1.0);
        }
    }

    @Test
    void undefinedRatiosAreNaNAndMismatchedListsAreRefused() {
        BindingScores s = BindingScores.score(List.of(scene(shape(ShapeKind.STAR, Colour.RED, 16))),
                List.of("nothing here"), List.of());
        assertThat(s.pairPrecision()).isNaN();
        assertThat(s.heldOutPairRecall()).isNaN();
        assertThatThrownBy(() -> BindingScores.score(List.of(), List.of("x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 scenes, found 1 captions");
    }
}
