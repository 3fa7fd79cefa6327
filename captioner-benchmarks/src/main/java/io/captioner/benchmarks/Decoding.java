package io.captioner.benchmarks;

import ai.djl.Device;
import io.captioner.models.decoder.InferenceSettings;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.search.CaptionSearch;

/**
 * One decoding implementation under test, chosen by name with {@link #create}: the factory behind
 * {@link DecodingBenchmark}'s {@code impl} parameter, so every implementation is measured with the
 * same parameter block. Each decode runs exactly {@link Workloads#STEPS} decoder steps over a batch
 * of image features. Not thread-safe; close it to free the weights.
 */
public interface Decoding extends AutoCloseable {

    /** The project's {@code LstmCaptionDecoder} driven by its greedy or beam search. */
    String PROJECT = "project";

    /** The naive per-step DJL loop ({@link NaiveDecoder}), baseline (a) of issue 8. */
    String NAIVE = "naive";

    /**
     * Decodes a batch once.
     *
     * @param features {@code [B][D]} image features, D the shape's feature size
     * @return the implementation's output (search results or token ids), to be consumed by JMH
     */
    Object decode(float[][] features);

    /**
     * Checks that decoding this batch makes exactly {@link Workloads#STEPS} decoder steps; the
     * benchmark calls it once in its setup, so a timing always covers the same work.
     *
     * @param features the input batch
     * @throws IllegalStateException naming the count found if it differs
     */
    void checkFixedSteps(float[][] features);

    /** Frees the weights; idempotent. */
    @Override
    void close();

    /**
     * Creates an implementation with random weights (seed 1).
     *
     * @param impl {@link #PROJECT} or {@link #NAIVE}
     * @param shape the decoder sizes
     * @param search {@code greedy} or {@code beamK}
     * @param device where the naive loop allocates; the project's decoder always uses DJL's default
     *     device
     * @param settings the project decoder's precision and few-row kernel (the naive loop ignores them)
     * @return the implementation; the caller closes it
     * @throws IllegalArgumentException for an unknown {@code impl} or {@code search}
     */
    static Decoding create(String impl, ModelShape shape, String search, Device device, InferenceSettings settings) {
        return switch (impl) {
            case PROJECT -> new Project(shape, search, settings);
            case NAIVE -> new Naive(shape, search, device);
            default -> throw new IllegalArgumentException("impl must be " + PROJECT + " or " + NAIVE + ", found '"
                    + impl + "'");
        };
    }

    /** The project's decoder and search, set up so that every decode makes exactly 16 steps. */
    final class Project implements Decoding {

        private final LstmCaptionDecoder decoder;
        private final CaptionSearch search;
        private boolean closed;

        Project(ModelShape shape, String search, InferenceSettings settings) {
            this.search = ProjectDecoding.search(search);
            this.decoder = ProjectDecoding.decoder(shape, 1, settings);
        }

        @Override
        public Object decode(float[][] features) {
            return search.decode(decoder, features);
        }

        @Override
        public void checkFixedSteps(float[][] features) {
            ProjectDecoding.checkFixedSteps(decoder, search, features);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                decoder.close();
            }
        }
    }

    /** The naive loop: greedy, or beam search of width K, for a fixed 16 steps. */
    final class Naive implements Decoding {

        private final NaiveDecoder decoder;
        private final int beam;
        private boolean closed;

        Naive(ModelShape shape, String search, Device device) {
            this.beam = Workloads.beamWidth(search);
            this.decoder = new NaiveDecoder(shape, device, 1);
        }

        @Override
        public Object decode(float[][] features) {
            return beam == 1 ? decoder.greedy(features, Workloads.STEPS)
                    : decoder.beam(features, beam, Workloads.STEPS);
        }

        @Override
        public void checkFixedSteps(float[][] features) {
            // the loop runs exactly STEPS steps by construction: it has no end token and no early stop
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                decoder.close();
            }
        }
    }
}
