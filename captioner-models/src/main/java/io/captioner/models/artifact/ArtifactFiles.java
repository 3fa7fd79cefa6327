package io.captioner.models.artifact;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** File helpers of the artifact: zipping, safe unzipping, recursive delete. */
final class ArtifactFiles {

    /** Largest total size accepted when unzipping an artifact: 4 GiB. */
    static final long MAX_UNZIPPED_BYTES = 4L << 30;
    /** Largest {@code manifest.json} accepted: 1 MiB (a real one has about 2 KB). */
    static final long MAX_MANIFEST_BYTES = 1L << 20;
    /** Largest {@code serving.properties} extracted: 64 KiB. */
    static final long MAX_SERVING_PROPERTIES_BYTES = 64L << 10;
    /** Most entries a zipped artifact may hold (it has at most six files). */
    static final int MAX_ENTRIES = 64;

    private ArtifactFiles() {}

    static void zipDirectory(Path dir, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        for (Path p : files) {
            ZipEntry e = new ZipEntry(p.getFileName().toString());
            e.setTime(0);
            zip.putNextEntry(e);
            Files.copy(p, zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Unzips an artifact into {@code dest}, deciding everything from what the archive and its
     * manifest declare before a byte is inflated: the zip's central directory must hold at most
     * {@value #MAX_ENTRIES} entries whose names stay inside {@code dest}; {@code manifest.json} is
     * read first (at most {@value #MAX_MANIFEST_BYTES} bytes) and parsed; then only the files the
     * manifest lists as embedded, and {@code serving.properties}, are extracted, each declared by
     * the zip at exactly the size the manifest gives, all together at most
     * {@link #MAX_UNZIPPED_BYTES}. An entry that inflates to more than it declared is refused as
     * soon as it does. Files the manifest lists but the archive lacks are left for the loader to
     * report, naming the manifest field.
     */
    static void unzip(Path zipFile, Path dest) {
        try (ZipFile zip = open(zipFile)) {
            Map<String, ZipEntry> entries = checkedEntries(zip, zipFile, dest);
            String json = new String(read(zip, zipFile, manifestEntry(entries, zipFile), MAX_MANIFEST_BYTES),
                    StandardCharsets.UTF_8);
            Manifest manifest = Manifest.parse(json, zipFile + "/" + Manifest.FILE_NAME);
            Map<String, Long> wanted = new LinkedHashMap<>();
            for (FileRef ref : new FileRef[] {manifest.vocabulary(), manifest.decoderParameters(),
                manifest.encoderParameters(), manifest.encoderBaseWeights()}) {
                if (ref != null && ref.embedded()) {
                    wanted.put(ref.path(), ref.bytes());
                }
            }
            ZipEntry serving = entries.get(ArtifactWriter.SERVING_PROPERTIES);
            if (serving != null && serving.getSize() >= 0 && serving.getSize() <= MAX_SERVING_PROPERTIES_BYTES) {
                wanted.putIfAbsent(ArtifactWriter.SERVING_PROPERTIES, serving.getSize());
            }
            long total = json.length();
            for (Map.Entry<String, Long> w : wanted.entrySet()) {
                ZipEntry e = entries.get(w.getKey());
                if (e == null) {
                    continue;
                }
                if (e.getSize() != w.getValue()) {
                    throw new CaptionerException(zipFile + ": entry '" + e.getName() + "' declares " + e.getSize()
                            + " bytes but manifest.json says the file has " + w.getValue());
                }
                total += e.getSize();
                if (total > MAX_UNZIPPED_BYTES) {
                    throw new CaptionerException(zipFile + ": unzips to more than " + MAX_UNZIPPED_BYTES
                            + " bytes (declared by its entries)");
                }
            }
            Files.createDirectories(dest);
            Files.writeString(dest.resolve(Manifest.FILE_NAME), json, StandardCharsets.UTF_8);
            for (String name : wanted.keySet()) {
                ZipEntry e = entries.get(name);
                if (e != null) {
                    Path target = dest.resolve(name).normalize();
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                        copyAtMost(in, out, e.getSize(), zipFile, name);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new CaptionerException(zipFile + ": corrupt zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptionerException(zipFile + ": cannot unzip: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the {@code manifest.json} of a zipped artifact without extracting anything else.
     *
     * @return the manifest's text
     */
    static String readManifest(Path zipFile) {
        try (ZipFile zip = open(zipFile)) {
            Map<String, ZipEntry> entries = checkedEntries(zip, zipFile, Path.of("artifact").toAbsolutePath());
            return new String(read(zip, zipFile, manifestEntry(entries, zipFile), MAX_MANIFEST_BYTES),
                    StandardCharsets.UTF_8);
        } catch (java.util.zip.ZipException e) {
            throw new CaptionerException(zipFile + ": corrupt zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptionerException(zipFile + ": cannot unzip: " + e.getMessage(), e);
        }
    }

    private static ZipFile open(Path zipFile) {
        try {
            return new ZipFile(zipFile.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new CaptionerException(zipFile + ": not a zip archive or an empty one (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CaptionerException(zipFile + ": cannot open zip archive: " + e.getMessage(), e);
        }
    }

    /** The entries by name, after checking their number and that each name stays inside {@code dest}. */
    private static Map<String, ZipEntry> checkedEntries(ZipFile zip, Path zipFile, Path dest) {
        if (zip.size() == 0) {
            throw new CaptionerException(zipFile + ": not a zip archive or an empty one");
        }
        if (zip.size() > MAX_ENTRIES) {
            throw new CaptionerException(zipFile + ": holds " + zip.size() + " entries; a model artifact has at most "
                    + MAX_ENTRIES);
        }
        Map<String, ZipEntry> byName = new HashMap<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            Path target;
            try {
                target = dest.resolve(e.getName()).normalize();
            } catch (InvalidPathException ex) {
                throw new CaptionerException(zipFile + ": entry '" + printable(e.getName())
                        + "' is not a valid file name", ex);
            }
            if (!target.startsWith(dest) || target.equals(dest)) {
                throw new CaptionerException(zipFile + ": entry '" + printable(e.getName())
                        + "' points outside the archive");
            }
            if (byName.put(e.getName(), e) != null) {
                throw new CaptionerException(zipFile + ": entry '" + printable(e.getName()) + "' appears twice");
            }
        }
        return byName;
    }

    private static ZipEntry manifestEntry(Map<String, ZipEntry> entries, Path zipFile) {
        ZipEntry e = entries.get(Manifest.FILE_NAME);
        if (e == null) {
            throw new CaptionerException(zipFile + ": missing file " + Manifest.FILE_NAME
                    + " (not a captioner model artifact)");
        }
        return e;
    }

    /** Reads a whole entry whose declared size is at most {@code limit}. */
    private static byte[] read(ZipFile zip, Path zipFile, ZipEntry e, long limit) throws IOException {
        if (e.getSize() < 0 || e.getSize() > limit) {
            throw new CaptionerException(zipFile + ": entry '" + e.getName() + "' declares " + e.getSize()
                    + " bytes; at most " + limit + " are accepted");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) e.getSize());
        try (InputStream in = zip.getInputStream(e)) {
            copyAtMost(in, out, e.getSize(), zipFile, e.getName());
        }
        return out.toByteArray();
    }

    /** Copies an entry, refusing it once it gives more bytes than it declared. */
    private static void copyAtMost(InputStream in, OutputStream out, long declared, Path zipFile, String name)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long copied = 0;
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, declared - copied + 1))) > 0) {
            copied += n;
            if (copied > declared) {
                throw new CaptionerException(zipFile + ": entry '" + name + "' inflates to more than its declared "
                        + declared + " bytes");
            }
            out.write(buf, 0, n);
        }
        if (copied != declared) {
            throw new CaptionerException(zipFile + ": entry '" + name + "' holds " + copied + " bytes but declares "
                    + declared);
        }
    }

    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 200; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return name.length() > 200 ? sb + "..." : sb.toString();
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ArtifactFiles.class).warn("Cannot delete {}: {}", root, e.toString());
        }
    }
}
