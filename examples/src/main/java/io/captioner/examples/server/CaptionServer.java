package io.captioner.examples.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinGson;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiContentProperty;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import io.javalin.openapi.OpenApiSecurity;
import io.javalin.openapi.plugin.OpenApiPlugin;
import io.javalin.openapi.plugin.swagger.SwaggerPlugin;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that captions uploaded images with a {@link Captioner}.
 *
 * <p>Routes: {@code POST /caption} (multipart/form-data, field {@code image}; query options
 * {@code beam}, {@code nbest}, {@code max_length}, each overriding only itself on the captioner's
 * {@link Captioner#defaultOptions()}) answers {@link CaptionResponse}; {@code GET /} is a web page
 * (plain HTML, CSS and JavaScript from the jar) that uploads an image through the same route;
 * {@code GET /health} answers {@link HealthResponse}, with status 200 only while the server takes
 * work (a readiness check); {@code GET /metrics} is every meter of {@link #meterRegistry()} in
 * Prometheus text format; {@code GET /openapi.json} is the OpenAPI document and
 * {@code GET /swagger} a Swagger UI page for it. Every answer carries an {@code X-Request-Id}
 * header, which the log names beside any failure. Every error is JSON
 * {@link ErrorResponse}: 400 bad request (missing field, not an image, corrupt image, bad query
 * option), 401 missing or wrong bearer token (only {@code /caption} is protected; health and the
 * documentation stay open), 404/405 unknown route, 413 upload above the limit (refused from its
 * {@code Content-Length} before the body is read, or while streaming when the length is unknown),
 * 415 a body that is not multipart/form-data, 503 work queue full or server stopping (with
 * {@code Retry-After}), 504 request not captioned within the timeout, 500 captioner failure (whose
 * answer never echoes an exception: it names the request id, and the log has the cause). The
 * errors Jetty answers itself (a malformed request, headers over the limit, a request that
 * carries {@code Sec-WebSocket-Key}) are the same JSON ({@link JsonErrorHandler}).
 *
 * <p>Slow or abusive clients are held to the {@link ClientLimits} in {@link ServerConfig#clientLimits()}:
 * a request not received within the deadline, an upload slower than the minimum rate and a body
 * that stops arriving for the idle timeout are answered 408 (JSON) and their connection is
 * closed; headers still arriving at the deadline or idle timeout, and connections over the
 * per-address cap, are closed without an answer; headers over the size limit get Jetty's 431.
 * The body is read on the Jetty thread handling the request, never on a captioning worker, so a
 * slow upload holds a connection, not a worker. {@link #rejections()} counts each kind.
 *
 * <p>Captioning runs on {@link ServerConfig#workers()} threads with a queue of
 * {@link ServerConfig#queueCapacity()}, batched dynamically: requests that arrive within
 * {@link ServerConfig#batchWindow()}, up to {@link ServerConfig#maxBatch()}, go through the
 * encoder and the search together, one call to {@link Captioner#captionAll(List, DecodingOptions)}
 * per set of decoding options (see {@link CaptionBatcher}). The captioner is called from those
 * threads only, so it must be thread-safe when there is more than one worker. A request that
 * times out is answered 504 at once; if it was still queued it is never decoded; if its captioning
 * had already started, the worker finishes it (the captioner is not interrupted mid-inference)
 * and the result is dropped.
 *
 * <p>Life cycle: {@link Builder#build()}, {@link #start()}, then {@link #stop()} (or
 * {@link #close()}), which stops accepting connections and lets requests in flight finish for up
 * to {@link ServerConfig#shutdownGrace()}. The server never closes the captioner: its owner does,
 * after {@code stop()}. Methods are thread-safe.
 */
public final class CaptionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionServer.class);
    /** Request attribute through which Jetty reads the multipart limits of one request. */
    private static final String MULTIPART_CONFIG_ATTRIBUTE = "org.eclipse.jetty.multipartConfig";
    /** Uploads larger than this are buffered in a temporary file instead of memory. */
    private static final int IN_MEMORY_UPLOAD_BYTES = 1024 * 1024;
    private static final String ROUTES =
            "POST /caption, GET /, GET /health, GET /metrics, GET /openapi.json, GET /swagger";
    /** Response header carrying the id that the log uses for the request. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String REQUEST_ID = "captioner.requestId";
    private static final String REQUEST_START = "captioner.requestStart";
    /** The page's scripts and styles come from this server only; no inline code, no framing. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";
    private static final String WEB = "/io/captioner/examples/server/web/";

    private final Captioner captioner;
    private final String modelName;
    private final ServerConfig config;
    private final byte[] token;
    private final ImageDecoder decoder;
    private final MultipartConfigElement multipartConfig;
    private final ServerMetrics metrics;
    private final CaptionBatcher batcher;
    private final RejectionCounts rejections = new RejectionCounts();
    private final ConnectionGuard guard;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private volatile boolean draining;
    private volatile int boundPort = -1;
    private Javalin app;
    private long startNanos;
    private boolean stopCalled;

    private CaptionServer(Builder b) {
        this.captioner = b.captioner;
        this.modelName = b.modelName;
        this.token = b.token == null ? null : b.token.getBytes(StandardCharsets.UTF_8);
        this.decoder = b.decoder;
        this.config = new ServerConfig(b.host, b.port, b.maxUploadBytes, b.workers, b.queueCapacity, b.maxBatch,
                b.batchWindow, b.timeout, b.shutdownGrace, b.token != null,
                new ClientLimits(b.requestDeadline, b.minUploadBytesPerSecond, b.idleTimeout, b.maxConnections,
                        b.maxConnectionsPerAddress, b.maxHeaderBytes));
        this.guard = new ConnectionGuard(config.clientLimits(), rejections);
        this.multipartConfig = new MultipartConfigElement(System.getProperty("java.io.tmpdir"),
                config.maxUploadBytes(), config.maxUploadBytes(),
                (int) Math.min(IN_MEMORY_UPLOAD_BYTES, config.maxUploadBytes()));
        this.metrics = new ServerMetrics(config.maxBatch());
        this.batcher = new CaptionBatcher(captioner, decoder, config.workers(), config.queueCapacity(),
                config.maxBatch(), config.batchWindow(), metrics);
        metrics.bindQueue(batcher::queued, config.queueCapacity(), batcher::busyWorkers, config.workers());
        metrics.bindRejections(rejections);
    }

    /**
     * Creates a builder; {@code setCaptioner} and {@code setModelName} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws IllegalStateException if the server was already started
     * @throws CaptionerException if the address cannot be bound (port in use, unknown host)
     */
    public CaptionServer start() {
        synchronized (lifecycle) {
            if (app != null) {
                throw new IllegalStateException("CaptionServer.start() was already called");
            }
            app = createApp();
            startNanos = System.nanoTime();
            batcher.start();
            try {
                app.start(); // the connector made by ConnectionGuard binds host and port
                // Graceful stop (close the listener, wait for requests in flight) is set only once
                // started: on a failed bind, Jetty's graceful stop would hide the bind error.
                app.jettyServer().server().setStopTimeout(config.shutdownGrace().toMillis());
            } catch (RuntimeException e) {
                stopCalled = true;
                batcher.stop(Duration.ZERO);
                metrics.close();
                stopped.countDown();
                throw new CaptionerException("cannot serve on " + config.host() + ":" + config.port() + ": "
                        + e.getMessage(), e);
            }
            boundPort = app.port();
            LOG.info("Caption server for model '{}' listening on {} ({})", modelName, uri(), config);
            return this;
        }
    }

    /**
     * Returns the bound port, which differs from the configured one when that was 0; it stays
     * readable after {@link #stop()}.
     *
     * @return the TCP port
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("the server has not been started");
        }
        return port;
    }

    /**
     * Returns the base URI of the server, e.g. {@code http://127.0.0.1:8080}.
     *
     * @return the URI, with the bound port
     * @throws IllegalStateException before {@link #start()}
     */
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /**
     * Returns the server's limits and address.
     *
     * @return the configuration; the port is the configured one (see {@link #port()})
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * Returns how many connections each {@link ClientLimits} limit has ended since the server was
     * built; live counts, also published at {@code GET /metrics} as
     * {@code captioner_connections_rejected_total} with the kind as the {@code reason} label.
     *
     * @return the counts, thread-safe
     */
    public RejectionCounts rejections() {
        return rejections;
    }

    /**
     * Returns the registry whose meters {@code GET /metrics} publishes, so that an embedding
     * application can add its own; it is closed when the server stops.
     *
     * @return the Micrometer registry (a Prometheus one)
     */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * Returns the name reported in the {@code model} field of every answer.
     *
     * @return the model name
     */
    public String modelName() {
        return modelName;
    }

    /**
     * Stops gracefully: {@code /caption} answers 503 from now on, the listening socket is closed,
     * and requests in flight may finish for up to {@link ServerConfig#shutdownGrace()}; then
     * the connections and the workers are stopped. Returns when the server has stopped; calling it
     * again (or from several threads) waits for the same stop. Does not close the captioner.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (stopCalled || app == null) {
                if (!stopCalled) {
                    batcher.stop(Duration.ZERO);
                    metrics.close();
                }
                stopCalled = true;
                stopped.countDown();
            } else {
                stopCalled = true;
                draining = true;
                LOG.info("Stopping caption server on port {}: waiting up to {} ms for {} request(s)", boundPort,
                        config.shutdownGrace().toMillis(), batcher.busyWorkers() + batcher.queued());
                try {
                    app.stop();
                } catch (RuntimeException e) {
                    if (!isTimeout(e)) {
                        throw e;
                    }
                    // Jetty has stopped all the same; it reports the connections (a browser's
                    // kept-alive ones, say) that were still open when the grace period ran out.
                    LOG.info("Caption server stopped after its grace period of {} ms with connections still open",
                            config.shutdownGrace().toMillis());
                } finally {
                    batcher.stop(Duration.ofSeconds(1));
                    metrics.close();
                    stopped.countDown();
                    LOG.info("Caption server stopped");
                }
            }
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Blocks until {@link #stop()} has completed, e.g. from a shutdown hook.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private Javalin createApp() {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        Javalin javalin = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            guard.install(cfg, config.host(), config.port(), metrics);
            cfg.requestLogger.http((ctx, ms) -> metrics.recordRequest(ctx.method().name(), route(ctx),
                    ctx.statusCode(), elapsedNanos(ctx)));
            // Errors Jetty answers outside the routes are JSON too (fuzzing found Jetty's HTML 404).
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            cfg.jsonMapper(new JavalinGson(gson, false));
            cfg.registerPlugin(new OpenApiPlugin(openApi -> openApi
                    .withDocumentationPath("/openapi.json")
                    .withDefinitionConfiguration((version, definition) -> definition
                            .withInfo(info -> info
                                    .title("captioner")
                                    .version("1")
                                    .description("Writes an English sentence for an uploaded image. "
                                            + "Model: " + modelName + "."))
                            .withSecurity(security -> security.withBearerAuth()))));
            cfg.registerPlugin(new SwaggerPlugin(swagger -> {
                swagger.setDocumentationPath("/openapi.json");
                swagger.setUiPath("/swagger");
                swagger.setTitle("captioner API");
                swagger.setValidatorUrl(null); // the default validator is an external web service
            }));
            cfg.router.mount(router -> {
                router.before(ctx -> {
                    String id = newRequestId();
                    ctx.attribute(REQUEST_ID, id);
                    ctx.attribute(REQUEST_START, System.nanoTime());
                    ctx.header(REQUEST_ID_HEADER, id);
                });
                router.post("/caption", this::caption);
                router.get("/health", this::health);
                router.get("/metrics", this::metrics);
                router.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
                router.get("/page.js", ctx -> page(ctx, "page.js", "text/javascript; charset=utf-8"));
                router.get("/page.css", ctx -> page(ctx, "page.css", "text/css; charset=utf-8"));
            });
        });
        javalin.exception(ApiException.class, (e, ctx) -> {
            if (e.status() == 503) {
                ctx.header("Retry-After", "1");
            }
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"captioner\"");
            }
            if (e.status() == 500) {
                ctx.status(500).json(internalError(ctx));
            } else {
                ctx.status(e.status()).json(new ErrorResponse(e.getMessage(), e.status()));
            }
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("Request {}: unexpected failure on {} {}", requestId(ctx), ctx.method(), ctx.path(), e);
            ctx.status(500).json(internalError(ctx));
        });
        javalin.error(404, ctx -> ctx.json(new ErrorResponse(
                "no route " + ctx.method() + " " + ctx.path() + "; routes: " + ROUTES, 404)));
        javalin.error(405, ctx -> ctx.json(new ErrorResponse(
                "method " + ctx.method() + " not allowed on " + ctx.path() + "; routes: " + ROUTES, 405)));
        return javalin;
    }

    @OpenApi(
            path = "/caption",
            methods = HttpMethod.POST,
            operationId = "caption",
            summary = "Caption an image",
            description = "Upload one image (JPEG, PNG, GIF or BMP) as the multipart/form-data field 'image'; "
                    + "the answer holds the caption, its log-probability score and its tokens. Needs "
                    + "'Authorization: Bearer <token>' when the server was started with --token.",
            tags = "captioning",
            queryParams = {
                @OpenApiParam(name = "beam", type = Integer.class,
                        description = "Beam width, 1-20 (default: the model's setting; widened to nbest)"),
                @OpenApiParam(name = "nbest", type = Integer.class,
                        description = "Number of captions to return, 1..beam; above 1 adds 'alternatives'"),
                @OpenApiParam(name = "max_length", type = Integer.class,
                        description = "Longest caption in tokens, 1-100")
            },
            requestBody = @OpenApiRequestBody(
                    required = true,
                    content = @OpenApiContent(
                            mimeType = "multipart/form-data",
                            properties = @OpenApiContentProperty(name = "image", type = "string",
                                    format = "binary"))),
            responses = {
                @OpenApiResponse(status = "200", description = "The caption",
                        content = @OpenApiContent(from = CaptionResponse.class)),
                @OpenApiResponse(status = "400", description = "Missing field 'image', not an image, "
                        + "corrupt image, or a bad query parameter",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "401", description = "Missing or wrong bearer token",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "408", description = "Request not received in time: past the server's "
                        + "deadline, upload slower than its minimum rate, or no data for its idle timeout",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "413", description = "Upload larger than the server's limit",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "415", description = "Body is not multipart/form-data",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "500", description = "The captioner failed",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "503", description = "Work queue full or server stopping; "
                        + "retry after the Retry-After seconds",
                        content = @OpenApiContent(from = ErrorResponse.class)),
                @OpenApiResponse(status = "504", description = "Not captioned within the server's timeout",
                        content = @OpenApiContent(from = ErrorResponse.class))
            },
            security = @OpenApiSecurity(name = "BearerAuth"))
    private void caption(Context ctx) {
        long start = System.nanoTime();
        checkToken(ctx.header("Authorization"));
        if (draining) {
            throw new ApiException(503, "the server is shutting down and takes no new requests");
        }
        String contentType = ctx.contentType();
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(415, "Content-Type must be multipart/form-data with the image in field "
                    + "'image', found " + (contentType == null ? "none" : "'" + contentType + "'"));
        }
        Map<String, List<String>> params;
        try {
            params = ctx.queryParamMap();
        } catch (RuntimeException e) {
            // Javalin decodes the query lazily, in the charset of the Content-Type: a "charset"
            // parameter without '=' fails there with IndexOutOfBoundsException (found by fuzzing).
            throw new ApiException(400, "cannot decode the query string '" + ctx.queryString()
                    + "' in the charset of Content-Type '" + contentType + "': " + e);
        }
        DecodingOptions options;
        try {
            options = CaptionQuery.parse(params).options(captioner.defaultOptions());
            if (options.attention() && !captioner.hasAttention()) {
                throw new ApiException(400, "query parameter 'attention' asks for attention maps, but model "
                        + modelName + " has no attention (its decoder does not report where it looked)");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "the query's options do not fit the model's own ("
                    + captioner.defaultOptions() + "): " + e.getMessage());
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxUploadBytes()) {
            throw tooLarge(declared + " bytes (Content-Length)");
        }
        Upload upload = readImagePart(ctx);
        Done done = captionBatched(requestId(ctx), upload, options, start);
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        CaptionResponse response = CaptionResponse.of(done.caption(), options.nBest() > 1, modelName,
                Math.round(elapsedMs * 10) / 10.0);
        if (options.attention() && !done.caption().attention().isEmpty()) {
            response = response.withAttention(attentionOf(done.caption(), done.imageSize()));
        }
        ctx.json(response);
    }

    /**
     * The attention maps of a caption, with the part of the upload the model saw: the encoder's
     * resize and centre crop mapped back into the upload's pixels.
     */
    private CaptionResponse.Attention attentionOf(Caption caption, int[] imageSize) {
        io.captioner.AttentionWeights a = caption.attention();
        List<float[]> rows = new ArrayList<>();
        for (int t = 0; t < a.tokens(); t++) {
            rows.add(a.weights(t));
        }
        int viewWidth = imageSize == null ? 0 : imageSize[0];
        int viewHeight = imageSize == null ? 0 : imageSize[1];
        CaptionResponse.Region region = null;
        if (imageSize != null && captioner instanceof io.captioner.models.DjlCaptioner djl
                && djl.preprocessing().isPresent()) {
            io.captioner.models.image.Preprocessing p = djl.preprocessing().get();
            int w = imageSize[0];
            int h = imageSize[1];
            java.awt.geom.Point2D.Double origin = p.viewPoint(w, h, 0, 0);
            java.awt.geom.Point2D.Double corner = p.viewPoint(w, h, w, h);
            double scaleX = (corner.x - origin.x) / w;
            double scaleY = (corner.y - origin.y) / h;
            region = new CaptionResponse.Region((int) Math.round(-origin.x / scaleX),
                    (int) Math.round(-origin.y / scaleY), (int) Math.round(p.crop() / scaleX),
                    (int) Math.round(p.crop() / scaleY));
            viewWidth = p.crop();
            viewHeight = p.crop();
        }
        return new CaptionResponse.Attention(a.height(), a.width(), viewWidth, viewHeight, region, rows);
    }

    @OpenApi(
            path = "/health",
            methods = HttpMethod.GET,
            operationId = "health",
            summary = "Readiness, status and load",
            description = "A readiness check: 200 while the model is loaded and the server takes requests, 503 "
                    + "once it is stopping. Always open, also when the server requires a bearer token for /caption.",
            tags = "operations",
            responses = {
                @OpenApiResponse(status = "200", description = "Ready: status, model, uptime, queue and batching",
                        content = @OpenApiContent(from = HealthResponse.class)),
                @OpenApiResponse(status = "503", description = "Stopping (status \"draining\"); takes no new requests",
                        content = @OpenApiContent(from = HealthResponse.class))
            })
    private void health(Context ctx) {
        if (draining) {
            ctx.status(503).header("Retry-After", "1");
        }
        ctx.json(new HealthResponse(draining ? "draining" : "ok", modelName,
                Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0, batcher.queued(), config.queueCapacity(),
                batcher.busyWorkers(), config.workers(), config.maxBatch(),
                config.batchWindow().toNanos() / 1e6, modelHasAttention()));
    }

    /**
     * Whether {@code ?attention=true} is served: the page asks for attention maps only then.
     */
    private boolean modelHasAttention() {
        return captioner.hasAttention();
    }

    @OpenApi(
            path = "/metrics",
            methods = HttpMethod.GET,
            operationId = "metrics",
            summary = "Metrics in Prometheus text format",
            description = "Requests by route and status with their latency, queue depth, batch sizes, captions "
                    + "written, client rejections, Jetty, JVM and process memory. Open like /health.",
            tags = "operations",
            responses = @OpenApiResponse(status = "200", description = "Prometheus text format 0.0.4",
                    content = @OpenApiContent(mimeType = "text/plain", type = "string")))
    private void metrics(Context ctx) {
        ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape());
    }

    private void page(Context ctx, String file, String contentType) {
        ctx.contentType(contentType)
                .header("Content-Security-Policy", PAGE_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .result(WebPage.FILES.get(file));
    }

    /** The web page's files, read from the jar once. */
    private static final class WebPage {
        static final Map<String, byte[]> FILES = Map.of(
                "index.html", read("index.html"), "page.js", read("page.js"), "page.css", read("page.css"));

        private static byte[] read(String name) {
            try (InputStream in = CaptionServer.class.getResourceAsStream(WEB + name)) {
                if (in == null) {
                    throw new IllegalStateException("the web page file " + WEB + name + " is missing from the jar");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + WEB + name + " from the jar", e);
            }
        }
    }

    private static String newRequestId() {
        return String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong());
    }

    private static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "none" : id;
    }

    private static ErrorResponse internalError(Context ctx) {
        return new ErrorResponse("internal error: the server failed on this request; the server's log has the "
                + "details under request id " + requestId(ctx), 500);
    }

    private static long elapsedNanos(Context ctx) {
        Long start = ctx.attribute(REQUEST_START);
        return start == null ? 0 : System.nanoTime() - start;
    }

    /** The matched route pattern for the metrics' {@code route} label, never the raw path. */
    private static String route(Context ctx) {
        if (ctx.statusCode() == 404) {
            return "unmatched";
        }
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private void checkToken(String authorization) {
        if (token == null) {
            return;
        }
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, "missing bearer token: send the header 'Authorization: Bearer <token>'");
        }
        String prefix = "bearer ";
        if (authorization.length() < prefix.length()
                || !authorization.substring(0, prefix.length()).equalsIgnoreCase(prefix)) {
            throw new ApiException(401, "the Authorization header must use the Bearer scheme");
        }
        byte[] given = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException(401, "wrong bearer token");
        }
    }

    private ApiException tooLarge(String found) {
        return new ApiException(413, "upload too large: the limit is " + config.maxUploadBytes()
                + " bytes, found " + found);
    }

    /** The bytes of the {@code image} field and a label for messages. */
    private record Upload(byte[] bytes, String label) {}

    private Upload readImagePart(Context ctx) {
        ctx.req().setAttribute(MULTIPART_CONFIG_ATTRIBUTE, multipartConfig);
        Collection<Part> parts;
        try {
            parts = ctx.req().getParts();
        } catch (IllegalArgumentException e) {
            // Jetty's multipart parser reads the media type case-sensitively: "multipArt/form-data"
            // passes the check in caption() but not Jetty's.
            throw new ApiException(415, "Content-Type must be multipart/form-data (lowercase) with the image in "
                    + "field 'image', found '" + ctx.contentType() + "': " + e.getMessage());
        } catch (IllegalStateException | IOException | ServletException e) {
            ApiException refusal = guard.uploadRefusal(ctx.req(), e);
            if (refusal != null) {
                throw refusal;
            }
            if (e instanceof IllegalStateException) {
                // The Servlet API's contract for getParts(): a body over maxRequestSize, a part over
                // maxFileSize (Jetty 11 also: too many parts or form fields) is an IllegalStateException.
                throw tooLarge("more (" + e.getMessage() + ")");
            }
            throw new ApiException(400, "malformed multipart/form-data body: " + e.getMessage());
        }
        Part image = null;
        List<String> names = new ArrayList<>();
        for (Part p : parts) {
            names.add(p.getName());
            if ("image".equals(p.getName()) && image == null) {
                image = p;
            }
        }
        if (image == null) {
            throw new ApiException(400, "missing form field 'image' (the image file); found fields " + names);
        }
        if (image.getSize() > config.maxUploadBytes()) {
            throw tooLarge(image.getSize() + " bytes in field 'image'");
        }
        String label = image.getSubmittedFileName() != null && !image.getSubmittedFileName().isBlank()
                ? "field 'image' (" + image.getSubmittedFileName() + ")" : "field 'image'";
        try (InputStream in = image.getInputStream()) {
            return new Upload(in.readNBytes((int) config.maxUploadBytes()), label);
        } catch (IOException e) {
            throw new ApiException(400, "cannot read " + label + ": " + e.getMessage());
        }
    }

    /** A captioned request: the caption and the size of the image it was made from. */
    private record Done(Caption caption, int[] imageSize) {}

    private Done captionBatched(String requestId, Upload upload, DecodingOptions options, long startNanos) {
        long deadline = startNanos + config.timeout().toNanos();
        CaptionJob job = new CaptionJob(requestId, upload.bytes(), upload.label(), options, deadline);
        if (!batcher.offer(job)) {
            if (draining) {
                throw new ApiException(503, "the server is shutting down and takes no new requests");
            }
            throw new ApiException(503, "server busy: all " + config.workers() + " worker(s) are captioning and "
                    + config.queueCapacity() + " request(s) are queued; retry later");
        }
        try {
            Caption caption = job.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Done(caption, job.imageSize());
        } catch (TimeoutException e) {
            if (job.abandon()) {
                batcher.remove(job);
            }
            throw new ApiException(504, "not captioned within the server's timeout of "
                    + config.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (job.abandon()) {
                batcher.remove(job);
            }
            throw new ApiException(503, "the server is shutting down; the request was abandoned");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            LOG.error("Request {}: captioning {} failed", requestId, upload.label(), e.getCause());
            throw ApiException.internal();
        }
    }

    /**
     * Builds a {@link CaptionServer}; {@code setCaptioner} and {@code setModelName} are required,
     * every {@code opt} has the default of {@link ServerConfig}, order does not matter, and
     * {@link #build()} validates.
     */
    public static final class Builder {
        private Captioner captioner;
        private String modelName;
        private String host = ServerConfig.DEFAULT_HOST;
        private int port = ServerConfig.DEFAULT_PORT;
        private String token;
        private long maxUploadBytes = ServerConfig.DEFAULT_MAX_UPLOAD_BYTES;
        private int workers = ServerConfig.DEFAULT_WORKERS;
        private int queueCapacity = ServerConfig.DEFAULT_QUEUE;
        private int maxBatch = ServerConfig.DEFAULT_MAX_BATCH;
        private Duration batchWindow = ServerConfig.DEFAULT_BATCH_WINDOW;
        private Duration timeout = ServerConfig.DEFAULT_TIMEOUT;
        private Duration shutdownGrace = ServerConfig.DEFAULT_SHUTDOWN_GRACE;
        private Duration requestDeadline = ClientLimits.DEFAULT_REQUEST_DEADLINE;
        private long minUploadBytesPerSecond = ClientLimits.DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND;
        private Duration idleTimeout = ClientLimits.DEFAULT_IDLE_TIMEOUT;
        private int maxConnections = ClientLimits.DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = ClientLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int maxHeaderBytes = ClientLimits.DEFAULT_MAX_HEADER_BYTES;
        private ImageDecoder decoder = ImageDecoder.standard();

        private Builder() {}

        /**
         * Sets the captioner; the server calls it from its worker threads and never closes it.
         *
         * @param value the captioner
         * @return this builder
         */
        public Builder setCaptioner(Captioner value) {
            this.captioner = value;
            return this;
        }

        /**
         * Sets the model name reported in every answer's {@code model} field.
         *
         * @param value a non-blank name, e.g. the model file's name
         * @return this builder
         */
        public Builder setModelName(String value) {
            this.modelName = value;
            return this;
        }

        /**
         * Sets the interface to bind; the default {@code 127.0.0.1} serves this machine only.
         *
         * @param value a host name or IP address, {@code 0.0.0.0} for every interface
         * @return this builder
         */
        public Builder optHost(String value) {
            this.host = value;
            return this;
        }

        /**
         * Sets the TCP port.
         *
         * @param value 1-65535, or 0 for an ephemeral port
         * @return this builder
         */
        public Builder optPort(int value) {
            this.port = value;
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <value>} on {@code POST /caption}.
         *
         * @param value the token, or {@code null} for no authentication
         * @return this builder
         */
        public Builder optToken(String value) {
            this.token = value;
            return this;
        }

        /**
         * Sets the largest accepted request body (image plus multipart framing).
         *
         * @param value bytes, at least 1
         * @return this builder
         */
        public Builder optMaxUploadBytes(long value) {
            this.maxUploadBytes = value;
            return this;
        }

        /**
         * Sets the number of worker threads that call the captioner concurrently.
         *
         * @param value at least 1; above 1 the captioner must be thread-safe
         * @return this builder
         */
        public Builder optWorkers(int value) {
            this.workers = value;
            return this;
        }

        /**
         * Sets how many requests may wait for a worker before the server answers 503.
         *
         * @param value 0 or more
         * @return this builder
         */
        public Builder optQueueCapacity(int value) {
            this.queueCapacity = value;
            return this;
        }

        /**
         * Sets the most requests captioned together, in one call to the captioner (one encoder
         * pass and one search per set of decoding options); 1 captions each request on its own.
         *
         * @param value 1 to {@value ServerConfig#MAX_MAX_BATCH}; default
         *     {@value ServerConfig#DEFAULT_MAX_BATCH}
         * @return this builder
         */
        public Builder optMaxBatch(int value) {
            this.maxBatch = value;
            return this;
        }

        /**
         * Sets how long the oldest request of a batch waits for others to join it before the batch
         * is captioned; requests already queued join at once, so under load this rarely waits.
         *
         * @param value 0 to {@link ServerConfig#MAX_BATCH_WINDOW}; default
         *     {@link ServerConfig#DEFAULT_BATCH_WINDOW}
         * @return this builder
         */
        public Builder optBatchWindow(Duration value) {
            this.batchWindow = value;
            return this;
        }

        /**
         * Sets the longest a request may wait and be captioned before it is answered 504.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder optTimeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /**
         * Sets the longest {@link CaptionServer#stop()} waits for requests in flight.
         *
         * @param value zero or positive
         * @return this builder
         */
        public Builder optShutdownGrace(Duration value) {
            this.shutdownGrace = value;
            return this;
        }

        /**
         * Sets the longest the server waits for a whole request (line, headers and body) from its
         * first byte; a request still arriving then is answered 408, or closed while in its headers.
         *
         * @param value at least 1 ms; default {@link ClientLimits#DEFAULT_REQUEST_DEADLINE}
         * @return this builder
         */
        public Builder optRequestDeadline(Duration value) {
            this.requestDeadline = value;
            return this;
        }

        /**
         * Sets the slowest accepted upload, averaged from the body's first byte; slower ones are
         * answered 408 and closed.
         *
         * @param bytesPerSecond 0 for no minimum; default
         *     {@link ClientLimits#DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND}
         * @return this builder
         */
        public Builder optMinUploadRate(long bytesPerSecond) {
            this.minUploadBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * Sets how long a connection may receive nothing while the server waits for a request or
         * for more of one, and how long an idle kept-alive connection stays open.
         *
         * @param value at least 1 ms; default {@link ClientLimits#DEFAULT_IDLE_TIMEOUT}
         * @return this builder
         */
        public Builder optIdleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /**
         * Sets the most connections open at once; beyond it new connections wait to be accepted.
         * Jetty's thread pool is sized to it, since each connection may hold one thread.
         *
         * @param value 1 to 10000; default {@link ClientLimits#DEFAULT_MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder optMaxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /**
         * Sets the most connections open at once from one client IP address; further ones are
         * closed as soon as they are accepted. Clients behind one proxy or NAT share it.
         *
         * @param value 1 to the connection cap; default
         *     {@link ClientLimits#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}
         * @return this builder
         */
        public Builder optMaxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        /**
         * Sets the largest request line plus headers; larger requests get 431 (414 for a long URI).
         *
         * @param value bytes, 1024 to 65536; default {@link ClientLimits#DEFAULT_MAX_HEADER_BYTES}
         * @return this builder
         */
        public Builder optMaxHeaderBytes(int value) {
            this.maxHeaderBytes = value;
            return this;
        }

        /**
         * Replaces the image decoder (the SDK's ImageLoader by default).
         *
         * @param value a thread-safe decoder
         * @return this builder
         */
        public Builder optImageDecoder(ImageDecoder value) {
            this.decoder = value;
            return this;
        }

        /**
         * Validates the settings and creates the server, not yet started.
         *
         * @return the server
         * @throws IllegalArgumentException naming the first invalid setting and its value
         */
        public CaptionServer build() {
            if (captioner == null) {
                throw new IllegalArgumentException("captioner is required: call setCaptioner");
            }
            if (modelName == null || modelName.isBlank()) {
                throw new IllegalArgumentException("modelName is required and must not be blank, found '"
                        + modelName + "'");
            }
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("token must not be blank when given");
            }
            Objects.requireNonNull(decoder, "imageDecoder");
            return new CaptionServer(this);
        }
    }
}
