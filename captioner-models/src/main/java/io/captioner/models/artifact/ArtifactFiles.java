package io.captioner.models.artifact;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** File helpers of the artifact: zipping, safe unzipping, recursive delete. */
final class ArtifactFiles {

    /** Largest total size accepted when unzipping an artifact: 4 GiB. */
    static final long MAX_UNZIPPED_BYTES = 4L << 30;

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

    /** Unzips into {@code dest}, refusing entries that escape it and archives larger than the limit. */
    static void unzip(Path zipFile, Path dest) {
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zipFile))) {
            ZipEntry e;
            int entries = 0;
            while ((e = in.getNextEntry()) != null) {
                entries++;
                Path target = dest.resolve(e.getName()).normalize();
                if (!target.startsWith(dest)) {
                    throw new CaptionerException(zipFile + ": entry '" + e.getName() + "' points outside the archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_UNZIPPED_BYTES) {
                            throw new CaptionerException(zipFile + ": unzips to more than " + MAX_UNZIPPED_BYTES + " bytes");
                        }
                        out.write(buf, 0, n);
                    }
                }
            }
            if (entries == 0) {
                throw new CaptionerException(zipFile + ": not a zip archive or an empty one");
            }
        } catch (java.util.zip.ZipException e) {
            throw new CaptionerException(zipFile + ": corrupt zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptionerException(zipFile + ": cannot unzip: " + e.getMessage(), e);
        }
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
