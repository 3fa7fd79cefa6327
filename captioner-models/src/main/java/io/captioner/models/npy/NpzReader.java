package io.captioner.models.npy;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive (as written by {@code numpy.savez} or
 * {@code numpy.savez_compressed}): a zip file whose entries {@code KEY.npy} are arrays.
 *
 * <p>Arrays are read one at a time on demand, so a large archive (VGG-16 is 528 MiB) is never held
 * in memory at once. Not thread-safe; close it to release the file.
 */
public final class NpzReader implements AutoCloseable {

    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private NpzReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory()) {
                String key = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                entries.put(key, e);
            }
        }
    }

    /**
     * Opens an archive.
     *
     * @param file the {@code .npz} file
     * @return an open reader; the caller closes it
     * @throws CaptionerException if the file is missing or not a zip archive
     */
    public static NpzReader open(Path file) {
        try {
            return new NpzReader(file, new ZipFile(file.toFile()));
        } catch (ZipException e) {
            throw new CaptionerException(file + ": not a .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot open .npz archive: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the array keys in archive order (entry names without {@code .npy}).
     *
     * @return an unmodifiable list of keys
     */
    public List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    /**
     * Tells whether the archive has an array under a key.
     *
     * @param key the array name
     * @return true if present
     */
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /**
     * Reads one array.
     *
     * @param key the array name, e.g. {@code features.0.weight}
     * @return the array
     * @throws IllegalArgumentException if there is no such key
     * @throws CaptionerException if the entry is not a supported {@code .npy}
     */
    public NpyArray read(String key) {
        ZipEntry e = entries.get(key);
        if (e == null) {
            throw new IllegalArgumentException(file + ": no array '" + key + "'");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return Npy.read(in, file + ":" + key, e.getSize());
        } catch (IOException ex) {
            throw new CaptionerException(file + ":" + key + ": cannot read archive entry: " + ex.getMessage(), ex);
        }
    }

    /**
     * Returns the archive path.
     *
     * @return the file this reader was opened on
     */
    public Path file() {
        return file;
    }

    /** Closes the archive. */
    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot close .npz archive: " + e.getMessage(), e);
        }
    }
}
