package io.captioner.models.decoder;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A small pool, shared by every {@link LstmCaptionDecoder} in the JVM, that runs one part of a
 * decoder step on another core while the calling thread computes the rest.
 *
 * <p>Why: PyTorch runs a step's few-row matrix products on a single core (measured on a
 * 2-core AVX-512 machine: about 50 GFLOP/s at 5 rows whatever the torch thread count), so a beam
 * step leaves the other core idle. Two independent products of one step (the vocabulary logits
 * and the next step's recurrent term) can run on two Java threads at once.
 *
 * <p>Bounded by construction, so it cannot deadlock or pile up work when many threads decode at
 * once:
 *
 * <ul>
 *   <li>as many daemon threads as the system property {@value #PROPERTY_THREADS} says (read
 *       once; default: half the available processors, so none on a 1-core machine; 0: none);
 *       they are started on first use and end after 30 s idle;
 *   <li>a caller hands work over only while few callers are stepping at once (no more than the
 *       cores the helpers leave free) and only if it gets one of as many permits as there are
 *       threads, without waiting ({@link Semaphore#tryAcquire()}); otherwise it does the work itself
 *       (the decoder then computes both products as one). So at
 *       most one task per thread exists, none waits in a queue behind another, and with many
 *       concurrent decodes (every core already busy) nearly all work stays on the callers;
 *   <li>a task handed over but not yet started when the caller needs its result is taken back and
 *       run by the caller, so a caller never waits for a helper that has not been scheduled;
 *   <li>helper tasks never wait for anything, so there is no cycle of waits.
 * </ul>
 *
 * <p>What is shared: only these threads and permits; the work (NDArray operations on read-only
 * weights and on the caller's own temporary arrays) belongs to one step of one caller. Results
 * are created in the manager of the arrays the work reads (the caller's temporary manager), whose
 * attach operations are thread-safe; the caller must {@link Task#join()} before closing it.
 */
final class StepHelpers {

    /** System property: the number of helper threads; 0: none (work stays on the callers). */
    static final String PROPERTY_THREADS = "captioner.decoder.helperThreads";

    /**
     * System property: the smallest number of rows whose step is split (default 2: a 1-row greedy
     * step is bound by reading the weights, not by arithmetic, and a second core did not help it).
     */
    static final String PROPERTY_MIN_ROWS = "captioner.decoder.splitMinRows";

    /**
     * System property: the largest number of rows whose step is split (default 64; from about 16
     * rows PyTorch's own threads start to use more than one core for the products).
     */
    static final String PROPERTY_MAX_ROWS = "captioner.decoder.splitMaxRows";

    private static final StepHelpers SHARED = new StepHelpers(
            Integer.getInteger(PROPERTY_THREADS, Runtime.getRuntime().availableProcessors() / 2),
            Integer.getInteger(PROPERTY_MIN_ROWS, 2), Integer.getInteger(PROPERTY_MAX_ROWS, 64), false);

    private final int threads;
    private final int minRows;
    private final int maxRows;
    private final boolean alwaysWait;
    private final Semaphore permits;
    private final AtomicLong helped = new AtomicLong();
    /** Threads inside a split-range step right now (see {@link #enter()}). */
    private final AtomicInteger stepping = new AtomicInteger();
    /** Hand work over only while at most this many threads are stepping. */
    private final int maxSteppingCallers;
    private volatile ThreadPoolExecutor executor;

    /**
     * Creates a pool; {@link #shared()} is the one decoders use.
     *
     * @param threads helper threads (0: none, every step's work stays on its caller)
     * @param minRows the smallest row count whose step prepares the next recurrent term
     * @param maxRows the largest such row count (below {@code minRows}: never)
     * @param alwaysWait for tests: a caller waits for a free helper and then for the handed-over
     *     task instead of taking it back, so the work really runs on the helper thread
     */
    StepHelpers(int threads, int minRows, int maxRows, boolean alwaysWait) {
        this.threads = Math.max(0, threads);
        this.minRows = Math.max(1, minRows);
        this.maxRows = maxRows;
        this.alwaysWait = alwaysWait;
        this.permits = new Semaphore(this.threads);
        this.maxSteppingCallers = alwaysWait ? Integer.MAX_VALUE
                : Math.max(1, Runtime.getRuntime().availableProcessors() - this.threads);
    }

    /**
     * Marks the calling thread as inside a split-range step until {@link #exit()}: with more
     * such callers than the cores the helpers leave free, every core is already busy and a
     * hand-over would only add a thread switch (measured with 8 callers on 2 cores: 5-10% lower
     * throughput), so {@link #tryFork} then declines.
     */
    void enter() {
        stepping.incrementAndGet();
    }

    /** Ends what {@link #enter()} began. */
    void exit() {
        stepping.decrementAndGet();
    }

    /** Returns the pool shared by every decoder in the JVM, configured by the system properties. */
    static StepHelpers shared() {
        return SHARED;
    }

    /**
     * Returns whether a step of this many rows should prepare the next step's recurrent term (its
     * product then runs on a helper when {@link #tryFork} finds one free, else together with the
     * logits in one product): true for beam-sized row counts, where the arithmetic, not reading
     * the weights, bounds the step.
     *
     * @param rows the step's rows
     * @return true if the row count lies in the configured range
     */
    boolean splits(int rows) {
        return rows >= minRows && rows <= maxRows;
    }

    /** Returns how many tasks helper threads (not callers) have run; tests use it. */
    long helped() {
        return helped.get();
    }

    /**
     * Starts {@code work} on a helper thread if one is free.
     *
     * @param work the part of the step to run; must not wait for the caller
     * @param <T> its result type
     * @return the task, whose {@link Task#join()} the caller must call exactly once; null if no
     *     helper is free (the caller then does the work itself)
     */
    <T> Task<T> tryFork(Supplier<T> work) {
        if (threads == 0 || stepping.get() > maxSteppingCallers) {
            return null;
        }
        if (alwaysWait) {
            permits.acquireUninterruptibly(); // tests: the previous task's permit may be on its way back
        } else if (!permits.tryAcquire()) {
            return null;
        }
        Task<T> task = new Task<>(work);
        task.handedOver = alwaysWait;
        try {
            executor().execute(() -> {
                try {
                    task.runIfUnclaimed(helped);
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            task.handedOver = false;
            permits.release(); // rejected: the caller runs the work in join()
        }
        return task;
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    AtomicInteger n = new AtomicInteger();
                    e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                            r -> {
                                Thread t = new Thread(r, "captioner-decoder-helper-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    e.allowCoreThreadTimeOut(true); // no idle threads left behind
                    executor = e;
                }
            }
        }
        return e;
    }

    /** Stops the threads of a pool made for a test; the shared pool is never shut down. */
    void shutdown() {
        ThreadPoolExecutor e = executor;
        if (e != null && this != SHARED) {
            e.shutdown();
        }
    }

    /**
     * A piece of work run once, by a helper or by the caller, whichever claims it first.
     *
     * @param <T> the result type
     */
    static final class Task<T> {
        private final Supplier<T> work;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private Throwable error;

        /** Set (before submission) when the caller must wait rather than take the task back. */
        private volatile boolean handedOver;

        private Task(Supplier<T> work) {
            this.work = work;
        }

        /** Runs the work unless someone else claimed it; counts it in {@code ranBy} if not null. */
        private void runIfUnclaimed(AtomicLong ranBy) {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                result = work.get();
            } catch (Throwable t) {
                error = t;
            } finally {
                if (ranBy != null) {
                    ranBy.incrementAndGet(); // before the caller can see the task done
                }
                done.countDown();
            }
        }

        /**
         * Returns the result, running the work here if no helper has started it, else waiting for
         * the helper to finish it.
         *
         * @return the work's result
         * @throws RuntimeException or Error the work threw, rethrown on the caller's thread
         */
        T join() {
            if (!handedOver) {
                runIfUnclaimed(null);
            }
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the helper is mid-operation on the caller's arrays: wait on
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error instanceof RuntimeException r) {
                throw r;
            }
            if (error instanceof Error e) {
                throw e;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return result;
        }
    }
}
