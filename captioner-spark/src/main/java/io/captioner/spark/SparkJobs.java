package io.captioner.spark;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;

/** What the two jobs share: the session, how images are listed, image ids, and the command line. */
final class SparkJobs {

    /** Exit code of a successful run. */
    static final int EXIT_OK = 0;
    /** Exit code of a run that failed on its input, the model or Spark. */
    static final int EXIT_RUNTIME = 1;
    /** Exit code of a run with bad arguments. */
    static final int EXIT_USAGE = 2;

    /** The default largest image file read, in bytes: as {@code DjlCaptioner.MAX_STREAM_BYTES}. */
    static final long DEFAULT_MAX_BYTES = 256L << 20;

    private SparkJobs() {}

    /** A session and whether this job created it (and so stops it). */
    record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    /**
     * Returns the running session (an application's, or a test's), or starts one: on {@code master}
     * if given, else on the master {@code spark-submit} set, else embedded on {@code local[*]}.
     *
     * @param appName the application name
     * @param master a Spark master URL, or null
     * @return the session
     */
    static Session session(String appName, String master) {
        SparkSession running = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (running != null) {
            return new Session(running, false);
        }
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        } else if (!new SparkConf().contains("spark.master")) {
            b.master("local[*]");
        }
        return new Session(b.getOrCreate(), true);
    }

    /**
     * Lists the files under a path, recursively, with Spark's {@code binaryFile} source: columns
     * {@code path}, {@code modificationTime}, {@code length} and {@code content} (read only for
     * the rows and columns a query keeps: a filter on {@code length} is applied before any byte is
     * read).
     *
     * @param spark the session
     * @param images a file or directory, on any Hadoop file system
     * @return the files
     */
    static Dataset<Row> images(SparkSession spark, String images) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(images);
    }

    /**
     * Returns the image id of a {@code path} column: the file name.
     *
     * @param path the path column
     * @return the column of file names
     */
    static Column imageId(Column path) {
        return functions.element_at(functions.split(path, "/"), -1);
    }

    /**
     * Returns the image id of a path: the file name.
     *
     * @param path a path or URI
     * @return the part after the last slash
     */
    static String imageId(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Returns the error message of a file over the byte limit.
     *
     * @param path the file
     * @param length its size in bytes
     * @param maxBytes the limit
     * @return the message
     */
    static String tooLarge(String path, long length, long maxBytes) {
        return path + ": file of " + length + " bytes exceeds the limit of " + maxBytes + " bytes (--max-bytes)";
    }

    /**
     * Runs a picocli command with the exit codes and error lines of the {@code captioner} CLI.
     *
     * @param command the annotated command
     * @param args the arguments
     * @param out where the result goes
     * @param err where errors go
     * @return the exit code
     */
    static int execute(Callable<Integer> command, String[] args, PrintWriter out, PrintWriter err) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> EXIT_RUNTIME);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            cmd.getErr().println("error: " + message);
            if (System.getenv("CAPTIONER_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_RUNTIME;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            }
            return EXIT_USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
