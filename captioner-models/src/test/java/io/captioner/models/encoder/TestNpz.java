package io.captioner.models.encoder;

import io.captioner.models.npy.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helpers: torchvision key lists (from torchvision 0.14.1) and a minimal .npz writer. */
final class TestNpz {

    private TestNpz() {}

    /** Reads {@code <arch>.torchvision-keys.tsv}: key → shape, in state_dict order. */
    static Map<String, long[]> torchvisionKeys(TorchvisionArch arch) throws IOException {
        Map<String, long[]> keys = new LinkedHashMap<>();
        try (InputStream in = TestNpz.class.getResourceAsStream(arch.id() + ".torchvision-keys.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] kv = line.split("\t", -1);
                List<Long> dims = new ArrayList<>();
                for (String d : kv[1].split(",")) {
                    if (!d.isEmpty()) {
                        dims.add(Long.parseLong(d));
                    }
                }
                keys.put(kv[0], dims.stream().mapToLong(Long::longValue).toArray());
            }
        }
        return keys;
    }

    /** Writes a .npz of float32 arrays, each filled with {@code value}. */
    static void writeConstant(Path file, Map<String, long[]> shapes, float value) throws IOException {
        try (OutputStream fos = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(fos)) {
            zip.setLevel(1);
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                long n = 1;
                for (long d : e.getValue()) {
                    n *= d;
                }
                float[] data = new float[(int) n];
                java.util.Arrays.fill(data, value);
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.writeFloat32(zip, e.getValue(), data);
                zip.closeEntry();
            }
        }
    }
}
