package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PersistentWorkersTest {

    @Test
    void successiveBenchmarkExecutorsReuseThePoolsThreadsInsteadOfStartingNewOnes() throws Exception {
        Thread first = runOn(new PersistentWorkers(1, "a"));
        int threads = PersistentWorkers.sharedThreads();
        Set<Thread> used = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            used.add(runOn(new PersistentWorkers(1, "config" + i)));
        }
        assertThat(PersistentWorkers.sharedThreads()).isEqualTo(threads);
        assertThat(used).hasSizeLessThanOrEqualTo(threads);
        if (threads == 1) { // this test ran before any multi-threaded configuration
            assertThat(used).containsExactly(first);
        }
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getName()).startsWith("captioner-jmh-worker-");
    }

    private static Thread runOn(ExecutorService executor) throws Exception {
        Future<Thread> f = executor.submit(Thread::currentThread);
        Thread t = f.get(10, TimeUnit.SECONDS);
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        return t;
    }

    @Test
    void allTasksOfAMultiThreadedConfigurationRunAtOnce() throws Exception {
        PersistentWorkers executor = new PersistentWorkers(3, "threads3");
        CyclicBarrier barrier = new CyclicBarrier(3); // JMH waits for all its workers like this
        Future<?>[] tasks = new Future<?>[3];
        for (int i = 0; i < 3; i++) {
            tasks[i] = executor.submit(() -> {
                barrier.await(10, TimeUnit.SECONDS);
                return null;
            });
        }
        for (Future<?> t : tasks) {
            t.get(10, TimeUnit.SECONDS);
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(PersistentWorkers.sharedThreads()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void terminationWaitsForThisExecutorsRunningTasksOnly() throws Exception {
        PersistentWorkers other = new PersistentWorkers(1, "other");
        PersistentWorkers executor = new PersistentWorkers(1, "mine");
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThat(executor.awaitTermination(100, TimeUnit.MILLISECONDS)).as("a task is still running").isFalse();
        assertThat(executor.isTerminated()).isFalse();
        other.shutdown();
        assertThat(other.awaitTermination(1, TimeUnit.SECONDS)).as("the other executor had no tasks").isTrue();
        release.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shut down");
    }

    @Test
    void aThreadCountBelowOneIsRefused() {
        assertThatThrownBy(() -> new PersistentWorkers(0, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
    }

    @Test
    void theSuiteSelectsThisExecutorUnlessOneIsChosen() {
        String before = System.getProperty("jmh.executor");
        String beforeClass = System.getProperty("jmh.executor.class");
        try {
            System.clearProperty("jmh.executor");
            Suite.reuseWorkerThreads();
            assertThat(System.getProperty("jmh.executor")).isEqualTo("CUSTOM");
            assertThat(System.getProperty("jmh.executor.class")).isEqualTo(PersistentWorkers.class.getName());
            System.setProperty("jmh.executor", "VIRTUAL");
            Suite.reuseWorkerThreads();
            assertThat(System.getProperty("jmh.executor")).isEqualTo("VIRTUAL");
        } finally {
            restore("jmh.executor", before);
            restore("jmh.executor.class", beforeClass);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
