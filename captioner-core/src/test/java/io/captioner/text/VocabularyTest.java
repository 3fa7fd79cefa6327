package io.captioner.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    @TempDir Path dir;

    private static List<List<String>> captions(String... texts) {
        List<List<String>> out = new ArrayList<>();
        for (String t : texts) {
            out.add(Tokenizer.standard().tokenize(t));
        }
        return out;
    }

    private static final List<List<String>> SAMPLE = captions(
            "a dog runs", "a dog jumps", "a cat sits", "the dog sleeps", "a bird flies");

    @Test
    void reservedIdsComeFirst() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        assertThat(v.tokens().subList(0, 4)).containsExactly("<pad>", "<start>", "<end>", "<unk>");
        assertThat(v.id("<pad>")).isEqualTo(Vocabulary.PAD).isZero();
        assertThat(v.id("<start>")).isEqualTo(Vocabulary.START);
        assertThat(v.id("<end>")).isEqualTo(Vocabulary.END);
        assertThat(v.id("<unk>")).isEqualTo(Vocabulary.UNK);
    }

    @Test
    void wordsAreOrderedByCountDescendingThenAlphabetically() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        // a=4, dog=3, then count-1 words alphabetically
        assertThat(v.tokens().subList(4, v.size())).containsExactly(
                "a", "dog", "bird", "cat", "flies", "jumps", "runs", "sits", "sleeps", "the");
    }

    @Test
    void idsDoNotDependOnCaptionOrder() {
        List<List<String>> shuffled = new ArrayList<>(SAMPLE);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(Vocabulary.builder().build(shuffled)).isEqualTo(Vocabulary.builder().build(SAMPLE));
    }

    @Test
    void minCountSendsRareWordsToUnk() {
        Vocabulary v = Vocabulary.builder().optMinCount(2).build(SAMPLE);
        assertThat(v.tokens()).containsExactly("<pad>", "<start>", "<end>", "<unk>", "a", "dog");
        assertThat(v.id("cat")).isEqualTo(Vocabulary.UNK);
        assertThat(v.contains("cat")).isFalse();
    }

    @Test
    void maxSizeCountsSpecialsAndDropsLeastFrequent() {
        Vocabulary v = Vocabulary.builder().optMaxSize(6).build(SAMPLE);
        assertThat(v.size()).isEqualTo(6);
        assertThat(v.tokens().subList(4, 6)).containsExactly("a", "dog");
    }

    @Test
    void withoutMaxSizeEveryWordAtTheMinimumCountIsKept() {
        List<List<String>> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(List.of("w" + i));
        }
        assertThat(Vocabulary.builder().build(many).size()).isEqualTo(3000 + Vocabulary.SPECIALS.size());
    }

    @Test
    void buildWithCaptionsEqualsAddAllThenBuild() {
        assertThat(Vocabulary.builder().optMinCount(2).build(SAMPLE))
                .isEqualTo(Vocabulary.builder().optMinCount(2).addAll(SAMPLE).build());
    }

    @Test
    void encodeThenDecodeGivesTheWordsBack() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        List<String> words = List.of("a", "cat", "runs");
        assertThat(v.decode(v.encode(words))).isEqualTo(words);
    }

    @Test
    void decodeStopsAtEndAndSkipsStartAndPad() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        int[] ids = {Vocabulary.START, v.id("a"), Vocabulary.PAD, v.id("dog"), Vocabulary.END, v.id("cat")};
        assertThat(v.decode(ids)).containsExactly("a", "dog");
        assertThat(v.decode(v.encode(List.of("a", "zebra")))).containsExactly("a", "<unk>");
    }

    @Test
    void tokenOfOutOfRangeIdIsRejected() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        assertThatThrownBy(() -> v.token(v.size())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found " + v.size());
    }

    @Test
    void saveThenLoadIsIdentical() {
        Vocabulary v = Vocabulary.builder().build(SAMPLE);
        Path file = dir.resolve("sub/vocab.txt");
        v.save(file);
        Vocabulary loaded = Vocabulary.load(file);
        assertThat(loaded).isEqualTo(v);
        assertThat(loaded.count(loaded.id("a"))).isEqualTo(4);
        assertThat(loaded.minCount()).isEqualTo(1);
    }

    @Test
    void savedFileHasTheDocumentedFormat() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Vocabulary.builder().build(captions("b a a")).save(file);
        assertThat(Files.readString(file)).isEqualTo(
                "#captioner-vocabulary v1 size=6 min_count=1\n"
                        + "0\t<pad>\t0\n1\t<start>\t0\n2\t<end>\t0\n3\t<unk>\t0\n4\ta\t2\n5\tb\t1\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void loadToleratesBomAndCrlf() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "\uFEFF#captioner-vocabulary v1 size=5 min_count=1\r\n"
                + "0\t<pad>\t0\r\n1\t<start>\t0\r\n2\t<end>\t0\r\n3\t<unk>\t0\r\n4\tdog\t3\r\n");
        assertThat(Vocabulary.load(file).id("dog")).isEqualTo(4);
    }

    @Test
    void truncatedFileNamesTheDeclaredAndFoundCounts() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Vocabulary.builder().build(SAMPLE).save(file);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 8));
        assertThatThrownBy(() -> Vocabulary.load(file)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("declares 14 entries but the file has 7");
    }

    @Test
    void corruptLineNamesFileAndLine() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "#captioner-vocabulary v1 size=5 min_count=1\n"
                + "0\t<pad>\t0\n1\t<start>\t0\n2\t<end>\t0\n3\t<unk>\t0\n4 dog 3\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(file + " line 6")
                .hasMessageContaining("'4 dog 3'");
    }

    @Test
    void outOfOrderIdIsRejected() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "#captioner-vocabulary v1 size=6 min_count=1\n"
                + "0\t<pad>\t0\n1\t<start>\t0\n2\t<end>\t0\n3\t<unk>\t0\n5\tdog\t3\n4\tcat\t1\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("line 6")
                .hasMessageContaining("expected 4, found 5");
    }

    @Test
    void duplicateWordIsRejected() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "#captioner-vocabulary v1 size=6 min_count=1\n"
                + "0\t<pad>\t0\n1\t<start>\t0\n2\t<end>\t0\n3\t<unk>\t0\n4\tdog\t3\n5\tdog\t1\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("line 7")
                .hasMessageContaining("'dog' already has id 4");
    }

    @Test
    void misplacedSpecialIsRejected() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "#captioner-vocabulary v1 size=4 min_count=1\n"
                + "0\t<pad>\t0\n1\t<end>\t0\n2\t<start>\t0\n3\t<unk>\t0\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("line 3")
                .hasMessageContaining("reserved for <start>");
    }

    @Test
    void wrongHeaderAndNewerVersionAreRejected() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "<pad>\n<start>\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("line 1: expected header");
        Files.writeString(file, "#captioner-vocabulary v2 size=4 min_count=1\n");
        assertThatThrownBy(() -> Vocabulary.load(file)).hasMessageContaining("version must be 1, found 2");
    }

    @Test
    void missingEmptyAndNonUtf8FilesAreRejected() throws IOException {
        assertThatThrownBy(() -> Vocabulary.load(dir.resolve("nope.txt")))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("not found");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThatThrownBy(() -> Vocabulary.load(empty)).hasMessageContaining("is empty");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "#captioner-vocabulary v1 size=5 min_count=1\n4\tcaf\u00e9\t1\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Vocabulary.load(latin1)).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void builderRejectsBadSettingsAndTokens() {
        assertThatThrownBy(() -> Vocabulary.builder().optMinCount(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
        assertThatThrownBy(() -> Vocabulary.builder().optMaxSize(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 3");
        assertThatThrownBy(() -> Vocabulary.builder().optMaxSize(0).build())
                .as("0 is not a spelling of 'no limit'")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
        assertThatThrownBy(() -> Vocabulary.builder().add(List.of("a b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> Vocabulary.builder().add(List.of("<end>")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }
}
