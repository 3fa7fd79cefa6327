package io.captioner.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMH executor ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=}this class) that runs the
 * worker tasks of every benchmark configuration on the same long-lived threads.
 *
 * <p>JMH's default executor starts new threads for every configuration. glibc's malloc gives each
 * new thread an arena in turn and keeps what PyTorch frees in that arena, so a run of many
 * configurations in one JVM grows its RSS by each configuration's working set although no tensor
 * is alive (captioner-benchmarks README, "Native memory and RSS"). Reusing the threads reuses their
 * arenas, so the memory one configuration freed serves the next.
 *
 * <p>Each instance (JMH makes one per configuration) hands its tasks to one JVM-wide pool of
 * daemon threads that grows to the largest thread count asked for and never shrinks;
 * {@link #shutdown()} and {@link #awaitTermination} concern only this instance's tasks, so the
 * threads outlive it. {@link #shutdownNow()} does not interrupt running tasks (JMH does not call
 * it). Thread-safe.
 */
public final class PersistentWorkers extends AbstractExecutorService {

    /** Worker threads shared by all instances; core threads never time out. */
    private static final ThreadPoolExecutor SHARED = new ThreadPoolExecutor(1, Integer.MAX_VALUE,
            Long.MAX_VALUE, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), daemonThreads());

    private final Object lock = new Object();
    private int running;
    private boolean shutdown;

    /**
     * Creates the executor of one benchmark configuration; the signature JMH's {@code CUSTOM}
     * executor type calls.
     *
     * @param maxThreads the most tasks that will run at once (the benchmark's thread count)
     * @param prefix the benchmark's name (JMH names its own threads with it; unused here)
     * @throws IllegalArgumentException if maxThreads is below 1
     */
    public PersistentWorkers(int maxThreads, String prefix) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1, found " + maxThreads);
        }
        synchronized (SHARED) {
            // every task of a configuration must run at once (JMH waits for all at a barrier), so
            // the pool keeps at least that many threads; existing threads are reused first
            if (SHARED.getCorePoolSize() < maxThreads) {
                SHARED.setCorePoolSize(maxThreads);
            }
        }
    }

    /**
     * Returns the number of threads in the shared pool, for tests and logs.
     *
     * @return threads created so far and still alive
     */
    public static int sharedThreads() {
        return SHARED.getPoolSize();
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("this benchmark's executor is shut down");
            }
            running++;
        }
        try {
            SHARED.execute(() -> {
                try {
                    task.run();
                } finally {
                    finished();
                }
            });
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
    }

    private void finished() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll();
        }
    }

    /**
     * Stops accepting tasks; tasks already handed over still run (they are not interrupted).
     *
     * @return an empty list
     */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && running == 0;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && running == 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "captioner-jmh-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
