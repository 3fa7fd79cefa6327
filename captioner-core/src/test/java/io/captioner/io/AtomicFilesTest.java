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

    @Test
    void writeDirectoryMovesTheFilledDirectoryIntoPlaceAndLeavesNoSibling() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a.txt"), "new"));
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("new");
        assertThat(entries(dir)).containsExactly(target);
    }

    @Test
    void failedDirectoryWriteLeavesNothingUnderTheTargetName() throws IOException {
        Path target = dir.resolve("model");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> {
            Files.writeString(d.resolve("half.txt"), "half");
            throw new IOException("disk full");
        })).isInstanceOf(CaptionerException.class).hasMessageContaining(target.toString())
                .hasMessageContaining("disk full");
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void failedDirectoryWriteKeepsThePreviousDirectory() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model"));
        Files.writeString(target.resolve("a.txt"), "old");
        IllegalStateException bug = new IllegalStateException("writer bug");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> {
            Files.writeString(d.resolve("a.txt"), "half");
            throw bug;
        })).isSameAs(bug);
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("old");
        assertThat(entries(dir)).containsExactly(target);
    }

    @Test
    void writeDirectoryReplacesAnExistingDirectoryWhole() throws IOException {
        Path target = Files.createDirectories(dir.resolve("model/sub"));
        Files.writeString(target.resolve("stale.txt"), "old");
        Path model = dir.resolve("model");
        AtomicFiles.writeDirectory(model, d -> Files.writeString(d.resolve("a.txt"), "new"));
        assertThat(entries(model)).containsExactly(model.resolve("a.txt"));
        assertThat(entries(dir)).containsExactly(model);
    }

    @Test
    void writeDirectoryRefusesToReplaceAFile() throws IOException {
        Path target = Files.writeString(dir.resolve("model"), "a file");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> { }))
                .isInstanceOf(CaptionerException.class).hasMessageContaining(target.toString())
                .hasMessageContaining("not a directory");
        assertThat(Files.readString(target)).isEqualTo("a file");
        assertThat(entries(dir)).containsExactly(target);
    }

    private static java.util.List<Path> entries(Path d) throws IOException {
        try (var files = Files.list(d)) {
            return files.toList();
        }
    }
}
