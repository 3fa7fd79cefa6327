package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and rejecting Karpathy's {@code dataset_flickr8k.json}. */
class KarpathyLayoutTest {

    @TempDir
    Path dir;

    private Path json(String text) {
        Fixtures.write(dir.resolve(Flickr8kReader.KARPATHY_FILE), text);
        return dir;
    }

    private static String images(String... images) {
        return "{\"images\": [" + String.join(", ", images) + "]}";
    }

    private static final String GOOD = Fixtures.image("ok.jpg", "train", "fine");

    @Test
    void emptyImageListFailsAsAnEmptyDataset() {
        json(images());
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("dataset_flickr8k.json: holds no captions");
    }

    @Test
    void filenameWithALineBreakFailsNamingTheField() {
        json(images(Fixtures.image("a\\nb.jpg", "train", "x")));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].filename must be a file name");
    }

    @Test
    void annotationsNestedAHundredThousandLevelsDeepAreRefusedQuickly() {
        json("{\"images\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                        .hasMessageContaining("dataset_flickr8k.json: not valid JSON"));
    }

    @Test
    void splitNamesMapValToDevAndRestvalToTrain() {
        json(images(Fixtures.image("a.jpg", "train", "x"), Fixtures.image("b.jpg", "restval", "x"),
                Fixtures.image("c.jpg", "val", "x"), Fixtures.image("d.jpg", "test", "x")));
        CaptionDataset ds = Flickr8kReader.load(dir);
        assertThat(ds.images()).extracting(ImageCaptions::split)
                .containsExactly(Split.TRAIN, Split.TRAIN, Split.DEV, Split.TEST);
        assertThat(ds.layout()).isEqualTo(DatasetLayout.KARPATHY);
    }

    @Test
    void rawSentencesBecomeTheCaptionsInOrder() {
        json(images(Fixtures.image("a.jpg", "train", "First one .", "Second one .")));
        assertThat(Flickr8kReader.load(dir).get("a.jpg").captions())
                .containsExactly("First one .", "Second one .");
    }

    @Test
    void byteOrderMarkIsTolerated() {
        json("\uFEFF" + images(GOOD));
        assertThat(Flickr8kReader.load(dir).contains("ok.jpg")).isTrue();
    }

    @Test
    void missingFilenameFailsNamingFieldAndIndex() {
        json(images(GOOD, "{\"split\": \"train\", \"sentences\": []}"));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[1] has no field 'filename'");
    }

    @Test
    void missingSplitFailsNamingFieldAndIndex() {
        json(images(GOOD, GOOD.replace("ok.jpg", "b.jpg").replace("\"split\": \"train\", ", "")));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[1] has no field 'split'");
    }

    @Test
    void unknownSplitFails() {
        json(images(Fixtures.image("a.jpg", "holdout", "x")));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].split").hasMessageContaining("holdout");
    }

    @Test
    void missingSentencesFails() {
        json(images("{\"filename\": \"a.jpg\", \"split\": \"test\"}"));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].sentences must be an array");
    }

    @Test
    void missingRawFailsNamingSentenceIndex() {
        json(images(GOOD, "{\"filename\": \"a.jpg\", \"split\": \"test\", \"sentences\": "
                + "[{\"raw\": \"ok\", \"tokens\": []}, {\"tokens\": [\"a\"]}]}"));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[1].sentences[1] has no field 'raw'");
    }

    @Test
    void missingTokensFailsNamingSentenceIndex() {
        json(images("{\"filename\": \"a.jpg\", \"split\": \"test\", \"sentences\": [{\"raw\": \"ok\"}]}"));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].sentences[0].tokens must be an array");
    }

    @Test
    void filenameOfWrongTypeFails() {
        json(images("{\"filename\": 7, \"split\": \"test\", \"sentences\": []}"));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].filename must be a string").hasMessageContaining("'7'");
    }

    @Test
    void emptyRawCaptionFails() {
        json(images(Fixtures.image("a.jpg", "train", " ")));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[0].sentences[0].raw must not be an empty caption");
    }

    @Test
    void repeatedFilenameFails() {
        json(images(GOOD, GOOD));
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("images[1].filename repeats the filename of images[0]");
    }

    @Test
    void missingImagesArrayFails() {
        json("{\"dataset\": \"flickr8k\"}");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("'images'");
    }

    @Test
    void malformedJsonFailsNamingTheFile() {
        json("{\"images\": [");
        assertThatThrownBy(() -> Flickr8kReader.load(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(Flickr8kReader.KARPATHY_FILE).hasMessageContaining("not valid JSON");
    }
}
