package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.testing.FuzzContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 4 of issue 18: any bytes as the annotation files of each Flickr8k layout.
 *
 * <p>Input: the first byte picks the layout (its value mod 3: original token file, Kaggle CSV,
 * Karpathy JSON); the rest is split at NUL bytes into the caption file and, for the original and
 * Kaggle layouts, the train, dev and test split files (the Kaggle layout gets split files only
 * when all three pieces are present). {@link Flickr8kReader#load} may only refuse with a
 * {@code CaptionerException}; a dataset it accepts must hold at least one image, each with at
 * least one caption. Seeds and regression inputs: {@code
 * Flickr8kReaderFuzzTestInputs/anyAnnotationFiles/}.
 */
class Flickr8kReaderFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory("fuzz-flickr8k-");
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyAnnotationFiles(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        FuzzContract.clear(scratch);
        DatasetLayout layout = new DatasetLayout[] {DatasetLayout.ORIGINAL, DatasetLayout.KAGGLE,
            DatasetLayout.KARPATHY}[(data[0] & 0xFF) % 3];
        byte[][] files = FuzzContract.splitAtNul(java.util.Arrays.copyOfRange(data, 1, data.length),
                layout == DatasetLayout.KARPATHY ? 1 : 4);
        Files.write(scratch.resolve(layout.captionFile()), files[0]);
        String[] splitNames = {Flickr8kReader.TRAIN_FILE, Flickr8kReader.DEV_FILE, Flickr8kReader.TEST_FILE};
        boolean writeSplits = layout == DatasetLayout.ORIGINAL || files.length == 4;
        for (int i = 0; writeSplits && i < splitNames.length; i++) {
            Files.write(scratch.resolve(splitNames[i]), i + 1 < files.length ? files[i + 1] : new byte[0]);
        }
        CaptionDataset[] read = new CaptionDataset[1];
        if (FuzzContract.accepts(() -> read[0] = Flickr8kReader.load(scratch))) {
            assertThat(read[0].images()).isNotEmpty();
            read[0].images().forEach(image -> assertThat(image.captions()).isNotEmpty());
            assertThat(read[0].report().layout()).isEqualTo(layout);
        }
    }
}
