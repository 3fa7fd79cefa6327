package io.captioner.examples.server;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times a {@link CaptionServer} ended a connection for each {@link Rejection}, since it
 * was built; thread-safe, read with {@link CaptionServer#rejections()}.
 *
 * <p>{@code GET /metrics} publishes each kind as {@code captioner_connections_rejected_total}
 * with the kind, in lower case, as the {@code reason} label (a function counter that reads
 * {@link #get(Rejection)} at each scrape).
 */
public final class RejectionCounts {

    private final Map<Rejection, LongAdder> counts = new EnumMap<>(Rejection.class);

    /** Creates counts that are all zero. */
    RejectionCounts() {
        for (Rejection kind : Rejection.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    /**
     * Returns the count of one kind.
     *
     * @param kind the rejection kind
     * @return how many times it happened, 0 or more
     */
    public long get(Rejection kind) {
        return counts.get(kind).sum();
    }

    /**
     * Returns every count at one moment (each read separately, so not an atomic snapshot of all).
     *
     * @return an unmodifiable map with every kind, in declaration order
     */
    public Map<Rejection, Long> snapshot() {
        Map<Rejection, Long> copy = new EnumMap<>(Rejection.class);
        counts.forEach((kind, adder) -> copy.put(kind, adder.sum()));
        return Collections.unmodifiableMap(copy);
    }

    /** Adds one to a kind. */
    void increment(Rejection kind) {
        counts.get(kind).increment();
    }

    @Override
    public String toString() {
        return "RejectionCounts" + snapshot();
    }
}
