package io.captioner.benchmarks;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.search.CaptionSearch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Repeats decoding many times and compares live NDArrays and RSS after a warm-up round with the
 * figures after many more rounds: flat figures mean no native memory grows per call.
 */
public final class LeakCheck {

    private LeakCheck() {}

    /**
     * The figures of one leak check.
     *
     * @param workload what was repeated
     * @param rounds how many calls were made after the warm-up round
     * @param arraysAfterWarmup live NDArrays after the warm-up round
     * @param arraysAfter live NDArrays after all rounds
     * @param rssAfterWarmupKiB VmRSS after the warm-up round
     * @param rssAfterKiB VmRSS after all rounds
     */
    public record Result(String workload, int rounds, long arraysAfterWarmup, long arraysAfter,
            long rssAfterWarmupKiB, long rssAfterKiB) {

        /**
         * Returns the figures as a JSON object.
         *
         * @return the JSON
         */
        public JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("workload", workload);
            o.addProperty("rounds", rounds);
            o.addProperty("liveNDArraysAfterWarmup", arraysAfterWarmup);
            o.addProperty("liveNDArraysAfter", arraysAfter);
            o.addProperty("rssAfterWarmupKiB", rssAfterWarmupKiB);
            o.addProperty("rssAfterKiB", rssAfterKiB);
            return o;
        }
    }

    /**
     * Runs the check: a warm-up round of 20 calls, then up to 100 calls (fewer if RSS grows by
     * more than 3 GiB), of beam-3 decoding of 4
     * images with the project's decoder and search, then with the naive loop. RSS is read after a garbage collection.
     *
     * @param log where progress goes
     * @return the figures of both loops
     */
    public static List<Result> run(Consumer<String> log) {
        float[][] features = Workloads.features(4, ModelShape.FLICKR8K.featureSize(), 3);
        List<Result> results = new ArrayList<>();
        try (LstmCaptionDecoder decoder = ProjectDecoding.decoder(ModelShape.FLICKR8K, 1)) {
            CaptionSearch search = ProjectDecoding.search("beam3");
            results.add(repeat("project decoder + beam search, flickr8k, beam 3, batch 4",
                    () -> search.decode(decoder, features), log));
        }
        try (NaiveDecoder naive = new NaiveDecoder(ModelShape.FLICKR8K, Device.cpu(), 1)) {
            results.add(repeat("naive loop, flickr8k, beam 3, batch 4",
                    () -> naive.beam(features, 3, Workloads.STEPS), log));
        }
        return results;
    }

    /** Stop repeating once RSS has grown this much, so a leak cannot exhaust a shared machine. */
    static final long ABORT_GROWTH_KIB = 3L * 1024 * 1024;

    static Result repeat(String workload, Runnable call, Consumer<String> log) {
        for (int i = 0; i < 20; i++) {
            call.run();
        }
        long arrays0 = NativeMemory.liveNDArrays();
        long rss0 = NativeMemory.rssKiBAfterGc();
        int rounds = 100;
        int done = 0;
        while (done < rounds) {
            for (int i = 0; i < 10; i++) {
                call.run();
            }
            done += 10;
            if (NativeMemory.rssKiB() - rss0 > ABORT_GROWTH_KIB) {
                log.accept("leak check: RSS grew by more than " + ABORT_GROWTH_KIB / 1024 + " MiB after " + done
                        + " calls of " + workload + "; stopping early");
                break;
            }
        }
        Result r = new Result(workload, done, arrays0, NativeMemory.liveNDArrays(), rss0,
                NativeMemory.rssKiBAfterGc());
        log.accept("leak check: " + r);
        return r;
    }
}
