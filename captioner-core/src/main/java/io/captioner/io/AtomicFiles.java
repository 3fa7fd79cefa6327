package io.captioner.io;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files and directories so that a reader never sees a half-written one: the content goes
 * to a temporary sibling of the target, which is then renamed onto the target in one step.
 *
 * <p>If the writer fails or the process dies, the target keeps its previous content (or stays
 * absent) and the temporary file or directory is deleted when possible. After a crash a hidden
 * sibling named {@code .<name>.*.tmp} or {@code .<name>.tmp-*} may remain; no reader looks for it
 * and it can be deleted.
 */
public final class AtomicFiles {

    /** Writes content to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * Writes the whole content.
         *
         * @param out the stream of the temporary file; closed by the caller
         * @throws IOException if writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a directory; may throw {@link IOException}. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /**
         * Writes the whole content of the directory.
         *
         * @param dir the temporary directory, empty and writable; it will be renamed afterwards,
         *     so nothing may keep a handle on it or on the files inside
         * @throws IOException if writing fails
         */
        void write(Path dir) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {}

    /**
     * Writes a file atomically, creating its parent directories.
     *
     * @param target the file to write
     * @param writer produces the content
     * @throws CaptionerException naming the file if writing or the final rename fails
     */
    public static void write(Path target, StreamWriter writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            moveIntoPlace(tmp, absolute);
            tmp = null;
        } catch (IOException e) {
            throw new CaptionerException("Cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Writes a directory atomically: the writer fills a new temporary sibling directory, which
     * then replaces the target in one rename. An existing directory under the target name is
     * renamed aside first and deleted afterwards; between those two renames the target name is
     * briefly absent, never half-written. On POSIX file systems the new directory
     * gets mode {@code rwxr-xr-x} (a temporary directory is created owner-only); the files inside
     * keep the modes the writer gave them.
     *
     * @param target the directory to write; its parent directories are created
     * @param writer fills the directory
     * @throws CaptionerException naming the target if it exists and is not a directory, or if
     *     writing or a rename fails; the target then keeps its previous content (or stays absent)
     *     and the temporary directory is deleted. Unchecked exceptions of the writer propagate
     *     unchanged, after the same clean-up.
     * @throws IllegalArgumentException if the target is a file-system root
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("target must be a directory below a parent directory, found " + target);
        }
        Path tmp = null;
        try {
            requireDirectoryOrAbsent(absolute);
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".tmp-");
            writer.write(tmp);
            makeReadable(tmp);
            replaceDirectory(tmp, absolute);
            tmp = null;
        } catch (IOException e) {
            throw new CaptionerException("Cannot write directory " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteRecursively(tmp);
            }
        }
    }

    /**
     * Renames a finished temporary file or directory onto its target, atomically when the file
     * system allows it, replacing an existing regular file.
     *
     * @param source the finished temporary file or directory, on the same file system
     * @param target where it should end up
     * @throws IOException if the rename fails
     */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void requireDirectoryOrAbsent(Path target) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new CaptionerException(target + ": exists and is not a directory; will not replace it");
        }
    }

    /** Moves a finished directory onto the target, setting an existing target aside first. */
    private static void replaceDirectory(Path finished, Path target) throws IOException {
        requireDirectoryOrAbsent(target);
        if (!Files.exists(target)) {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        // POSIX rename replaces only an empty directory, so the old one is moved aside first.
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        deleteRecursively(old);
    }

    /** Temporary directories are created owner-only; give the result the usual mode. */
    private static void makeReadable(Path dir) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: the hidden sibling has a name that no reader looks for
            LOG.warn("Cannot delete {}: {}", root, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the stray temporary file has a name that no reader looks for
            }
        }
    }
}
