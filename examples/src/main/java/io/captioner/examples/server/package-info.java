/**
 * The captioning HTTP server of {@code captioner serve}: {@code POST /caption} takes a
 * {@code multipart/form-data} upload (field {@code image}) and answers with the caption as JSON.
 *
 * <p>{@link io.captioner.examples.server.CaptionServer} wraps any {@link io.captioner.Captioner}
 * behind a Javalin (Jetty) server with an upload size limit, a bounded work queue with dynamic
 * batching ({@code CaptionBatcher}), a per-request timeout, an optional bearer token, a web page
 * for people at {@code /}, Prometheus metrics at {@code /metrics} ({@code ServerMetrics}), an
 * OpenAPI document and a Swagger UI page, and a graceful stop;
 * {@link io.captioner.examples.server.ClientLimits} keep slow or abusive clients (slowloris) from
 * holding it, and {@link io.captioner.examples.server.RejectionCounts} counts what they end.
 * {@link io.captioner.examples.server.LoadTest} measures its throughput and latency over loopback,
 * for several servers in one run and also under attack by
 * {@link io.captioner.examples.server.SlowClients}.
 */
package io.captioner.examples.server;
