package io.captioner.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.data.synthetic.CaptionParser.Mention;
import io.captioner.text.Tokenizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves that captions say only what the scene shows, using an independent caption parser. */
class CaptionTruthTest {

    private static final SyntheticDataset DATASET =
            SyntheticDataset.builder().optImages(1500).optImageSize(64).optSeed(7).build();
    private static final List<Described> SAMPLES = new ArrayList<>();

    private record Described(Scene scene, List<String> captions) {}

    @BeforeAll
    static void describeAll() {
        for (int i = 0; i < DATASET.images(); i++) {
            SyntheticSample s = DATASET.sample(i);
            SAMPLES.add(new Described(s.scene(), s.captions()));
        }
    }

    @Test
    void relationPhrasesAgreeWithShapePositions() {
        int checked = 0;
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                Matcher m = CaptionParser.RELATION.matcher(caption);
                while (m.find()) {
                    PlacedShape a = CaptionParser.resolve(d.scene(), CaptionParser.mention(m, 1))
                            .orElseThrow(() -> new AssertionError("unknown shape in " + caption));
                    PlacedShape b = CaptionParser.resolve(d.scene(), CaptionParser.mention(m, 5))
                            .orElseThrow(() -> new AssertionError("unknown shape in " + caption));
                    assertThat(CaptionParser.holds(m.group(4), a, b))
                            .as("'%s' for %s", caption, d.scene()).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).as("relation phrases checked").isGreaterThan(1000);
    }

    @Test
    void everyRelationPhraseOccursSoAllFourRelationsAreTaught() {
        Set<String> seen = new HashSet<>();
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                Matcher m = CaptionParser.RELATION.matcher(caption);
                while (m.find()) {
                    seen.add(m.group(4));
                }
            }
        }
        assertThat(seen).contains("left of", "to the left of", "right of", "to the right of",
                "above", "below", "under");
    }

    @Test
    void orderedListsFollowLeftToRightOrTopToBottom() {
        int checked = 0;
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                Matcher m = CaptionParser.ORDERED.matcher(caption);
                if (!m.matches()) {
                    continue;
                }
                List<PlacedShape> order = new ArrayList<>();
                for (int g = 1; g <= 7; g += 3) {
                    order.add(CaptionParser.resolve(d.scene(), CaptionParser.mention(m, g))
                            .orElseThrow());
                }
                String relation = m.group(10).equals("left to right") ? "left of" : "above";
                assertThat(CaptionParser.holds(relation, order.get(0), order.get(1))
                        && CaptionParser.holds(relation, order.get(1), order.get(2)))
                        .as("'%s' for %s", caption, d.scene()).isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void betweenNamesTheMiddleShape() {
        int checked = 0;
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                Matcher m = CaptionParser.BETWEEN.matcher(caption);
                if (!m.find()) {
                    continue;
                }
                PlacedShape mid = CaptionParser.resolve(d.scene(), CaptionParser.mention(m, 1)).orElseThrow();
                PlacedShape p = CaptionParser.resolve(d.scene(), CaptionParser.mention(m, 4)).orElseThrow();
                PlacedShape q = CaptionParser.resolve(d.scene(), CaptionParser.mention(m, 7)).orElseThrow();
                boolean horizontal = Math.min(p.x(), q.x()) < mid.x() && mid.x() < Math.max(p.x(), q.x());
                boolean vertical = Math.min(p.y(), q.y()) < mid.y() && mid.y() < Math.max(p.y(), q.y());
                assertThat(horizontal || vertical).as("'%s' for %s", caption, d.scene()).isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void everyMentionedShapeIsInTheSceneWithTheStatedSize() {
        int checked = 0;
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                for (Mention mention : CaptionParser.mentions(caption)) {
                    PlacedShape shape = CaptionParser.resolve(d.scene(), mention)
                            .orElseThrow(() -> new AssertionError(
                                    "'" + caption + "' mentions a shape not in " + d.scene()));
                    mention.size().ifPresent(size -> assertThat(shape.size())
                            .as("'%s' for %s", caption, d.scene()).isEqualTo(size));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5000);
    }

    @Test
    void backgroundMentionsNameTheSceneBackground() {
        Pattern bg = Pattern.compile("(white|black|gray|striped) background");
        int checked = 0;
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                Matcher m = bg.matcher(caption);
                while (m.find()) {
                    assertThat(m.group(1)).as(caption).isEqualTo(d.scene().background().word());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void countAndArrangementWordsMatchTheScene() {
        for (Described d : SAMPLES) {
            int n = d.scene().shapes().size();
            for (String caption : d.captions()) {
                if (caption.contains("two shapes")) {
                    assertThat(n).as(caption).isEqualTo(2);
                }
                if (caption.contains("three shapes")) {
                    assertThat(n).as(caption).isEqualTo(3);
                }
                if (caption.startsWith("a single ")) {
                    assertThat(n).as(caption).isEqualTo(1);
                }
                if (caption.contains("in a row") || caption.contains("in a column")) {
                    String rel = caption.contains("in a row") ? "left of" : "above";
                    List<PlacedShape> s = d.scene().shapes();
                    for (int i = 1; i < s.size(); i++) {
                        assertThat(CaptionParser.holds(rel, s.get(i - 1), s.get(i)))
                                .as("'%s' for %s", caption, d.scene()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void everyImageHasFiveDistinctCaptions() {
        for (Described d : SAMPLES) {
            assertThat(d.captions()).hasSize(5).doesNotHaveDuplicates();
        }
    }

    @Test
    void captionsAreLowerCaseFlickrStyleSentencesOfFourToFifteenWords() {
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                assertThat(caption).matches("[a-z ,:]+ \\.").doesNotContain("  ");
                assertThat(Tokenizer.standard().tokenize(caption)).as(caption).hasSizeBetween(4, 15);
            }
        }
    }

    @Test
    void captionsUseOnlyTheGrammarsSmallVocabularyAndUseAllOfIt() {
        Set<String> used = new HashSet<>();
        for (Described d : SAMPLES) {
            for (String caption : d.captions()) {
                used.addAll(Tokenizer.standard().tokenize(caption));
            }
        }
        assertThat(CaptionGrammar.vocabulary()).hasSizeBetween(20, 60);
        assertThat(used).containsExactlyInAnyOrderElementsOf(CaptionGrammar.vocabulary());
    }

    @Test
    void captionsVaryWordOrderSoTheSameRelationIsSaidFromEitherShape() {
        int both = 0;
        for (Described d : SAMPLES) {
            if (d.scene().shapes().size() != 2) {
                continue;
            }
            Set<Colour> subjects = new HashSet<>();
            for (String caption : d.captions()) {
                Matcher m = CaptionParser.RELATION.matcher(caption);
                if (m.find()) {
                    subjects.add(CaptionParser.mention(m, 1).colour());
                }
            }
            if (subjects.size() == 2 || d.scene().shapes().get(0).colour() == d.scene().shapes().get(1).colour()) {
                both++;
            }
        }
        assertThat(both).isGreaterThan(100);
    }
}
