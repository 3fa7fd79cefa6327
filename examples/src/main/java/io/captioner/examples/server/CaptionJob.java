package io.captioner.examples.server;

import io.captioner.Caption;
import io.captioner.DecodingOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code POST /caption} request on its way through the {@link CaptionBatcher}: the uploaded
 * bytes, the decoding options it asked for, its deadline, and the caption or failure to answer.
 *
 * <p>A job is queued, then either taken by a worker ({@link #take()}) or abandoned by the thread
 * answering the request when its time is up ({@link #abandon()}); exactly one of the two
 * succeeds, so an abandoned job is never decoded. Thread-safe.
 */
final class CaptionJob {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    private final String requestId;
    private final byte[] bytes;
    private final String label;
    private final DecodingOptions options;
    private final long deadlineNanos;
    private final CompletableFuture<Caption> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile long queuedNanos;
    /** Width and height of the decoded image, once a worker has decoded it. */
    private volatile int[] imageSize;

    /**
     * Creates a job.
     *
     * @param requestId the request's id, for the log
     * @param bytes the uploaded file
     * @param label names the upload in messages, e.g. {@code field 'image' (a.png)}
     * @param options the request's decoding options
     * @param deadlineNanos the {@link System#nanoTime()} by which it must be answered
     */
    CaptionJob(String requestId, byte[] bytes, String label, DecodingOptions options, long deadlineNanos) {
        this.requestId = requestId;
        this.bytes = bytes;
        this.label = label;
        this.options = options;
        this.deadlineNanos = deadlineNanos;
    }

    String requestId() {
        return requestId;
    }

    byte[] bytes() {
        return bytes;
    }

    String label() {
        return label;
    }

    DecodingOptions options() {
        return options;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * Returns when the job entered the queue.
     *
     * @return a {@link System#nanoTime()}
     */
    long queuedNanos() {
        return queuedNanos;
    }

    /** Records the moment the job enters the queue; the batch window counts from it. */
    void markQueued() {
        queuedNanos = System.nanoTime();
    }

    /**
     * Returns the caption, or the failure as an {@link ApiException}, once the job is done.
     *
     * @return the future result
     */
    CompletableFuture<Caption> result() {
        return result;
    }

    /**
     * Claims the job for a worker.
     *
     * @return false if it was abandoned first: then it must not be decoded
     */
    boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    /**
     * Gives the job up because its request timed out.
     *
     * @return true if no worker had taken it, so it will never be decoded
     */
    boolean abandon() {
        return state.compareAndSet(QUEUED, ABANDONED);
    }

    /**
     * Completes the job with a caption.
     *
     * @param caption the caption
     */
    /**
     * Records the size of the decoded image (upright), for answers that map attention onto it.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     */
    void imageDecoded(int width, int height) {
        imageSize = new int[] {width, height};
    }

    /**
     * Returns the decoded image's size.
     *
     * @return {@code {width, height}}, or null before the image was decoded
     */
    int[] imageSize() {
        return imageSize;
    }

    void complete(Caption caption) {
        result.complete(caption);
    }

    /**
     * Completes the job with the answer to send instead of a caption.
     *
     * @param failure the status and message
     */
    void fail(ApiException failure) {
        result.completeExceptionally(failure);
    }
}
