package io.captioner.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void failedWriteKeepsThePreviousContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.txt");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(CaptionerException.class).hasMessageContaining(target.toString())
                .hasMessageContaining("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writeReplacesAndCreatesParents() throws IOException {
        Path target = dir.resolve("a/b/c.txt");
        AtomicFiles.write(target, out -> out.write(1));
        AtomicFiles.write(target, out -> out.write(2));
        assertThat(Files.readAllBytes(target)).containsExactly(2);
    }
}
