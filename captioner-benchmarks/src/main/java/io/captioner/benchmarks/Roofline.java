package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * Measures, in the running JVM, the two hardware limits of a decoding step: how fast a buffer the
 * size of the decoder weights can be read, and how fast DJL's engine multiplies matrices of the
 * decoder's shapes.
 *
 * <p>Every figure is the best of several timed blocks (each block averages many repeats), because
 * the machine is shared: the best block is the least disturbed one and so the closest to what the
 * hardware can do. Arrays live in a manager owned by this object; close it when done. Not
 * thread-safe.
 */
public final class Roofline implements AutoCloseable {

    private final NDManager manager;
    private final long blockNanos;
    private final int blocks;

    /**
     * Creates a roofline probe on a device.
     *
     * @param device where the NDArray measurements run
     * @param blockMillis the length of one timed block in milliseconds (about 200 is enough)
     * @param blocks how many blocks to time; the best one counts
     */
    public Roofline(Device device, long blockMillis, int blocks) {
        if (blockMillis <= 0 || blocks <= 0) {
            throw new IllegalArgumentException("blockMillis and blocks must be positive, found "
                    + blockMillis + " and " + blocks);
        }
        this.manager = NDManager.newBaseManager(device);
        this.blockNanos = blockMillis * 1_000_000L;
        this.blocks = blocks;
    }

    /**
     * Reads a float32 NDArray of the given size with {@code sum()} and reports the read rate.
     *
     * @param bytes the buffer size in bytes (rounded down to whole floats)
     * @return bytes per second
     */
    public double ndArraySumBandwidth(long bytes) {
        int floats = Math.toIntExact(bytes / 4);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0f, 1f, new Shape(floats));
            double seconds = bestSeconds(() -> {
                try (NDArray s = x.sum()) {
                    return (long) s.getFloat();
                }
            });
            return floats * 4.0 / seconds;
        }
    }

    /**
     * Reads a direct ByteBuffer of the given size from Java, split over {@code threads} threads
     * summing 64-bit words, and reports the read rate.
     *
     * @param bytes the buffer size in bytes (rounded down to whole longs per thread)
     * @param threads how many threads read disjoint parts at once
     * @return bytes per second
     */
    public double directBufferBandwidth(long bytes, int threads) {
        int longsPerThread = Math.toIntExact(bytes / 8 / threads);
        List<LongBuffer> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ByteBuffer b = ByteBuffer.allocateDirect(longsPerThread * 8).order(ByteOrder.nativeOrder());
            for (int i = 0; i < longsPerThread; i++) {
                b.putLong(i * 8, i * 31L + t);
            }
            parts.add(b.asLongBuffer());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < 20; i++) { // let the JIT compile the read loop
                for (LongBuffer p : parts) {
                    sum(p);
                }
            }
            double seconds = bestSeconds(() -> {
                List<Future<Long>> futures = new ArrayList<>();
                for (LongBuffer p : parts) {
                    futures.add(pool.submit(() -> sum(p)));
                }
                long total = 0;
                for (Future<Long> f : futures) {
                    try {
                        total += f.get();
                    } catch (Exception e) {
                        throw new IllegalStateException("bandwidth reader failed", e);
                    }
                }
                return total;
            });
            return (double) longsPerThread * 8 * threads / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sum(LongBuffer b) {
        long a0 = 0;
        long a1 = 0;
        long a2 = 0;
        long a3 = 0;
        int n = b.limit() & ~3;
        for (int i = 0; i < n; i += 4) {
            a0 += b.get(i);
            a1 += b.get(i + 1);
            a2 += b.get(i + 2);
            a3 += b.get(i + 3);
        }
        return a0 + a1 + a2 + a3;
    }

    /**
     * Times {@code [m, k] x [k, n]} float32 matrix products through DJL's two GEMM paths, plain
     * {@code matMul} with a {@code [k, n]} right operand and {@code linear} with a {@code [n, k]}
     * weight (what {@code Linear} and PyTorch's RNN kernels use), and keeps the faster.
     *
     * @param m rows of the left operand (the batch)
     * @param k the shared dimension
     * @param n columns of the product
     * @return seconds per product (best block of the faster path)
     */
    public double matMulSeconds(int m, int k, int n) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray a = sub.randomUniform(-1f, 1f, new Shape(m, k));
            NDArray b = sub.randomUniform(-1f, 1f, new Shape(k, n));
            NDArray w = sub.randomUniform(-1f, 1f, new Shape(n, k));
            double plain = bestSeconds(() -> {
                try (NDArray c = a.matMul(b)) {
                    return c.getShape().size();
                }
            });
            double linear = bestSeconds(() -> {
                NDList c = a.getNDArrayInternal().linear(a, w, null);
                try {
                    return c.head().getShape().size();
                } finally {
                    c.close();
                }
            });
            return Math.min(plain, linear);
        }
    }

    /**
     * Measures the GEMM rate of one decoder step's arithmetic for a number of rows: the LSTM gate
     * product {@code [rows, E+H] x [E+H, 4H]} plus the projection {@code [rows, H] x [H, V]}.
     *
     * @param shape the decoder sizes
     * @param rows images times beams
     * @return the timing and the resulting FLOP rate
     */
    public StepGemm stepGemm(ModelShape shape, int rows) {
        double gates = matMulSeconds(rows, shape.embeddingSize() + shape.hiddenSize(), 4 * shape.hiddenSize());
        double projection = matMulSeconds(rows, shape.hiddenSize(), shape.vocabularySize());
        double flops = shape.stepFlops(rows);
        return new StepGemm(rows, gates, projection, flops / (gates + projection));
    }

    /**
     * Measures the best FLOP rate over a few large square-ish products, the figure convolution
     * networks are compared against.
     *
     * @return FLOPs per second
     */
    public double peakGemmRate() {
        // the convolution-like shapes are ResNet-50 im2col products of a batch of 8
        int[][] sizes = {{512, 1024, 1024}, {1024, 1024, 1024}, {2048, 2048, 2048}, {8 * 196, 1152, 256},
            {8 * 784, 576, 128}};
        double best = 0;
        for (int[] s : sizes) {
            double seconds = matMulSeconds(s[0], s[1], s[2]);
            best = Math.max(best, 2.0 * s[0] * s[1] * s[2] / seconds);
        }
        return best;
    }

    private double bestSeconds(LongSupplier op) {
        long sink = 0;
        long warmEnd = System.nanoTime() + blockNanos;
        int perBlock = 0;
        while (System.nanoTime() < warmEnd) {
            sink += op.getAsLong();
            perBlock++;
        }
        perBlock = Math.max(1, perBlock);
        double best = Double.MAX_VALUE;
        for (int b = 0; b < blocks; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                sink += op.getAsLong();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / perBlock);
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
        return best;
    }

    /** Closes the probe's arrays. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * The GEMM timing of one decoder step's two products.
     *
     * @param rows images times beams
     * @param gatesSeconds seconds of the LSTM gate product
     * @param projectionSeconds seconds of the vocabulary projection
     * @param flopsPerSecond the step's FLOPs divided by the sum of both times
     */
    public record StepGemm(int rows, double gatesSeconds, double projectionSeconds, double flopsPerSecond) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "StepGemm[rows=%d, gates=%.1f µs, projection=%.1f µs, %.2f GFLOP/s]",
                    rows, gatesSeconds * 1e6, projectionSeconds * 1e6, flopsPerSecond / 1e9);
        }
    }
}
