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

class Utf8FilesTest {

    @TempDir Path dir;

    @Test
    void readLinesSplitsAtEveryLineEndAndDropsTheByteOrderMark() throws IOException {
        Path f = Files.writeString(dir.resolve("a.txt"), "\uFEFFone\r\ntwo\nthree\rfour\n", StandardCharsets.UTF_8);
        assertThat(Utf8Files.readLines(f)).containsExactly("one", "two", "three", "four");
    }

    @Test
    void readLinesKeepsAFinalLineWithoutLineEndAndEmptyLines() throws IOException {
        Path f = Files.writeString(dir.resolve("a.txt"), "one\n\nlast", StandardCharsets.UTF_8);
        assertThat(Utf8Files.readLines(f)).containsExactly("one", "", "last");
    }

    @Test
    void readStringKeepsLineEndsAndNonAsciiText() throws IOException {
        Path f = Files.writeString(dir.resolve("a.txt"), "\uFEFFcafé\r\nnaïve\n", StandardCharsets.UTF_8);
        assertThat(Utf8Files.readString(f)).isEqualTo("café\r\nnaïve\n");
    }

    @Test
    void invalidUtf8NamesTheFileTheByteOffsetAndTheLine() throws IOException {
        // "ok\nb" then a Latin-1 'é' (0xE9, not followed by continuation bytes)
        Path f = Files.write(dir.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'b', (byte) 0xE9, 'x'});
        assertThatThrownBy(() -> Utf8Files.readLines(f)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("byte offset 4").hasMessageContaining("line 2");
    }

    @Test
    void truncatedMultiByteSequenceAtTheEndIsInvalid() throws IOException {
        Path f = Files.write(dir.resolve("cut.txt"), new byte[] {'a', (byte) 0xC3});
        assertThatThrownBy(() -> Utf8Files.readString(f)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("byte offset 1");
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("absent.txt");
        assertThatThrownBy(() -> Utf8Files.readString(f)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("does not exist");
    }
}
