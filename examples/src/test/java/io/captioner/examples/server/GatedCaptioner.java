package io.captioner.examples.server;

import io.captioner.Caption;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SizeCaptioner} that records every call to {@code captionAll} (its images' sizes and its
 * options) and holds the first call until the test opens the gate, so that later requests queue
 * up behind it and form one batch. Thread-safe.
 */
class GatedCaptioner extends SizeCaptioner {

    /** One call to {@code captionAll}. */
    record Call(List<String> sizes, DecodingOptions options) {}

    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<Call> calls = new ArrayList<>();

    GatedCaptioner() {
        super(Duration.ZERO);
    }

    /** Lets the first call, and every later one, go on. */
    void open() {
        gate.countDown();
    }

    /** Waits until the first call has begun. */
    boolean awaitFirstCall() throws InterruptedException {
        return firstStarted.await(10, TimeUnit.SECONDS);
    }

    /** Returns the calls so far, in order. */
    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
        synchronized (this) {
            calls.add(new Call(images.stream().map(i -> i.getWidth() + "x" + i.getHeight()).toList(), options));
        }
        firstStarted.countDown();
        try {
            if (!gate.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return super.captionAll(images, options);
    }
}
