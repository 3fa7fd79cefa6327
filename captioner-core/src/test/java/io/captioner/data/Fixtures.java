package io.captioner.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small hand-written corpora shared by the data tests. */
final class Fixtures {

    private Fixtures() {}

    /** Four images: two train, one dev, one test; captions chosen to exercise CSV quoting. */
    static CaptionDataset small() {
        return CaptionDataset.of(List.of(
                new ImageCaptions("100_a.jpg", Split.TRAIN, List.of(
                        "A dog runs , fast .", "A brown dog runs on \"grass\" .", "Dog running")),
                new ImageCaptions("200_b.jpg", Split.DEV, List.of(
                        "Two children play .", "Kids playing outside")),
                new ImageCaptions("300_c.jpg", Split.TRAIN, List.of("A man surfs a wave .")),
                new ImageCaptions("400_d.jpg", Split.TEST, List.of(
                        "A woman reads a book .", "Someone reads", "A person , sitting , reads ."))),
                Path.of("unused"));
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an original-layout corpus: the token text as given and three split files. */
    static Path original(Path dir, String token, String train, String dev, String test) {
        write(dir.resolve(Flickr8kReader.TOKEN_FILE), token);
        write(dir.resolve(Flickr8kReader.TRAIN_FILE), train);
        write(dir.resolve(Flickr8kReader.DEV_FILE), dev);
        write(dir.resolve(Flickr8kReader.TEST_FILE), test);
        return dir;
    }

    /** A valid two-image original token file: a.jpg (2 captions, train) and b.jpg (1, test). */
    static Path twoImages(Path dir) {
        return original(dir, "a.jpg#0\tA cat .\na.jpg#1\tA cat sleeps .\nb.jpg#0\tA car .\n",
                "a.jpg\n", "", "b.jpg\n");
    }

    /** The {@link #small()} corpus in Kaggle CSV form, with quoting written by hand. */
    static String smallKaggleCsv() {
        return "image,caption\n"
                + "100_a.jpg,\"A dog runs , fast .\"\n"
                + "100_a.jpg,\"A brown dog runs on \"\"grass\"\" .\"\n"
                + "100_a.jpg,Dog running\n"
                + "200_b.jpg,Two children play .\n"
                + "200_b.jpg,Kids playing outside\n"
                + "300_c.jpg,A man surfs a wave .\n"
                + "400_d.jpg,A woman reads a book .\n"
                + "400_d.jpg,Someone reads\n"
                + "400_d.jpg,\"A person , sitting , reads .\"\n";
    }

    /** The {@link #small()} corpus in Karpathy JSON form (200_b is "val", 300_c is "restval"). */
    static String smallKarpathyJson() {
        return "{\"dataset\": \"flickr8k\", \"images\": [\n"
                + image("100_a.jpg", "train", "A dog runs , fast .", "A brown dog runs on \\\"grass\\\" .",
                        "Dog running") + ",\n"
                + image("200_b.jpg", "val", "Two children play .", "Kids playing outside") + ",\n"
                + image("300_c.jpg", "restval", "A man surfs a wave .") + ",\n"
                + image("400_d.jpg", "test", "A woman reads a book .", "Someone reads",
                        "A person , sitting , reads .")
                + "\n]}\n";
    }

    static String image(String file, String split, String... raws) {
        StringBuilder sb = new StringBuilder("{\"filename\": \"" + file + "\", \"split\": \"" + split
                + "\", \"sentences\": [");
        for (int i = 0; i < raws.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"raw\": \"").append(raws[i])
                    .append("\", \"tokens\": [\"x\"]}");
        }
        return sb.append("]}").toString();
    }
}
