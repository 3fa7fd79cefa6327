package io.captioner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsTest {

    @TempDir Path dir;

    private Path file(String json) throws IOException {
        Path f = dir.resolve("results.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void readsEntriesInFileOrder() throws IOException {
        Map<String, String> r = CocoResults.read(file("""
                [{"image_id": "b.jpg", "caption": "a dog runs"},
                 {"image_id": "a.jpg", "caption": "a cat", "score": 0.5}]"""));
        assertThat(r).containsExactly(Map.entry("b.jpg", "a dog runs"), Map.entry("a.jpg", "a cat"));
    }

    @Test
    void integerImageIdsAreReadAsStrings() throws IOException {
        assertThat(CocoResults.read(file("[{\"image_id\": 391895, \"caption\": \"a man\"}]")))
                .containsEntry("391895", "a man");
    }

    @Test
    void anUnpairedSurrogateEscapeIsRefusedNamingFieldAndPositionButAPairIsRead() throws IOException {
        // found by fuzzing: a lone low surrogate could not be written back as UTF-8
        Path lone = file("[{\"image_id\": \"a.jpg\", \"caption\": \"a st\\uDEE5ir\"}]");
        assertThatThrownBy(() -> CocoResults.read(lone)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry 0").hasMessageContaining("'caption'")
                .hasMessageContaining("unpaired UTF-16 surrogate \\uDEE5 at character 4");
        Path loneId = file("[{\"image_id\": \"\\uD83D.jpg\", \"caption\": \"a dog\"}]");
        assertThatThrownBy(() -> CocoResults.read(loneId)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("'image_id'").hasMessageContaining("\\uD83D at character 0");
        Path pair = file("[{\"image_id\": \"a.jpg\", \"caption\": \"a dog \\uD83D\\uDC36\"}]");
        assertThat(CocoResults.read(pair)).containsEntry("a.jpg", "a dog \uD83D\uDC36");
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Path f = file("[{\"image_id\": \"a.jpg\", \"caption\": \"x\"},");
        assertThatThrownBy(() -> CocoResults.read(f))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("results.json").hasMessageContaining("malformed JSON");
    }

    @Test
    void missingCaptionNamesEntryAndField() throws IOException {
        Path f = file("[{\"image_id\": \"a.jpg\", \"caption\": \"x\"}, {\"image_id\": \"b.jpg\"}]");
        assertThatThrownBy(() -> CocoResults.read(f))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry 1").hasMessageContaining("'caption'").hasMessageContaining("missing");
    }

    @Test
    void missingImageIdNamesEntryAndField() throws IOException {
        Path f = file("[{\"caption\": \"x\"}]");
        assertThatThrownBy(() -> CocoResults.read(f))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry 0").hasMessageContaining("'image_id'").hasMessageContaining("missing");
    }

    @Test
    void wrongFieldTypeNamesEntryAndField() throws IOException {
        Path f = file("[{\"image_id\": \"a.jpg\", \"caption\": 5}]");
        assertThatThrownBy(() -> CocoResults.read(f))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry 0").hasMessageContaining("'caption'").hasMessageContaining("a number");
    }

    @Test
    void duplicateImageIdNamesBothEntries() throws IOException {
        Path f = file("""
                [{"image_id": "a.jpg", "caption": "x"}, {"image_id": "b.jpg", "caption": "y"},
                 {"image_id": "a.jpg", "caption": "z"}]""");
        assertThatThrownBy(() -> CocoResults.read(f))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("entry 2").hasMessageContaining("'image_id'")
                .hasMessageContaining("a.jpg").hasMessageContaining("entry 0");
    }

    @Test
    void topLevelMustBeAnArrayOfObjects() throws IOException {
        Path notArray = file("{\"image_id\": \"a.jpg\", \"caption\": \"x\"}");
        assertThatThrownBy(() -> CocoResults.read(notArray))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("expected a JSON array");
        Path notObject = file("[\"a.jpg\"]");
        assertThatThrownBy(() -> CocoResults.read(notObject))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("entry 0")
                .hasMessageContaining("expected an object");
    }

    @Test
    void missingFileIsACaptionerException() {
        assertThatThrownBy(() -> CocoResults.read(dir.resolve("nope.json")))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("nope.json");
    }

    @Test
    void writeThenReadRoundTripsAndLeavesNoTemporaryFile() throws IOException {
        Map<String, String> captions = new LinkedHashMap<>();
        captions.put("z.jpg", "a \"quoted\" dog, café");
        captions.put("a.jpg", "two cats");
        Path f = dir.resolve("out/results.json");
        CocoResults.write(f, captions);
        assertThat(CocoResults.read(f)).containsExactlyEntriesOf(captions);
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f);
        }
    }
}
