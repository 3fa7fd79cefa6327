package io.captioner.models.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpyArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature shards: the writer's files, reading rows back by id, and every refusal of a bad directory. */
class FeatureShardsTest {

    @TempDir Path dir;

    static final CacheKey KEY = new CacheKey("resnet50", 3, "abc123", "Preprocessing[test]");

    static float[] row(int i) {
        return new float[] {i, i + 0.5f, -i};
    }

    /** Writes one shard NAME.npy/NAME.json with the given images (an id starting with "bad" fails). */
    static void writeShard(Path dir, String name, CacheKey key, int[] shape, String... ids) throws IOException {
        Files.createDirectories(dir);
        int length = 1;
        for (int d : shape) {
            length *= d;
        }
        try (FeatureShardWriter w = FeatureShardWriter.create(key, shape, dir.resolve("scratch"));
                OutputStream data = Files.newOutputStream(dir.resolve(name + ".npy"));
                OutputStream index = Files.newOutputStream(dir.resolve(name + ".json"))) {
            for (String id : ids) {
                if (id.startsWith("bad")) {
                    w.fail(id, "file:/images/" + id, "not an image");
                } else {
                    int i = Integer.parseInt(id.replaceAll("\\D", ""));
                    float[] r = new float[length];
                    for (int j = 0; j < length; j++) {
                        r[j] = i * 100 + j;
                    }
                    w.add(id, "file:/images/" + id, shape.length == 1 ? row(i) : r);
                }
            }
            w.finish(name + ".npy", data, index);
        }
    }

    static void markDone(Path dir) throws IOException {
        Files.write(dir.resolve(FeatureShards.SUCCESS), new byte[0]);
    }

    @Test
    void rowsComeBackByIdAcrossShardsInTheRequestedOrder() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg", "bad2.txt", "img3.jpg");
        writeShard(dir, "part-r-00001", KEY, new int[] {3}, "img4.jpg");
        markDone(dir);

        FeatureShards shards = FeatureShards.open(dir);

        assertThat(shards.ids()).containsExactly("img1.jpg", "img3.jpg", "img4.jpg");
        assertThat(shards.key()).isEqualTo(KEY);
        assertThat(shards.shape()).containsExactly(3);
        assertThat(shards.failures()).containsExactly(
                new FeatureShards.Failure("bad2.txt", "file:/images/bad2.txt", "not an image"));
        float[][] rows = shards.rows(List.of("img4.jpg", "img1.jpg", "img3.jpg"));
        assertThat(rows[0]).containsExactly(row(4));
        assertThat(rows[1]).containsExactly(row(1));
        assertThat(rows[2]).containsExactly(row(3));
    }

    @Test
    void dataFileIsAPlainNpyMatrixOfTheRows() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg", "img2.jpg");

        NpyArray a = Npy.read(dir.resolve("part-r-00000.npy"));

        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toFloatArray()).containsExactly(1, 1.5f, -1, 2, 2.5f, -2);
        assertThat(Files.readString(dir.resolve("part-r-00000.json"), StandardCharsets.UTF_8))
                .contains("\"format\":\"captioner-feature-shards\"", "\"weights_sha256\":\"abc123\"",
                        "\"shape\":[3]", "\"image_id\":\"img1.jpg\"");
    }

    @Test
    void spatialShapeIsKeptInTheIndexAndRowsAreLocationMajor() throws IOException {
        CacheKey key = new CacheKey("resnet50", 2, "abc123", "Preprocessing[test]");
        writeShard(dir, "part-r-00000", key, new int[] {2, 2, 2}, "img1.jpg");
        markDone(dir);

        FeatureShards shards = FeatureShards.open(dir);

        assertThat(shards.shape()).containsExactly(2, 2, 2);
        assertThat(shards.rowLength()).isEqualTo(8);
        assertThat(shards.rows(List.of("img1.jpg"))[0]).containsExactly(100, 101, 102, 103, 104, 105, 106, 107);
        assertThat(Npy.read(dir.resolve("part-r-00000.npy")).shape()).containsExactly(1, 2, 2, 2);
    }

    @Test
    void otherWeightsAreRefusedAsStaleNamingBothDigests() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");
        markDone(dir);
        FeatureShards shards = FeatureShards.open(dir);

        assertThatThrownBy(() -> shards.requireKey(new CacheKey("resnet50", 3, "fff999", "Preprocessing[test]")))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("stale features")
                .hasMessageContaining("weights_sha256=abc123, but fff999 is requested");
    }

    @Test
    void otherPreprocessingIsRefusedAsStale() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");
        markDone(dir);

        assertThatThrownBy(() -> FeatureShards.open(dir).requireKey(
                new CacheKey("resnet50", 3, "abc123", "Preprocessing[other]")))
                .isInstanceOf(StaleFeatureCacheException.class)
                .hasMessageContaining("preprocessing=Preprocessing[test], but Preprocessing[other] is requested");
    }

    @Test
    void directoryWithoutSuccessMarkerIsRefusedAsIncomplete() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");

        assertThatThrownBy(() -> FeatureShards.open(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("incomplete feature directory: no _SUCCESS marker");
    }

    @Test
    void shardsOfTwoExtractionsAreRefusedNamingBoth() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");
        writeShard(dir, "part-r-00001", new CacheKey("resnet50", 3, "fff999", "Preprocessing[test]"), new int[] {3},
                "img2.jpg");
        markDone(dir);

        assertThatThrownBy(() -> FeatureShards.open(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("part-r-00001.json: shard made with")
                .hasMessageContaining("part-r-00000.json")
                .hasMessageContaining("a directory must hold one extraction");
    }

    @Test
    void anImageIdInTwoShardsIsRefused() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");
        writeShard(dir, "part-r-00001", KEY, new int[] {3}, "img1.jpg");
        markDone(dir);

        assertThatThrownBy(() -> FeatureShards.open(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("image id 'img1.jpg'")
                .hasMessageContaining("must be unique");
    }

    @Test
    void indexOfAnotherFormatIsRefusedNamingTheField() throws IOException {
        Files.writeString(dir.resolve("part-r-00000.json"), "{\"format\":\"something-else\",\"version\":1}");
        markDone(dir);

        assertThatThrownBy(() -> FeatureShards.open(dir)).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("part-r-00000.json: field 'format' must be 'captioner-feature-shards',"
                        + " found 'something-else'");
    }

    @Test
    void dataFileWithFewerRowsThanItsIndexIsRefused() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg", "img2.jpg");
        Npy.writeFloat32(dir.resolve("part-r-00000.npy"), new float[][] {row(1)});
        markDone(dir);
        FeatureShards shards = FeatureShards.open(dir);

        assertThatThrownBy(() -> shards.rows(List.of("img1.jpg"))).isInstanceOf(CaptionerException.class)
                .hasMessageContaining("part-r-00000.npy: holds 1 rows but its index lists 2");
    }

    @Test
    void unknownImageIsAnArgumentError() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");
        markDone(dir);

        assertThatThrownBy(() -> FeatureShards.open(dir).rows(List.of("img9.jpg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'img9.jpg' has no features");
    }

    @Test
    void writerLeavesNoScratchFileBehind() throws IOException {
        writeShard(dir, "part-r-00000", KEY, new int[] {3}, "img1.jpg");

        try (Stream<Path> left = Files.list(dir.resolve("scratch"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void writerRefusesARowOfTheWrongLength() {
        try (FeatureShardWriter w = FeatureShardWriter.create(KEY, new int[] {3}, dir)) {
            assertThatThrownBy(() -> w.add("a.jpg", "a.jpg", new float[2])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row of a.jpg has 2 values, expected 3 [3]");
        }
    }
}
