package io.captioner.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabCommandTest {

    @TempDir Path dir;

    private Path tinyDataset() throws IOException {
        Files.writeString(dir.resolve("Flickr8k.token.txt"),
                "a.jpg#0\tA dog runs .\na.jpg#1\tA dog jumps .\n"
                        + "b.jpg#0\tA cat sits .\nb.jpg#1\tThe cat sleeps on a mat .\n"
                        + "c.jpg#0\tA bird flies .\n");
        Files.writeString(dir.resolve("Flickr_8k.trainImages.txt"), "a.jpg\nb.jpg\n");
        Files.writeString(dir.resolve("Flickr_8k.devImages.txt"), "c.jpg\n");
        Files.writeString(dir.resolve("Flickr_8k.testImages.txt"), "");
        return dir;
    }

    @Test
    void printsSplitCountsLengthsAndVocabularySize() throws IOException {
        CliRun run = CliRun.of("vocab", "--dataset", tinyDataset().toString(), "--min-count", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject train = json.getAsJsonObject("splits").getAsJsonObject("train");
        assertThat(train.get("images").getAsInt()).isEqualTo(2);
        assertThat(train.get("captions").getAsInt()).isEqualTo(4);
        assertThat(train.get("maxTokens").getAsInt()).isEqualTo(6);
        // train words with count >= 2: a (3), cat (2), dog (2)
        JsonObject vocab = json.getAsJsonObject("vocabulary");
        assertThat(vocab.get("words").getAsInt()).isEqualTo(3);
        assertThat(vocab.get("size").getAsInt()).isEqualTo(7);
    }

    @Test
    void outSavesTheVocabulary() throws IOException {
        Path file = dir.resolve("out/vocab.txt");
        CliRun run = CliRun.of("vocab", "--dataset", tinyDataset().toString(), "--min-count", "1",
                "--out", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Vocabulary v = Vocabulary.load(file);
        assertThat(v.tokens().subList(4, 6)).containsExactly("a", "cat");
    }

    @Test
    void badMinCountIsAUsageError() throws IOException {
        CliRun run = CliRun.of("vocab", "--dataset", tinyDataset().toString(), "--min-count", "0");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--min-count must be at least 1, found 0");
    }

    @Test
    void badSplitIsAUsageError() throws IOException {
        CliRun run = CliRun.of("vocab", "--dataset", tinyDataset().toString(), "--split", "holdout");
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_USAGE);
        assertThat(run.err()).contains("--split").contains("holdout");
    }

    @Test
    void directoryWithoutAnnotationsIsARuntimeErrorNamingIt() {
        CliRun run = CliRun.of("vocab", "--dataset", dir.toString());
        assertThat(run.exitCode()).isEqualTo(CaptionerCli.EXIT_RUNTIME);
        assertThat(run.err()).contains(dir.toString()).contains("Flickr8k.token.txt");
    }

    @Test
    void realFlickr8kTrainSplitAtMinCountFive() {
        String real = System.getProperty("captioner.flickr8k.dir");
        assumeTrue(real != null && Files.isDirectory(Path.of(real)),
                "Flickr8k annotation files not found at " + real + "; set -Dcaptioner.flickr8k.dir");
        CliRun run = CliRun.of("vocab", "--dataset", real, "--min-count", "5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonObject splits = json.getAsJsonObject("splits");
        assertThat(splits.getAsJsonObject("train").get("images").getAsInt()).isEqualTo(6000);
        assertThat(splits.getAsJsonObject("dev").get("images").getAsInt()).isEqualTo(1000);
        assertThat(splits.getAsJsonObject("test").get("images").getAsInt()).isEqualTo(1000);
        assertThat(splits.getAsJsonObject("none").get("images").getAsInt()).isEqualTo(92);
        assertThat(json.getAsJsonObject("total").get("captions").getAsInt()).isEqualTo(40460);
        // 2,529 words by re.findall('[a-z]+'); our tokenizer keeps digits (2..8) and joins
        // hyphenated words (tshirt), which nets 8 more: see README.
        assertThat(json.getAsJsonObject("vocabulary").get("words").getAsInt()).isEqualTo(2537);
        assertThat(json.getAsJsonObject("vocabulary").get("size").getAsInt()).isEqualTo(2541);
    }
}
