package io.captioner.io;

import io.captioner.CaptionerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests of files, as recorded in model artifacts and feature-cache keys. */
public final class Digests {

    private static final int BUFFER_BYTES = 1 << 16;

    private Digests() {}

    /**
     * Hashes a file's bytes with SHA-256, streaming it (the file is never held in memory whole).
     *
     * @param file the file to hash
     * @return the digest as 64 lowercase hex digits
     * @throws CaptionerException naming the file if it is missing or cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK, which every Java SE must provide", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read the file to hash it (SHA-256): " + e, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
