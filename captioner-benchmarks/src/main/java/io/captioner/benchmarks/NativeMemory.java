package io.captioner.benchmarks;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the two figures that show whether a run leaks: the number of live NDArrays DJL tracks and
 * the process's resident set size.
 *
 * <p>DJL has no public counter of live arrays, so {@link #liveNDArrays()} walks the manager tree
 * from the engine's system manager (every base manager hangs off it) and counts the arrays each
 * manager still holds. Thread-safe, read-only.
 */
public final class NativeMemory {

    private NativeMemory() {}

    /**
     * Counts the NDArrays that are attached to any open manager of the default engine.
     *
     * @return the number of live arrays, or -1 if DJL's manager internals cannot be read
     */
    public static long liveNDArrays() {
        NDManager probe = NDManager.newBaseManager();
        try {
            NDManager system = probe.getParentManager();
            return count(system, probe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        } finally {
            probe.close();
        }
    }

    private static long count(NDManager manager, NDManager skip) throws ReflectiveOperationException {
        if (!(manager instanceof BaseNDManager base) || manager == skip) {
            return 0;
        }
        long n = 0;
        for (Object resource : resources(base).values()) {
            if (resource instanceof NDArray) {
                n++;
            } else if (resource instanceof NDManager child) {
                n += count(child, skip);
            }
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AutoCloseable> resources(BaseNDManager manager)
            throws ReflectiveOperationException {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        return (Map<String, AutoCloseable>) f.get(manager);
    }

    /**
     * Collects garbage twice (so direct buffers that DJL used for copies and that wait only for a
     * GC are freed), then returns the resident set size.
     *
     * @return VmRSS in kibibytes, or -1 where {@code /proc} is not available
     */
    public static long rssKiBAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return rssKiB();
    }

    /**
     * Returns the resident set size from {@code /proc/self/status} (Linux only).
     *
     * @return VmRSS in kibibytes, or -1 where {@code /proc} is not available
     */
    public static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
