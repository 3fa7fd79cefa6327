package io.captioner.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.CaptionerException;
import io.captioner.models.artifact.ModelArtifact;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.npy.Npy;
import io.captioner.models.npy.NpzReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bombs and traps of issue 18 that the model side must refuse quickly and without allocating
 * what they declare: images declaring 50,000 × 50,000 pixels, zip entries that inflate to
 * gigabytes, an {@code .npz} array of 10^10 elements, manifests with megabyte strings or deep
 * nesting, and zip-slip entries. Each is refused with a {@code CaptionerException} naming the
 * file and the rule, within a second (after the classes involved are loaded).
 */
class BombsAndTrapsTest {

    private static final Duration QUICKLY = Duration.ofSeconds(1);
    private static final Path COMPAT = Path.of("src/test/resources/compat/v1-small-cnn");

    @TempDir
    Path dir;

    @BeforeAll
    static void loadTheClassesInvolved() throws IOException {
        // The one-second limits are about the refusals, not about loading ImageIO, zip or Gson.
        assertThatThrownBy(() -> ImageLoader.standard().decode(new byte[] {1, 2, 3}, "warm-up"))
                .isInstanceOf(CaptionerException.class);
        Path tmp = Files.createTempDirectory("bombs-warm-up-");
        Path zip = Files.write(tmp.resolve("warm-up.zip"), new byte[] {'P', 'K', 5, 6});
        assertThatThrownBy(() -> ModelArtifact.load(zip)).isInstanceOf(CaptionerException.class);
        Files.delete(zip);
        Files.delete(tmp);
        JsonParser.parseString("{}");
    }

    // ---------------------------------------------------------------------------------------
    // Images

    @Test
    void pngDeclaringFiftyThousandSquarePixelsIsRefusedFromItsHeader() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(50_000).putInt(50_000).put(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(
                () -> ImageLoader.standard().decode(png.toByteArray(), "bomb.png"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bomb.png: image of 50000x50000 = 2500000000 pixels exceeds the limit"));
    }

    @Test
    void jpegDeclaringFiftyThousandSquarePixelsIsRefusedFromItsHeader() {
        byte[] jpeg = {
            (byte) 0xFF, (byte) 0xD8, // SOI
            (byte) 0xFF, (byte) 0xC0, 0, 17, 8, // SOF0, length 17, 8 bits
            (byte) 0xC3, 0x50, (byte) 0xC3, 0x50, 3, // height 50000, width 50000, 3 components
            1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0,
            (byte) 0xFF, (byte) 0xD9 // EOI
        };
        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(
                () -> ImageLoader.standard().decode(jpeg, "bomb.jpg"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bomb.jpg: image of 50000x50000 = 2500000000 pixels exceeds the limit"));
    }

    // ---------------------------------------------------------------------------------------
    // Zip bombs and zip slip in artifacts

    @Test
    void zipEntryDeclaringGigabytesIsRefusedFromTheDeclaredSizesBeforeInflating() throws IOException {
        long threeGiB = 3L << 30;
        long vocabBytes = Files.size(COMPAT.resolve("vocab.txt"));
        Path zip = artifactZip(Files.readAllBytes(COMPAT.resolve("manifest.json")), "vocab.txt", gigabytesOfZeros(),
                threeGiB);

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bomb.zip: entry 'vocab.txt' declares 3221225472 bytes but manifest.json says "
                        + "the file has " + vocabBytes));
    }

    @Test
    void zipWhoseEntriesAndManifestAgreeOnGigabytesIsRefusedByTheTotalLimit() throws IOException {
        long threeGiB = 3L << 30;
        Map<String, Long> declared = new LinkedHashMap<>();
        declared.put("vocab.txt", threeGiB);
        declared.put("decoder.params", threeGiB);
        Path zip = artifactZip(manifestDeclaring(declared), "vocab.txt", gigabytesOfZeros(), threeGiB,
                "decoder.params", gigabytesOfZeros(), threeGiB);

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bomb.zip: unzips to more than 4294967296 bytes (declared by its entries)"));
    }

    @Test
    void zipEntryInflatingToGigabytesWhileDeclaringKilobytesIsCutOffAtItsDeclaredSize() throws IOException {
        long vocabBytes = Files.size(COMPAT.resolve("vocab.txt"));
        Map<String, Long> declared = new LinkedHashMap<>();
        declared.put("vocab.txt", vocabBytes);
        Path zip = artifactZip(manifestDeclaring(declared), "vocab.txt", gigabytesOfZeros(), vocabBytes);

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("bomb.zip: entry 'vocab.txt' inflates to more than its declared "
                        + vocabBytes + " bytes"));
    }

    @Test
    void zipSlipEntriesAreRefusedAndNothingIsWrittenOutsideTheArtifact() throws IOException {
        String file = "escaped-" + java.util.UUID.randomUUID() + ".txt";
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path absolute = dir.resolve(file).toAbsolutePath();
        // Where each name lands if resolved against the temporary directory the zip is unpacked to.
        Map<String, Path> landing = new LinkedHashMap<>();
        landing.put("../" + file, tmp.resolve(file));
        landing.put("../../" + file, tmp.getParent() == null ? tmp.resolve(file) : tmp.getParent().resolve(file));
        landing.put("model/../../" + file, tmp.resolve(file));
        landing.put(absolute.toString(), absolute);
        for (Map.Entry<String, Path> slip : landing.entrySet()) {
            Path zip = artifactZip(Files.readAllBytes(COMPAT.resolve("manifest.json")), slip.getKey(),
                    "gotcha".getBytes(StandardCharsets.UTF_8), 6L);
            assertThatThrownBy(() -> ModelArtifact.load(zip))
                    .isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("entry '" + slip.getKey() + "' points outside the archive");
            assertThat(slip.getValue()).doesNotExist();
        }
    }

    @Test
    void manifestWithAMegabytesLongStringIsRefusedFromItsSize() throws IOException {
        JsonObject m = JsonParser.parseString(Files.readString(COMPAT.resolve("manifest.json"))).getAsJsonObject();
        m.addProperty("sdkVersion", "x".repeat(4 << 20));
        byte[] manifest = m.toString().getBytes(StandardCharsets.UTF_8);
        Path zip = artifactZip(manifest);
        Path directory = Files.createDirectory(dir.resolve("artifact"));
        Files.write(directory.resolve("manifest.json"), manifest);

        assertTimeoutPreemptively(QUICKLY, () -> {
            assertThatThrownBy(() -> ModelArtifact.load(zip)).isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("entry 'manifest.json' declares " + manifest.length
                            + " bytes; at most 1048576 are accepted");
            assertThatThrownBy(() -> ModelArtifact.load(directory)).isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("manifest.json has " + manifest.length + " bytes; at most 1048576");
        });
    }

    @Test
    void deeplyNestedManifestIsRefusedAsMalformedJson() throws IOException {
        String nested = "{\"format\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        Path directory = Files.createDirectory(dir.resolve("nested"));
        Files.writeString(directory.resolve("manifest.json"), nested);

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> ModelArtifact.load(directory))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("manifest.json: malformed JSON"));
    }

    // ---------------------------------------------------------------------------------------
    // NumPy weights

    @Test
    void npzArrayDeclaringTenBillionElementsIsRefusedFromItsHeader() throws IOException {
        byte[] npy = npyHeader("<f4", "(100000, 100000)");
        Path npz = dir.resolve("weights.npz");
        Files.write(npz, zip(new Object[] {"fc.weight.npy", npy, (long) npy.length}));

        assertTimeoutPreemptively(QUICKLY, () -> {
            try (NpzReader reader = NpzReader.open(npz)) {
                assertThatThrownBy(() -> reader.read("fc.weight"))
                        .isInstanceOf(CaptionerException.class)
                        .hasMessageContaining("weights.npz:fc.weight: array of 40000000000 bytes exceeds the 2 GiB limit");
            }
        });
    }

    @Test
    void npyDeclaringMoreDataThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        Path file = Files.write(dir.resolve("lie.npy"), npyHeader("<f4", "(500000000,)"));

        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(() -> Npy.read(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("lie.npy: truncated .npy data: shape (500000000,) needs 2000000000 bytes, "
                        + "but the file holds 0 after the header"));
    }

    // ---------------------------------------------------------------------------------------
    // Helpers: hand-made zips whose headers may declare any size

    /** A deflate stream of about 4 MiB that inflates to 4 GiB of zeros, made in milliseconds. */
    private static byte[] gigabytesOfZeros() {
        byte[] mebibyte = new byte[1 << 20];
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] buf = new byte[1 << 20];
        d.setInput(mebibyte);
        int first = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        byte[] head = java.util.Arrays.copyOf(buf, first);
        d.setInput(mebibyte);
        int again = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        byte[] repeat = java.util.Arrays.copyOf(buf, again); // refers only to zeros in the window
        d.finish();
        int last = d.deflate(buf, 0, buf.length);
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        for (int i = 1; i < 4096; i++) {
            out.writeBytes(repeat);
        }
        out.write(buf, 0, last);
        return out.toByteArray();
    }

    /** The checked-in manifest with the {@code bytes} of some files changed. */
    private static byte[] manifestDeclaring(Map<String, Long> bytesByFile) throws IOException {
        JsonObject m = JsonParser.parseString(Files.readString(COMPAT.resolve("manifest.json"))).getAsJsonObject();
        for (String[] ref : new String[][] {{"vocabulary", "file"}, {"decoder", "parameters"}, {"encoder", "parameters"}}) {
            JsonObject file = m.getAsJsonObject(ref[0]).getAsJsonObject(ref[1]);
            Long bytes = bytesByFile.get(file.get("path").getAsString());
            if (bytes != null) {
                file.addProperty("bytes", bytes);
            }
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code bomb.zip}: the manifest stored, then each (name, deflated data, declared size)
     * triple with the declared size in both its local header and the central directory.
     */
    private Path artifactZip(byte[] manifest, Object... deflatedEntries) throws IOException {
        Object[] all = new Object[deflatedEntries.length + 3];
        all[0] = "manifest.json";
        all[1] = manifest;
        all[2] = (long) manifest.length;
        System.arraycopy(deflatedEntries, 0, all, 3, deflatedEntries.length);
        return Files.write(dir.resolve("bomb.zip"), zip(all));
    }

    /**
     * A zip of (name, data, declared size) triples: the first entry is stored, every later one
     * deflated; sizes are what the triple declares, not what the data holds.
     */
    private static byte[] zip(Object... triples) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (int i = 0; i < triples.length; i += 3) {
            byte[] name = ((String) triples[i]).getBytes(StandardCharsets.UTF_8);
            byte[] data = (byte[]) triples[i + 1];
            long declared = (Long) triples[i + 2];
            int method = i == 0 ? 0 : 8;
            CRC32 crc = new CRC32();
            crc.update(data);
            int offset = body.size();
            body.writeBytes(le(0x04034b50, 4, 20, 2, 0, 2, method, 2, 0, 4, (int) crc.getValue(), 4,
                    data.length, 4, (int) declared, 4, name.length, 2, 0, 2));
            body.writeBytes(name);
            body.writeBytes(data);
            central.writeBytes(le(0x02014b50, 4, 20, 2, 20, 2, 0, 2, method, 2, 0, 4, (int) crc.getValue(), 4,
                    data.length, 4, (int) declared, 4, name.length, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 4, offset, 4));
            central.writeBytes(name);
        }
        int entries = triples.length / 3;
        int cdOffset = body.size();
        body.writeBytes(central.toByteArray());
        body.writeBytes(le(0x06054b50, 4, 0, 2, 0, 2, entries, 2, entries, 2, central.size(), 4, cdOffset, 4, 0, 2));
        return body.toByteArray();
    }

    /** Little-endian fields given as (value, width) pairs. */
    private static byte[] le(int... valueWidthPairs) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < valueWidthPairs.length; i += 2) {
            if (valueWidthPairs[i + 1] == 4) {
                b.putInt(valueWidthPairs[i]);
            } else {
                b.putShort((short) valueWidthPairs[i]);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] npyHeader(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        String padded = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
