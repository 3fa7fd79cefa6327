package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.data.synthetic.SyntheticDataset.Composition;
import io.captioner.data.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the builder's defaults, validation and readable description. */
class SyntheticDatasetConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        SyntheticDataset d = SyntheticDataset.defaults();
        assertThat(d.images()).isEqualTo(2000);
        assertThat(d.imageSize()).isEqualTo(96);
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.trainImages()).isEqualTo(1600);
        assertThat(d.devImages()).isEqualTo(200);
        assertThat(d.testImages()).isEqualTo(200);
        assertThat(d.heldOutPairs()).containsExactlyInAnyOrderElementsOf(SyntheticDataset.DEFAULT_HELD_OUT);
        assertThat(d.devComposition()).isEqualTo(Composition.SEEN);
    }

    @Test
    void toStringShowsCountsSizeSeedAndHeldOutPairs() {
        SyntheticDataset d = SyntheticDataset.builder().optImages(100).optImageSize(64).optSeed(9)
                .optHeldOutPairs(List.of(ColouredShape.of(Colour.BLUE, ShapeKind.TRIANGLE))).build();
        assertThat(d.toString()).isEqualTo("SyntheticDataset[100 images 64px seed=9 "
                + "train/dev/test=80/10/10 heldOut=[blue triangle] dev=SEEN]");
    }

    @Test
    void builderSettersAreOrderIndependent() {
        SyntheticDataset a = SyntheticDataset.builder().optSeed(5).optImages(300)
                .optSplitFractions(0.2, 0.1).optImageSize(128).build();
        SyntheticDataset b = SyntheticDataset.builder().optImageSize(128).optSplitFractions(0.2, 0.1)
                .optImages(300).optSeed(5).build();
        assertThat(a).isEqualTo(b);
        assertThat(a.toBuilder().build()).isEqualTo(a);
    }

    @Test
    void heldOutPairsAreSortedAndCopied() {
        List<ColouredShape> pairs = new ArrayList<>(List.of(
                ColouredShape.of(Colour.PINK, ShapeKind.STAR), ColouredShape.of(Colour.RED, ShapeKind.CIRCLE)));
        SyntheticDataset d = SyntheticDataset.builder().optHeldOutPairs(pairs).build();
        pairs.clear();
        assertThat(d.heldOutPairs()).containsExactly(
                ColouredShape.of(Colour.RED, ShapeKind.CIRCLE), ColouredShape.of(Colour.PINK, ShapeKind.STAR));
    }

    @Test
    void rejectsImageSizeOutsideSixtyFourToFiveTwelve() {
        assertThatThrownBy(() -> SyntheticDataset.builder().optImageSize(48).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageSize").hasMessageContaining("48");
        assertThatThrownBy(() -> SyntheticDataset.builder().optImageSize(1024).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
    }

    @Test
    void rejectsNonPositiveImageCount() {
        assertThatThrownBy(() -> SyntheticDataset.builder().optImages(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("images").hasMessageContaining("found 0");
    }

    @Test
    void rejectsFractionsThatLeaveNoTrainingImage() {
        assertThatThrownBy(() -> SyntheticDataset.builder().optImages(10).optSplitFractions(0.5, 0.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training image");
        assertThatThrownBy(() -> SyntheticDataset.builder().optSplitFractions(-0.1, 0.1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("devFraction").hasMessageContaining("-0.1");
    }

    @Test
    void rejectsHeldOutPairsLeavingFewerThanThreeForTraining() {
        List<ColouredShape> almostAll = new ArrayList<>();
        for (Colour c : Colour.values()) {
            for (ShapeKind k : ShapeKind.values()) {
                almostAll.add(ColouredShape.of(c, k));
            }
        }
        almostAll.subList(0, 2).clear();
        assertThatThrownBy(() -> SyntheticDataset.builder().optHeldOutPairs(almostAll).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 3").hasMessageContaining("28 held out");
    }

    @Test
    void rejectsARepeatedHeldOutPair() {
        ColouredShape p = ColouredShape.of(Colour.RED, ShapeKind.STAR);
        assertThatThrownBy(() -> SyntheticDataset.builder().optHeldOutPairs(List.of(p, p)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("red star twice");
    }

    @Test
    void splitsAreContiguousBlocksSizedByTheFractions() {
        SyntheticDataset d = SyntheticDataset.builder().optImages(1000).optSplitFractions(0.15, 0.05).build();
        assertThat(d.trainImages()).isEqualTo(800);
        assertThat(d.split(799)).isEqualTo(Split.TRAIN);
        assertThat(d.split(800)).isEqualTo(Split.DEV);
        assertThat(d.split(949)).isEqualTo(Split.DEV);
        assertThat(d.split(950)).isEqualTo(Split.TEST);
        assertThat(d.split(999)).isEqualTo(Split.TEST);
    }

    @Test
    void indicesOfEachSplitAreExactlyTheImagesOfThatSplit() {
        SyntheticDataset d = SyntheticDataset.builder().optImages(97).optSplitFractions(0.2, 0.1).build();
        int total = 0;
        for (Split split : Split.values()) {
            int[] indices = d.indices(split).toArray();
            for (int i : indices) {
                assertThat(d.split(i)).isEqualTo(split);
            }
            total += indices.length;
        }
        assertThat(total).isEqualTo(97);
        assertThat(d.indices(Split.NONE)).isEmpty();
        assertThat(d.indices(Split.DEV).count()).isEqualTo(d.devImages());
    }

    @Test
    void compositionOfSplitNoneIsRejected() {
        assertThatThrownBy(() -> SyntheticDataset.defaults().composition(Split.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found NONE");
    }

    @Test
    void indexOutsideTheDatasetIsRejectedWithTheRange() {
        SyntheticDataset d = SyntheticDataset.builder().optImages(10).build();
        assertThatThrownBy(() -> d.sample(10))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[0, 10)").hasMessageContaining("found 10");
        assertThatThrownBy(() -> d.scene(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void imageNamesArePaddedAndUnique() {
        SyntheticDataset d = SyntheticDataset.builder().optImages(200).build();
        assertThat(d.imageName(123)).isEqualTo("synth_000123.png");
        assertThat(java.util.stream.IntStream.range(0, 200).mapToObj(d::imageName).distinct().count())
                .isEqualTo(200);
    }
}
