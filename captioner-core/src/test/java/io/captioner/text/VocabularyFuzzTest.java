package io.captioner.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.testing.FuzzContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 5 of issue 18: any bytes as a vocabulary file. {@link Vocabulary#load} may only
 * refuse them with a {@code CaptionerException}; a file it accepts must survive save and load
 * unchanged. Seeds and regression inputs: {@code VocabularyFuzzTestInputs/anyVocabularyFile/}.
 */
class VocabularyFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory("fuzz-vocabulary-");
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyVocabularyFile(byte[] data) throws Exception {
        Path file = scratch.resolve("vocab.txt");
        Files.write(file, data);
        Vocabulary[] loaded = new Vocabulary[1];
        if (FuzzContract.accepts(() -> loaded[0] = Vocabulary.load(file))) {
            Path copy = scratch.resolve("copy.txt");
            loaded[0].save(copy);
            assertThat(Vocabulary.load(copy)).isEqualTo(loaded[0]);
        }
    }
}
