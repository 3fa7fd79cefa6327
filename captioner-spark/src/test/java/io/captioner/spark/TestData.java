package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.captioner.DecodingOptions;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.models.artifact.ArtifactWriter;
import io.captioner.models.artifact.EncoderSpec;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.encoder.Encoders;
import io.captioner.models.encoder.TorchvisionArch;
import io.captioner.models.encoder.TorchvisionNetwork;
import io.captioner.models.npy.Npy;
import io.captioner.text.Tokenizer;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/** Models, weights and image folders for the Spark tests. */
final class TestData {

    /** The five bad files {@link #addBadFiles} writes, by file name. */
    static final List<String> BAD_FILES = List.of("corrupt.jpg", "truncated.png", "notes.txt", "huge.png", "big.jpg");
    /** The size of {@code big.jpg}, in bytes: over {@link #MAX_BYTES}, unlike every other file. */
    static final int BIG_BYTES = 150_000;
    /** The byte limit the tests give the jobs. */
    static final long MAX_BYTES = 100_000;

    private TestData() {}

    /** Saves a tiny randomly initialised model (32-pixel small CNN, 16-unit LSTM) at {@code target}. */
    static Path tinyModel(Path target, SyntheticDataset data) {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < data.images(); i++) {
            for (String c : data.captions(i)) {
                captions.add(Tokenizer.standard().tokenize(c));
            }
        }
        Vocabulary vocabulary = Vocabulary.builder().optMaxSize(1000).build(captions);
        Engine.getInstance().setRandomSeed(5);
        try (BlockEncoder encoder = Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4).build();
                LstmCaptionDecoder decoder = LstmCaptionDecoder.create(DecoderConfig.builder()
                        .setVocabularySize(vocabulary.size()).setFeatureSize(16)
                        .optEmbeddingSize(16).optHiddenSize(16).optDropout(0).build(), 5)) {
            ArtifactWriter.builder().setEncoder(encoder, EncoderSpec.smallCnn(encoder)).setDecoder(decoder)
                    .setVocabulary(vocabulary).optDecodingOptions(DecodingOptions.builder().optMaxLength(12).build())
                    .build().write(target);
        }
        return target;
    }

    /**
     * Writes the synthetic dataset (Flickr8k layout) and returns its image directory.
     *
     * @param dir the dataset directory
     * @param data the generator
     * @return {@code dir/Flicker8k_Dataset}
     */
    static Path images(Path dir, SyntheticDataset data) {
        data.generate(dir);
        return dir.resolve(SyntheticDataset.IMAGES_DIR);
    }

    /**
     * Adds five bad files to an image folder: a corrupt JPEG, a truncated PNG, a text file, a PNG
     * declaring 60000 x 60000 pixels, and a file of {@link #BIG_BYTES} bytes (over {@link #MAX_BYTES}).
     * Not an empty file: Spark's file sources do not list zero-byte files at all.
     */
    static void addBadFiles(Path imageDir) throws IOException {
        byte[] corrupt = new byte[400];
        new Random(3).nextBytes(corrupt);
        corrupt[0] = (byte) 0xFF;
        corrupt[1] = (byte) 0xD8;
        corrupt[2] = (byte) 0xFF;
        Files.write(imageDir.resolve("corrupt.jpg"), corrupt);
        byte[] png = png(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB));
        Files.write(imageDir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(imageDir.resolve("notes.txt"), "not an image\n", StandardCharsets.UTF_8);
        Files.write(imageDir.resolve("huge.png"), hugePngHeader());
        byte[] big = new byte[BIG_BYTES];
        new Random(4).nextBytes(big);
        Files.write(imageDir.resolve("big.jpg"), big);
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR chunk declaring 60000 x 60000 RGB pixels, and nothing else. */
    private static byte[] hugePngHeader() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(60000).putInt(60000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Writes torchvision-layout .npz weights of small seeded random values (no Python needed). */
    static Path randomWeights(TorchvisionArch arch, Path file, long seed) throws IOException {
        Random random = new Random(seed);
        TorchvisionNetwork net = TorchvisionNetwork.create(arch);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                OutputStream fos = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(fos)) {
            net.initialize(manager);
            zip.setLevel(1);
            for (Map.Entry<String, Parameter> e : net.parameters().parameters().entrySet()) {
                long[] shape = e.getValue().getArray().getShape().getShape();
                float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                boolean variance = e.getKey().endsWith("running_var");
                for (int i = 0; i < data.length; i++) {
                    data[i] = variance ? 1f : (float) (random.nextGaussian() * 0.02);
                }
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.writeFloat32(zip, shape, data);
                zip.closeEntry();
            }
        }
        return file;
    }

    /**
     * Asserts two tables of caption rows by image id are the same: every field equal, except fields
     * named {@code score}, which agree to 1e-6 relative (a decoder step may order a row's float32
     * sums differently when another thread is decoding: see {@code LstmCaptionDecoder}'s helper
     * threads), and arrays of structs (the alternatives), compared element by element the same way.
     *
     * @param found the rows of a second run, by image id
     * @param expected the rows of the first run, by image id
     */
    static void assertSameRows(Map<String, Row> found,
            Map<String, Row> expected) {
        assertThat(found.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, row) -> assertSameRow(found.get(id), row, id));
    }

    private static void assertSameRow(Row a, Row b, String what) {
        assertThat(a.schema()).as(what).isEqualTo(b.schema());
        for (String field : b.schema().fieldNames()) {
            Object x = a.getAs(field);
            Object y = b.getAs(field);
            String where = what + " " + field;
            if (field.equals("score") && x instanceof Double dx && y instanceof Double dy) {
                assertThat(Math.abs(dx - dy)).as("%s: %s vs %s", where, dx, dy)
                        .isLessThanOrEqualTo(1e-6 * Math.abs(dy));
            } else if (x instanceof Seq<?> sx && y instanceof Seq<?> sy
                    && sy.nonEmpty() && sy.head() instanceof Row) {
                assertThat(sx.size()).as(where).isEqualTo(sy.size());
                for (int i = 0; i < sy.size(); i++) {
                    assertSameRow((Row) sx.apply(i), (Row) sy.apply(i),
                            where + "[" + i + "]");
                }
            } else {
                assertThat(x).as(where).isEqualTo(y);
            }
        }
    }
}
