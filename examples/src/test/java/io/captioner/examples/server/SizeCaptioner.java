package io.captioner.examples.server;

import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stand-in {@link Captioner} that knows no model: it describes only the image's size, as
 * {@code "an image of WxH pixels"}, with a fixed log-probability of {@value #STEP_LOG_PROB} per
 * step, optionally after a fixed delay that imitates inference time.
 *
 * <p>A test double for the HTTP layer: figures measured with it are the server's overhead, not a
 * model's speed. N-best requests get alternatives {@code "alternative i of WxH"} with lower
 * scores. Thread-safe.
 */
public class SizeCaptioner implements Captioner {

    /** Natural-log probability of every emitted step, the final end step included. */
    static final double STEP_LOG_PROB = -0.25;

    private final Duration delay;
    private volatile DecodingOptions lastOptions;
    private volatile boolean closed;

    /**
     * Creates a captioner that answers at once ({@code delay} zero) or after {@code delay}.
     *
     * @param delay time each caption call sleeps
     */
    public SizeCaptioner(Duration delay) {
        this.delay = delay;
    }

    /**
     * Returns the options of the last caption call, or null if there was none.
     *
     * @return the options
     */
    DecodingOptions lastOptions() {
        return lastOptions;
    }

    /**
     * Returns the caption this captioner writes for an image of the given size.
     *
     * @param width the image width in pixels
     * @param height the image height in pixels
     * @param maxLength the most tokens
     * @return the caption, without alternatives
     */
    static Caption expected(int width, int height, int maxLength) {
        List<String> words = List.of("an", "image", "of", width + "x" + height, "pixels");
        List<String> tokens = words.subList(0, Math.min(maxLength, words.size()));
        int steps = tokens.size() < words.size() ? tokens.size() : tokens.size() + 1;
        return Caption.of(tokens, Collections.nCopies(steps, STEP_LOG_PROB));
    }

    @Override
    public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
        List<Caption> out = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            out.add(captionOne(image, options));
        }
        return out;
    }

    /** Captions one image; {@link BlockingCaptioner} blocks here. */
    Caption captionOne(BufferedImage image, DecodingOptions options) {
        if (closed) {
            throw new IllegalStateException("SizeCaptioner is closed");
        }
        lastOptions = options;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaptionerException("interrupted while captioning", e);
            }
        }
        Caption best = expected(image.getWidth(), image.getHeight(), options.maxLength());
        if (options.nBest() <= 1) {
            return best;
        }
        List<Caption> others = new ArrayList<>();
        for (int i = 1; i < options.nBest(); i++) {
            List<String> tokens = List.of("alternative", String.valueOf(i), "of",
                    image.getWidth() + "x" + image.getHeight());
            others.add(Caption.of(tokens, Collections.nCopies(tokens.size() + 1, STEP_LOG_PROB * (1 + i))));
        }
        return best.withAlternatives(others);
    }

    @Override
    public void close() {
        closed = true;
    }
}
