package io.captioner.examples.server;

import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching: captions queued requests on a fixed set of worker threads, several requests
 * per call to {@link Captioner#captionAll(List, DecodingOptions)}.
 *
 * <p>A free worker takes the oldest request, then every request already waiting, up to
 * {@code maxBatch}; while the batch is not full it waits for more until {@code window} has passed
 * since the oldest one was queued. Under load the queue fills while the workers are busy, so
 * batches form without waiting; a lone request waits at most the window. One worker collects at
 * a time, so that idle workers do not split a batch between them. The batch's images are decoded
 * on the worker, and its requests are grouped by their {@link DecodingOptions}: each group is one
 * call to the captioner (encoder and search batched). {@code maxBatch} 1 captions each request on
 * its own, as a plain worker pool does.
 *
 * <p>Failures stay with their request: an image that does not decode fails alone (400); options
 * the captioner refuses ({@link IllegalArgumentException}) fail the requests that asked for them
 * (400), not the rest of the batch; when a call fails otherwise, its requests are captioned again
 * one by one, so only the one that causes the failure gets it (500). A request whose time is up
 * before a worker takes it is never decoded ({@link CaptionJob#abandon()}).
 *
 * <p>Thread-safe. {@link #start()} once, {@link #stop(Duration)} once; the captioner is never
 * closed here.
 */
final class CaptionBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionBatcher.class);
    /** How often an idle worker looks whether the batcher is stopping. */
    private static final long IDLE_POLL_MS = 50;

    private final Captioner captioner;
    private final ImageDecoder decoder;
    private final int maxBatch;
    private final long windowNanos;
    private final ServerMetrics metrics;
    private final BlockingQueue<CaptionJob> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock collecting = new ReentrantLock();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean stopping;

    /**
     * Creates the batcher; no thread runs before {@link #start()}.
     *
     * @param captioner the captioner, called from the worker threads only
     * @param decoder turns uploads into images, on the worker threads
     * @param workers worker threads, at least 1
     * @param queueCapacity requests that may wait, 0 for a hand-off to an idle worker only
     * @param maxBatch most requests per batch, at least 1
     * @param window longest the oldest request of a batch waits for others, zero or positive
     * @param metrics where batch sizes and inference times are recorded
     */
    CaptionBatcher(Captioner captioner, ImageDecoder decoder, int workers, int queueCapacity, int maxBatch,
            Duration window, ServerMetrics metrics) {
        this.captioner = captioner;
        this.decoder = decoder;
        this.maxBatch = maxBatch;
        this.windowNanos = window.toNanos();
        this.metrics = metrics;
        this.queue = queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(this::work, "caption-worker-" + i);
            t.setDaemon(true);
            this.workers.add(t);
        }
    }

    /** Starts the worker threads. */
    void start() {
        workers.forEach(Thread::start);
    }

    /**
     * Queues a job unless the queue is full or the batcher is stopping.
     *
     * @param job the job
     * @return false when it was not queued
     */
    boolean offer(CaptionJob job) {
        if (stopping) {
            return false;
        }
        job.markQueued();
        return queue.offer(job);
    }

    /**
     * Takes an abandoned job out of the queue, so that it no longer counts against the capacity.
     *
     * @param job the job
     */
    void remove(CaptionJob job) {
        queue.remove(job);
    }

    /**
     * Returns how many jobs wait for a worker.
     *
     * @return the queue depth
     */
    int queued() {
        return queue.size();
    }

    /**
     * Returns how many workers are captioning a batch now.
     *
     * @return busy workers
     */
    int busyWorkers() {
        return busy.get();
    }

    /**
     * Stops taking jobs, lets the workers caption what is queued for up to {@code wait}, then
     * interrupts them and answers whatever is still queued with 503.
     *
     * @param wait how long the workers may finish the queue
     */
    void stop(Duration wait) {
        stopping = true;
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.forEach(Thread::interrupt);
        List<CaptionJob> left = new ArrayList<>();
        queue.drainTo(left);
        for (CaptionJob job : left) {
            if (job.take()) {
                job.fail(new ApiException(503, "the server stopped before this request was captioned"));
            }
        }
    }

    private void work() {
        try {
            while (true) {
                List<CaptionJob> batch;
                collecting.lockInterruptibly();
                try {
                    batch = collect();
                } finally {
                    collecting.unlock();
                }
                if (batch == null) {
                    return;
                }
                if (!batch.isEmpty()) {
                    busy.incrementAndGet();
                    try {
                        run(batch);
                    } finally {
                        busy.decrementAndGet();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the next batch, an empty list when none came in a while, or null once stopped and empty. */
    private List<CaptionJob> collect() throws InterruptedException {
        CaptionJob first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return stopping ? null : List.of();
        }
        List<CaptionJob> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        long windowEnd = first.queuedNanos() + windowNanos;
        while (batch.size() < maxBatch && !stopping) {
            long wait = windowEnd - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            CaptionJob next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
        return batch;
    }

    /** An upload decoded and ready for the captioner. */
    private record Ready(CaptionJob job, BufferedImage image) {}

    private void run(List<CaptionJob> batch) {
        try {
            decodeAndCaption(batch);
        } finally {
            // Whatever escaped (an Error from the engine, say) must not leave a request waiting
            // for its timeout.
            for (CaptionJob job : batch) {
                if (!job.result().isDone()) {
                    job.fail(ApiException.internal());
                }
            }
        }
    }

    private void decodeAndCaption(List<CaptionJob> batch) {
        Map<DecodingOptions, List<Ready>> groups = new LinkedHashMap<>();
        for (CaptionJob job : batch) {
            if (!job.take()) {
                continue;
            }
            if (System.nanoTime() - job.deadlineNanos() > 0) {
                job.fail(new ApiException(504, "not captioned within the server's timeout"));
                continue;
            }
            try {
                BufferedImage image = decoder.decode(job.bytes(), job.label());
                job.imageDecoded(image.getWidth(), image.getHeight());
                groups.computeIfAbsent(job.options(), o -> new ArrayList<>()).add(new Ready(job, image));
            } catch (CaptionerException e) {
                job.fail(new ApiException(400, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("Request {}: decoding {} failed", job.requestId(), job.label(), e);
                job.fail(ApiException.internal());
            }
        }
        groups.forEach(this::caption);
    }

    private void caption(DecodingOptions options, List<Ready> group) {
        List<BufferedImage> images = group.stream().map(Ready::image).toList();
        long start = System.nanoTime();
        List<Caption> captions;
        try {
            captions = captioner.captionAll(images, options);
            if (captions.size() != images.size()) {
                throw new IllegalStateException("the captioner returned " + captions.size() + " captions for "
                        + images.size() + " images");
            }
        } catch (IllegalArgumentException e) {
            // Every request of the group asked for these options; the rest of the batch is unaffected.
            for (Ready r : group) {
                r.job().fail(new ApiException(400, "the captioner refused the options: " + e.getMessage()));
            }
            return;
        } catch (RuntimeException e) {
            if (group.size() > 1) {
                LOG.warn("A batch of {} requests failed ({}); captioning them one by one", group.size(), e.toString());
                for (Ready r : group) {
                    caption(options, List.of(r));
                }
            } else {
                CaptionJob job = group.get(0).job();
                LOG.error("Request {}: captioning {} failed", job.requestId(), job.label(), e);
                job.fail(ApiException.internal());
            }
            return;
        }
        metrics.recordBatch(images.size(), System.nanoTime() - start);
        for (int i = 0; i < group.size(); i++) {
            group.get(i).job().complete(captions.get(i));
        }
    }
}
