package io.captioner.examples.server;

import io.captioner.Caption;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SizeCaptioner} whose calls block until the test releases them, so that tests control
 * exactly how many requests are in flight. Each call announces itself on {@link #started}.
 */
final class BlockingCaptioner extends SizeCaptioner {

    /** Released once per call when the call begins. */
    final Semaphore started = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);

    BlockingCaptioner() {
        super(Duration.ZERO);
    }

    /** Lets every blocked and future call finish. */
    void release() {
        release.countDown();
    }

    /** Waits until {@code n} calls have begun. */
    boolean awaitStarted(int n) throws InterruptedException {
        return started.tryAcquire(n, 10, TimeUnit.SECONDS);
    }

    @Override
    Caption captionOne(BufferedImage image, DecodingOptions options) {
        block();
        return super.captionOne(image, options);
    }

    private void block() {
        started.release();
        try {
            if (!release.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the captioner");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
