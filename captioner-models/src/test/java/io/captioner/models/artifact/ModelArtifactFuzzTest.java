package io.captioner.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.captioner.io.Digests;
import io.captioner.models.DjlCaptioner;
import io.captioner.testing.FuzzContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 2 of issue 18: any bytes as a model artifact, loaded as a {@code .zip} and as a
 * directory (manifest, vocabulary, parameter files).
 *
 * <p>The input is the zip. {@link ModelArtifact#load(Path)} reads it as it is; then the harness
 * unpacks its plain file entries (at most 1 MiB each) into a directory, rewrites the
 * {@code sha256} and {@code bytes} of every file the manifest lists to match what is there, and
 * loads the directory, so that mutated vocabularies, parameter files and decoder sizes get past
 * the hash check into their parsers and the engine. Only {@code CaptionerException} may escape,
 * and no file may be written outside the directory the artifact is unpacked to (entries named
 * {@code ../x} or {@code /x}): every path an entry name points to outside it is checked to be
 * unchanged. Seeds (the checked-in v1 small-CNN artifact, stored and deflated) and regression
 * inputs: {@code ModelArtifactFuzzTestInputs/anyArtifact/}.
 */
class ModelArtifactFuzzTest {

    private static final int MAX_HARNESS_ENTRY_BYTES = 1 << 20;

    private static Path scratch;

    @BeforeAll
    static void createScratchAndStartTheEngine() throws Exception {
        scratch = Files.createTempDirectory("fuzz-artifact-");
        // The first load starts PyTorch (seconds); the one-second limit is for the inputs.
        ModelArtifact.load(Path.of("src/test/resources/compat/v1-small-cnn")).close();
    }

    @AfterAll
    static void deleteScratch() throws Exception {
        FuzzContract.clear(scratch);
        Files.delete(scratch);
    }

    @FuzzTest(maxDuration = "30s")
    void anyArtifact(byte[] data) throws Exception {
        FuzzContract.clear(scratch);
        Map<String, byte[]> entries = new HashMap<>();
        List<Escape> escapes = new ArrayList<>();
        readEntries(data, entries, escapes);

        Path zip = Files.write(scratch.resolve("model.zip"), data);
        FuzzContract.accepts(() -> ModelArtifact.load(zip).close());
        for (Escape e : escapes) {
            e.assertUnchanged();
        }

        Path dir = Files.createDirectory(scratch.resolve("model"));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        rehashManifest(dir);
        FuzzContract.accepts(() -> {
            try (DjlCaptioner loaded = ModelArtifact.load(dir)) {
                assertThat(loaded.vocabulary().size()).isGreaterThanOrEqualTo(5);
            }
        });
    }

    /** Collects the plain entries a directory can hold, and the outside paths other entries name. */
    private static void readEntries(byte[] data, Map<String, byte[]> files, List<Escape> escapes) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path unpackDir = tmp.resolve("captioner-artifact-x");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                try {
                    Path target = unpackDir.resolve(name).normalize();
                    if (!target.startsWith(unpackDir)) {
                        escapes.add(Escape.of(target));
                    }
                } catch (InvalidPathException ignored) {
                    // not a path on this system, so nothing can be written there
                }
                if (name.matches("[A-Za-z0-9._-]{1,64}") && !name.startsWith(".") && !files.containsKey(name)) {
                    byte[] content = in.readNBytes(MAX_HARNESS_ENTRY_BYTES + 1);
                    if (content.length <= MAX_HARNESS_ENTRY_BYTES) {
                        files.put(name, content);
                    }
                }
            }
        } catch (IOException | RuntimeException malformedForTheHarness) {
            // the harness's own reading is best effort; the loader under test decides
        }
    }

    /** Makes every file reference of the manifest match the file on disk, when both exist. */
    private static void rehashManifest(Path dir) throws IOException {
        Path manifest = dir.resolve(Manifest.FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                return;
            }
            root = parsed.getAsJsonObject();
        } catch (RuntimeException | java.nio.charset.CharacterCodingException notJson) {
            return;
        }
        boolean changed = false;
        for (String[] ref : new String[][] {{"encoder", "parameters"}, {"encoder", "baseWeights"},
            {"decoder", "parameters"}, {"vocabulary", "file"}}) {
            JsonObject fileRef = child(child(root, ref[0]), ref[1]);
            if (fileRef == null || !(fileRef.get("path") instanceof com.google.gson.JsonPrimitive p) || !p.isString()) {
                continue;
            }
            String name = p.getAsString();
            if (!name.matches("[A-Za-z0-9._-]{1,64}") || !Files.isRegularFile(dir.resolve(name))) {
                continue;
            }
            fileRef.addProperty("sha256", Digests.sha256(dir.resolve(name)));
            fileRef.addProperty("bytes", Files.size(dir.resolve(name)));
            changed = true;
        }
        if (changed) {
            Files.writeString(manifest, root.toString(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject child(JsonObject o, String name) {
        return o != null && o.get(name) instanceof JsonObject c ? c : null;
    }

    /** A path outside the unpack directory, with its state before the load. */
    private record Escape(Path path, boolean existed, long size, long modified) {
        static Escape of(Path path) {
            try {
                boolean exists = Files.exists(path);
                return new Escape(path, exists, exists ? Files.size(path) : -1,
                        exists ? Files.getLastModifiedTime(path).toMillis() : -1);
            } catch (IOException e) {
                return new Escape(path, true, -1, -1);
            }
        }

        void assertUnchanged() throws IOException {
            Escape now = of(path);
            if (!Objects.equals(this, now)) {
                throw new AssertionError("zip slip: loading the artifact changed " + path + " (before " + this
                        + ", after " + now + ")");
            }
        }
    }
}
