package io.captioner.spark;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives PyTorch as many threads as a Spark task has cores, once per JVM, before the engine starts.
 *
 * <p>PyTorch's thread count is process-wide (DJL applies {@code ai.djl.pytorch.num_threads} with
 * {@code set_num_threads} when the engine starts, and every thread follows it), and all tasks of an
 * executor share one engine. An executor with C cores runs C / {@code spark.task.cpus} tasks at once;
 * giving each task's work {@code spark.task.cpus} threads keeps the executor at C busy threads.
 * PyTorch's default instead starts one thread per core of the machine in every concurrent call.
 *
 * <p>A value the user set ({@code -Dai.djl.pytorch.num_threads} in the executor's Java options) is
 * kept. The setting only takes effect if it is made before the engine starts; a JVM that started
 * the engine earlier keeps its count (logged). Inter-op threads are set to 1: captioning runs one
 * operator at a time.
 */
final class TorchThreads {

    static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = LoggerFactory.getLogger(TorchThreads.class);
    private static final AtomicBoolean CONFIGURED = new AtomicBoolean();

    private TorchThreads() {}

    /**
     * Sets the thread properties for a task's core count, the first time only.
     *
     * @param taskCpus {@code spark.task.cpus}, at least 1
     */
    static void configure(int taskCpus) {
        if (!CONFIGURED.compareAndSet(false, true)) {
            return;
        }
        int threads = Math.max(1, taskCpus);
        if (System.getProperty(NUM_THREADS) == null) {
            System.setProperty(NUM_THREADS, Integer.toString(threads));
        }
        if (System.getProperty(NUM_INTEROP_THREADS) == null) {
            System.setProperty(NUM_INTEROP_THREADS, "1");
        }
        LOG.info("PyTorch threads per task: {} (spark.task.cpus {}); takes effect if the engine starts after this",
                System.getProperty(NUM_THREADS), taskCpus);
    }
}
