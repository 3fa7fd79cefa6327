package io.captioner.spark;

import io.captioner.CaptionerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * Finds a model artifact or a weights file on whichever JVM needs it, driver or executor.
 *
 * <p>A location is one of: a path that exists on every node (local mode, a shared file system, a
 * path inside the container image); a file shipped with {@code spark-submit --files} (or {@code
 * SparkContext.addFile}) and named by its file name; or a URI of any Hadoop file system ({@code
 * hdfs://}, {@code s3a://}), which {@link #ship} adds to the Spark context so that Spark copies it
 * to every node. Then {@link #resolve} finds the local copy.
 */
final class ModelLocation {

    private ModelLocation() {}

    /**
     * On the driver: makes a remote location available to every node through {@code
     * SparkContext.addFile}; a local one is left alone.
     *
     * @param spark the session
     * @param location the path or URI given by the user
     */
    static void ship(SparkSession spark, String location) {
        URI uri = uri(location);
        if (uri != null && uri.getScheme() != null && !"file".equalsIgnoreCase(uri.getScheme())
                && !spark.sparkContext().listFiles().contains(location)) {
            spark.sparkContext().addFile(location, true);
        }
    }

    /**
     * Finds the local copy of a location on this JVM.
     *
     * @param location the path or URI given by the user
     * @return an existing local path
     * @throws CaptionerException naming the location and every place looked at if none has it
     */
    static Path resolve(String location) {
        URI uri = uri(location);
        String scheme = uri == null || uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        Path local = null;
        if (scheme == null) {
            local = path(location);
        } else if (scheme.equals("file")) {
            local = Path.of(uri);
        }
        if (local != null && Files.exists(local)) {
            return local;
        }
        String name = fileName(location);
        Path shipped = null;
        if (SparkEnv.get() != null && !name.isEmpty()) {
            shipped = Path.of(SparkFiles.get(name));
            if (Files.exists(shipped)) {
                return shipped;
            }
        }
        throw new CaptionerException(location + ": not found on " + host() + " (looked at "
                + (local == null ? "" : local.toAbsolutePath() + " and ")
                + (shipped == null ? "no Spark files" : "the Spark files, " + shipped)
                + "); give a path that exists on every node, ship the file with spark-submit --files, or give an"
                + " hdfs:// or s3a:// URI");
    }

    private static URI uri(String location) {
        // Windows drive letters and plain relative paths are not URIs with a scheme worth fetching.
        if (location.length() > 1 && location.charAt(1) == ':') {
            return null;
        }
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Path path(String location) {
        try {
            return Path.of(location);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String fileName(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "this node";
        }
    }
}
