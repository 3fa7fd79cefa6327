package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.synthetic.SyntheticDataset.Composition;
import io.captioner.data.Split;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Proves the held-out composition rule: test pairs never occur in training. */
class HeldOutCompositionTest {

    private static final SyntheticDataset DATASET = SyntheticDataset.builder()
            .optImages(3000).optImageSize(64).optSeed(11).optSplitFractions(0.1, 0.2).build();

    private static Set<ColouredShape> pairs(Scene scene) {
        Set<ColouredShape> out = new HashSet<>();
        for (PlacedShape s : scene.shapes()) {
            out.add(s.pair());
        }
        return out;
    }

    private static boolean containsHeldOut(SyntheticDataset d, int index) {
        return pairs(d.scene(index)).stream().anyMatch(d.heldOutPairs()::contains);
    }

    @Test
    void noTrainingImageContainsAHeldOutPair() {
        assertThat(DATASET.heldOutPairs()).isNotEmpty();
        for (int i = 0; i < DATASET.trainImages(); i++) {
            assertThat(DATASET.split(i)).isEqualTo(Split.TRAIN);
            assertThat(pairs(DATASET.scene(i))).as("training image %d", i)
                    .doesNotContainAnyElementsOf(DATASET.heldOutPairs());
        }
    }

    @Test
    void everyTestImageContainsAHeldOutPair() {
        int tests = 0;
        for (int i = 0; i < DATASET.images(); i++) {
            if (DATASET.split(i) == Split.TEST) {
                assertThat(containsHeldOut(DATASET, i)).as("test image %d: %s", i, DATASET.scene(i)).isTrue();
                tests++;
            }
        }
        assertThat(tests).isEqualTo(600);
    }

    @Test
    void everyHeldOutPairAppearsInTheTestSplit() {
        Set<ColouredShape> seen = new HashSet<>();
        for (int i = DATASET.trainImages() + DATASET.devImages(); i < DATASET.images(); i++) {
            seen.addAll(pairs(DATASET.scene(i)));
        }
        assertThat(seen).containsAll(DATASET.heldOutPairs());
    }

    @Test
    void devFollowsTheTrainingRuleByDefault() {
        assertThat(DATASET.devComposition()).isEqualTo(Composition.SEEN);
        for (int i = DATASET.trainImages(); i < DATASET.trainImages() + DATASET.devImages(); i++) {
            assertThat(DATASET.split(i)).isEqualTo(Split.DEV);
            assertThat(containsHeldOut(DATASET, i)).as("dev image %d", i).isFalse();
        }
    }

    @Test
    void devFollowsTheTestRuleWhenConfigured() {
        SyntheticDataset d = DATASET.toBuilder().optDevComposition(Composition.HELD_OUT).build();
        for (int i = d.trainImages(); i < d.trainImages() + d.devImages(); i++) {
            assertThat(containsHeldOut(d, i)).as("dev image %d", i).isTrue();
        }
    }

    @Test
    void everyColourAndKindStillAppearsInTrainingWithOtherPartners() {
        Set<Colour> colours = EnumSet.noneOf(Colour.class);
        Set<ShapeKind> kinds = EnumSet.noneOf(ShapeKind.class);
        Set<ColouredShape> trainPairs = new HashSet<>();
        for (int i = 0; i < DATASET.trainImages(); i++) {
            for (ColouredShape p : pairs(DATASET.scene(i))) {
                colours.add(p.colour());
                kinds.add(p.kind());
                trainPairs.add(p);
            }
        }
        assertThat(colours).containsExactlyInAnyOrder(Colour.values());
        assertThat(kinds).containsExactlyInAnyOrder(ShapeKind.values());
        assertThat(trainPairs).hasSize(Colour.values().length * ShapeKind.values().length
                - DATASET.heldOutPairs().size());
    }

    @Test
    void customHeldOutPairsReplaceTheDefaults() {
        ColouredShape pinkStar = ColouredShape.of(Colour.PINK, ShapeKind.STAR);
        SyntheticDataset d = DATASET.toBuilder().optImages(800).optHeldOutPairs(List.of(pinkStar)).build();
        assertThat(d.heldOutPairs()).containsExactly(pinkStar);
        boolean defaultPairInTraining = false;
        for (int i = 0; i < d.images(); i++) {
            Set<ColouredShape> p = pairs(d.scene(i));
            if (d.split(i) == Split.TRAIN) {
                assertThat(p).doesNotContain(pinkStar);
                defaultPairInTraining |= p.stream().anyMatch(SyntheticDataset.DEFAULT_HELD_OUT::contains);
            } else if (d.split(i) == Split.TEST) {
                assertThat(p).contains(pinkStar);
            }
        }
        assertThat(defaultPairInTraining).isTrue();
    }

    @Test
    void emptyHeldOutListTurnsTheRuleOff() {
        SyntheticDataset d = DATASET.toBuilder().optImages(1000).optHeldOutPairs(List.of()).build();
        assertThat(d.composition(Split.TEST)).isEqualTo(Composition.SEEN);
        Set<ColouredShape> trainPairs = new HashSet<>();
        for (int i = 0; i < d.trainImages(); i++) {
            trainPairs.addAll(pairs(d.scene(i)));
        }
        assertThat(trainPairs).containsAll(SyntheticDataset.DEFAULT_HELD_OUT);
    }
}
