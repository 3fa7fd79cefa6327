package io.captioner.models.npy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.captioner.testing.FuzzContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 3 of issue 18: any bytes as a NumPy weight file. Input: a first byte {@code 'Z'}
 * makes the rest a {@code .npz} archive read with {@link NpzReader} (every array read), any other
 * first byte makes it a {@code .npy} file read with {@link Npy#read(Path)}.
 *
 * <p>Only {@code CaptionerException} may escape; an array that is read holds exactly
 * {@code elementCount × dtype size} bytes and converts to as many floats. Seeds (every accepted
 * dtype, both byte orders, format versions 1 to 3, scalar and empty shapes, stored and deflated
 * archives) and regression inputs: {@code NpyFuzzTestInputs/anyNpyOrNpz/}.
 */
class NpyFuzzTest {

    private static Path scratch;

    @BeforeAll
    static void createScratch() throws Exception {
        scratch = Files.createTempDirectory("fuzz-npy-");
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyNpyOrNpz(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        byte[] file = Arrays.copyOfRange(data, 1, data.length);
        if (data[0] == 'Z') {
            Path npz = Files.write(scratch.resolve("weights.npz"), file);
            FuzzContract.accepts(() -> {
                try (NpzReader reader = NpzReader.open(npz)) {
                    for (String key : reader.keys()) {
                        check(reader.read(key));
                    }
                }
            });
        } else {
            Path npy = Files.write(scratch.resolve("array.npy"), file);
            FuzzContract.accepts(() -> check(Npy.read(npy)));
        }
    }

    private static void check(NpyArray array) {
        assertThat((long) array.data().remaining()).isEqualTo(array.elementCount() * array.dtype().size());
        assertThat(array.toFloatArray()).hasSize((int) array.elementCount());
    }
}
