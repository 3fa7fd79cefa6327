package io.captioner.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {

    @TempDir Path dir;

    @Test
    void sha256IsTheStandardLowercaseHexDigest() throws IOException {
        Path f = Files.writeString(dir.resolve("abc.txt"), "abc"); // FIPS 180-2 test vector
        assertThat(Digests.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sha256OfAMissingFileNamesTheFile() {
        Path missing = dir.resolve("weights.npz");
        assertThatThrownBy(() -> Digests.sha256(missing)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("SHA-256");
    }
}
