package io.captioner.examples.cli;

import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.examples.server.CaptionServer;
import io.captioner.examples.server.ClientLimits;
import io.captioner.examples.train.Quickstart;
import io.captioner.examples.train.QuickstartOptions;
import io.captioner.examples.server.ServerConfig;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code captioner serve}: serves a captioning model over HTTP until the process is stopped
 * (Ctrl-C or SIGTERM stop it gracefully: requests in flight finish within the grace period).
 *
 * <p>API: {@code POST /caption} (multipart/form-data, field {@code image}), a web page at
 * {@code GET /}, {@code GET /health}, {@code GET /metrics} (Prometheus), {@code GET /openapi.json},
 * Swagger UI at {@code /swagger}; see
 * {@link io.captioner.examples.server.CaptionServer}. Binds loopback unless {@code --host} says
 * otherwise. Exit codes: 0 stopped normally, 1 no model or the model cannot be loaded or the port
 * cannot be bound, 2 bad arguments.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a captioning model over HTTP: POST /caption (multipart/form-data, field 'image'),",
            "a web page at /, GET /health, GET /metrics (Prometheus), GET /openapi.json and a Swagger UI",
            "at /swagger. Requests are batched: those arriving within --batch-window-ms, up to --max-batch,",
            "are captioned together. Ctrl-C stops gracefully.",
            "Example: curl -X POST http://127.0.0.1:8080/caption -H \"accept: application/json\""
                    + " -H \"Content-Type: multipart/form-data\" -F \"image=@photo.jpg;type=image/jpeg\""
        })
final class ServeCommand implements Callable<Integer> {

    /**
     * Loads the model file given to {@code --model}; tests replace it. The production loader is
     * {@link #loadModel(Path)}.
     */
    static Function<Path, Captioner> loader = ServeCommand::loadModel;

    /** Where the quickstart writes by default, relative to the working directory. */
    static final String QUICKSTART_OUT = "quickstart-out";

    /** Finds the model used when {@code --model} is absent; tests replace it. */
    static Supplier<Optional<Path>> defaultModel = () -> quickstartModel(Path.of(QUICKSTART_OUT));

    /** Called with the running server once it listens; tests use it to talk to and stop it. */
    static Consumer<CaptionServer> onStarted = server -> { };

    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "M",
            description = "Model artifact to serve (default: quickstart-out/model, trained first if absent).")
    private Path model;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, paramLabel = "HOST",
            description = "Interface to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
    private String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT, paramLabel = "PORT",
            description = "TCP port, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--token", defaultValue = "${env:CAPTIONER_TOKEN}", paramLabel = "T",
            description = "Require 'Authorization: Bearer T' on POST /caption (default: the CAPTIONER_TOKEN "
                    + "environment variable; none if unset). /health and the API docs stay open.")
    private String token;

    @Option(names = "--max-upload-bytes", defaultValue = "" + ServerConfig.DEFAULT_MAX_UPLOAD_BYTES,
            paramLabel = "N", description = "Largest request body accepted; larger gets 413 (default: ${DEFAULT-VALUE}).")
    private long maxUploadBytes;

    @Option(names = "--workers", defaultValue = "" + ServerConfig.DEFAULT_WORKERS, paramLabel = "N",
            description = "Images captioned at the same time (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--queue", defaultValue = "" + ServerConfig.DEFAULT_QUEUE, paramLabel = "N",
            description = "Requests that may wait for a worker; more get 503 (default: ${DEFAULT-VALUE}).")
    private int queue;

    @Option(names = "--max-batch", defaultValue = "" + ServerConfig.DEFAULT_MAX_BATCH, paramLabel = "N",
            description = "Most requests captioned together in one encoder pass and search, 1-"
                    + ServerConfig.MAX_MAX_BATCH + "; 1 turns batching off (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(names = "--batch-window-ms", defaultValue = "" + ServerConfig.DEFAULT_BATCH_WINDOW_MS, paramLabel = "MS",
            description = "Longest the first request of a batch waits for others to join it, 0-"
                    + "1000 (default: ${DEFAULT-VALUE}).")
    private long batchWindowMs;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Longest a request may wait and be captioned; then 504 (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--grace-ms", defaultValue = "10000", paramLabel = "MS",
            description = "Longest a stop waits for requests in flight (default: ${DEFAULT-VALUE}).")
    private long graceMs;

    @Option(names = "--request-deadline-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Longest a whole request (headers and body) may take to arrive; then 408, or the "
                    + "connection is closed while still in its headers (default: ${DEFAULT-VALUE}).")
    private long requestDeadlineMs;

    @Option(names = "--min-upload-rate", defaultValue = "" + ClientLimits.DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND,
            paramLabel = "B/S", description = "Slowest accepted upload in bytes/s, averaged over the body; "
                    + "slower gets 408. 0 for no minimum (default: ${DEFAULT-VALUE}).")
    private long minUploadRate;

    @Option(names = "--idle-timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Longest a connection may send nothing while a request is awaited or arriving; then "
                    + "it is closed (408 while in a body) (default: ${DEFAULT-VALUE}).")
    private long idleTimeoutMs;

    @Option(names = "--max-connections", defaultValue = "" + ClientLimits.DEFAULT_MAX_CONNECTIONS, paramLabel = "N",
            description = "Most connections open at once; more wait to be accepted, and idle ones are closed "
                    + "after 1 s while it is reached (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = ""
            + ClientLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, paramLabel = "N",
            description = "Most connections open at once from one client IP address; more are closed when "
                    + "accepted (default: ${DEFAULT-VALUE}).")
    private int maxConnectionsPerAddress;

    @Option(names = "--max-header-bytes", defaultValue = "" + ClientLimits.DEFAULT_MAX_HEADER_BYTES,
            paramLabel = "N", description = "Largest request line plus headers; larger gets 431 "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxHeaderBytes;

    @Override
    public Integer call() throws InterruptedException {
        CliArgs.require(spec, port >= 0 && port <= 65535, "--port must be from 0 to 65535, found " + port);
        CliArgs.require(spec, !host.isBlank(), "--host must not be blank");
        CliArgs.require(spec, maxUploadBytes >= 1, "--max-upload-bytes must be at least 1, found " + maxUploadBytes);
        CliArgs.require(spec, workers >= 1, "--workers must be at least 1, found " + workers);
        CliArgs.require(spec, queue >= 0, "--queue must be 0 or more, found " + queue);
        CliArgs.require(spec, maxBatch >= 1 && maxBatch <= ServerConfig.MAX_MAX_BATCH,
                "--max-batch must be from 1 to " + ServerConfig.MAX_MAX_BATCH + ", found " + maxBatch);
        CliArgs.require(spec, batchWindowMs >= 0 && batchWindowMs <= ServerConfig.MAX_BATCH_WINDOW.toMillis(),
                "--batch-window-ms must be from 0 to " + ServerConfig.MAX_BATCH_WINDOW.toMillis() + ", found "
                        + batchWindowMs);
        CliArgs.require(spec, timeoutMs >= 1, "--timeout-ms must be at least 1, found " + timeoutMs);
        CliArgs.require(spec, graceMs >= 0, "--grace-ms must be 0 or more, found " + graceMs);
        CliArgs.require(spec, requestDeadlineMs >= 1,
                "--request-deadline-ms must be at least 1, found " + requestDeadlineMs);
        CliArgs.require(spec, minUploadRate >= 0, "--min-upload-rate must be 0 or more, found " + minUploadRate);
        CliArgs.require(spec, idleTimeoutMs >= 1, "--idle-timeout-ms must be at least 1, found " + idleTimeoutMs);
        CliArgs.require(spec, maxConnections >= 1 && maxConnections <= 10_000,
                "--max-connections must be from 1 to 10000, found " + maxConnections);
        CliArgs.require(spec, maxConnectionsPerAddress >= 1 && maxConnectionsPerAddress <= maxConnections,
                "--max-connections-per-address must be from 1 to --max-connections (" + maxConnections
                        + "), found " + maxConnectionsPerAddress);
        CliArgs.require(spec, maxHeaderBytes >= 1024 && maxHeaderBytes <= 65536,
                "--max-header-bytes must be from 1024 to 65536, found " + maxHeaderBytes);
        String bearer = token == null || token.isBlank() ? null : token;
        PrintWriter err = spec.commandLine().getErr();

        Path modelPath = model != null ? model : defaultModel.get().orElseThrow(() -> new CaptionerException(
                "no --model given and no quickstart model is available; pass --model FILE"));
        if (!Files.exists(modelPath)) {
            throw new CaptionerException("--model " + modelPath + ": no such file");
        }
        String modelName = modelPath.getFileName().toString();
        Captioner captioner = loader.apply(modelPath);
        CaptionServer server;
        try {
            server = CaptionServer.builder()
                    .setCaptioner(captioner)
                    .setModelName(modelName)
                    .optHost(host)
                    .optPort(port)
                    .optToken(bearer)
                    .optMaxUploadBytes(maxUploadBytes)
                    .optWorkers(workers)
                    .optQueueCapacity(queue)
                    .optMaxBatch(maxBatch)
                    .optBatchWindow(Duration.ofMillis(batchWindowMs))
                    .optTimeout(Duration.ofMillis(timeoutMs))
                    .optShutdownGrace(Duration.ofMillis(graceMs))
                    .optRequestDeadline(Duration.ofMillis(requestDeadlineMs))
                    .optMinUploadRate(minUploadRate)
                    .optIdleTimeout(Duration.ofMillis(idleTimeoutMs))
                    .optMaxConnections(maxConnections)
                    .optMaxConnectionsPerAddress(maxConnectionsPerAddress)
                    .optMaxHeaderBytes(maxHeaderBytes)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            captioner.close();
            throw e;
        }
        Thread hook = new Thread(() -> {
            server.stop();
            captioner.close();
        }, "captioner-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (bearer == null && !isLoopback(host)) {
            err.println("warning: serving on " + host + " without --token: anyone who can reach this port "
                    + "can use it");
        }
        err.println("Serving " + modelName + " at " + server.uri() + " (web page " + server.uri() + "/, POST /caption, "
                + "GET /health, GET /metrics, Swagger UI " + server.uri() + "/swagger); Ctrl-C stops");
        err.flush();
        onStarted.accept(server);
        server.awaitStop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and closes the captioner itself
        }
        captioner.close();
        return CaptionerCli.EXIT_OK;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Loads a model artifact (a directory or {@code .zip}) into a captioner.
     *
     * @param file the model artifact
     * @return the captioner; the serve command closes it on exit
     * @throws CaptionerException naming the file if it is not a loadable model
     */
    static Captioner loadModel(Path file) {
        return Captioner.load(file);
    }

    /**
     * Returns the quickstart's model ({@code quickstart-out/model} by default), running the
     * quickstart first when it is absent (about five minutes on two CPU cores).
     *
     * @param out the quickstart's output directory
     * @return the model artifact
     */
    static Optional<Path> quickstartModel(Path out) {
        Path model = out.resolve(Quickstart.MODEL_DIR);
        if (!Files.isDirectory(model)) {
            System.err.println("No --model given and no quickstart model at " + model
                    + "; training it first (captioner quickstart --out " + out + ")");
            Quickstart.run(QuickstartOptions.builder().setOutDir(out).build(), System.err);
        }
        return Optional.of(model);
    }
}
