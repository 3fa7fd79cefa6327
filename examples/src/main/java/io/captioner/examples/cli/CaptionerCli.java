package io.captioner.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code captioner} command-line tool: {@code java -jar examples/target/captioner.jar --help}.
 *
 * <p>Exit codes: 0 success, 1 runtime error (a message naming the input on stderr), 2 usage error.
 * DJL runs offline unless {@code -Dai.djl.offline=false} is given: PyTorch's native library comes
 * from the jar, never from a download. stderr carries progress, warnings and errors only; the
 * engines' logs (DJL, PyTorch, Javalin, Jetty) appear with {@code --verbose}, accepted by every
 * command.
 */
@Command(
        name = "captioner",
        mixinStandardHelpOptions = true,
        versionProvider = CaptionerCli.Version.class,
        description = "Writes an English sentence for an image, and trains and evaluates the models that do.",
        subcommands = {
            VocabCommand.class,
            FeaturesCommand.class,
            ScoreCommand.class,
            CaptionCommand.class,
            EvaluateCommand.class,
            ServeCommand.class,
            QuickstartCommand.class,
            TrainCommand.class,
            SynthCommand.class,
            AttentionAlignmentCommand.class,
        })
public final class CaptionerCli implements Runnable {

    /** Exit code of a successful run. */
    public static final int EXIT_OK = 0;
    /** Exit code of a run that failed on its input or the engine. */
    public static final int EXIT_RUNTIME = 1;
    /** Exit code of a run with bad arguments. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    /**
     * Shows the engines' logs on stderr. Picocli calls this while it parses the command line,
     * before any command runs, whether the option comes before or after the subcommand's name.
     *
     * @param verbose whether {@code --verbose} was given
     */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also print the engines' logs (DJL, PyTorch, Javalin, Jetty) on stderr.")
    void setVerbose(boolean verbose) {
        if (verbose) {
            EngineLogging.verbose();
        }
    }

    /**
     * Runs the tool and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), ProgressOutput.systemErr()));
    }

    /**
     * Runs the tool without exiting the JVM; tests call this.
     *
     * @param args the command line
     * @param out where results go
     * @param err where errors and progress go
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Builds the picocli command line with the project's exit codes and error handling.
     *
     * @return the configured command line
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CaptionerCli());
        cli.setExitCodeExceptionMapper(e -> EXIT_RUNTIME);
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            // Runtime failures print one line naming the input; the stack trace only with --debug-like env.
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            cmd.getErr().println("error: " + message);
            if (System.getenv("CAPTIONER_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_RUNTIME;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            }
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command; see --help");
    }

    /** Reads the versions filtered into {@code version.properties} at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = CaptionerCli.class.getResourceAsStream(
                    "/io/captioner/examples/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "captioner " + p.getProperty("version", "unknown"),
                "DJL " + p.getProperty("djl", "unknown") + ", PyTorch " + p.getProperty("pytorch", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
