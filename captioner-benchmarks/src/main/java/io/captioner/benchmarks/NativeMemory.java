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

    /** glibc reserves each thread arena's heap as a region of this size, aligned to it (64-bit). */
    static final long ARENA_HEAP_BYTES = 64L << 20;

    /**
     * Where the process's malloc memory lives, read from {@code /proc/self/smaps}: glibc's main
     * arena grows the {@code [heap]} segment, every other arena lives in 64 MiB-aligned anonymous
     * regions of at most 64 MiB; counting those shows how many arenas threads have created and how
     * much memory they hold.
     *
     * @param mainHeapKiB RSS of the {@code [heap]} segment (glibc's main arena)
     * @param arenaRegions anonymous 64 MiB-aligned regions of at most 64 MiB (glibc thread-arena
     *     heaps; other allocators may show none)
     * @param arenaRssKiB RSS of those regions
     */
    public record MallocMap(long mainHeapKiB, int arenaRegions, long arenaRssKiB) {}

    /**
     * Reads {@link MallocMap} from {@code /proc/self/smaps} (Linux only).
     *
     * @return the figures, or {@code null} where {@code /proc/self/smaps} cannot be read
     */
    public static MallocMap mallocMap() {
        try {
            return mallocMap(Files.readAllLines(Path.of("/proc/self/smaps")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static MallocMap mallocMap(java.util.List<String> smaps) {
        long heap = 0;
        long arenaRss = 0;
        int arenas = 0;
        int kind = 0; // 0 other, 1 [heap], 2 arena region
        for (String line : smaps) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line, 0, dash)) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                String[] f = line.trim().split("\\s+");
                boolean anonymous = f.length < 6 && "0".equals(f[4]);
                if (f.length >= 6 && f[5].equals("[heap]")) {
                    kind = 1;
                } else if (anonymous && f[1].startsWith("rw") && start % ARENA_HEAP_BYTES == 0
                        && end - start <= ARENA_HEAP_BYTES) {
                    kind = 2;
                    arenas++;
                } else {
                    kind = 0;
                }
            } else if (line.startsWith("Rss:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                if (kind == 1) {
                    heap += kib;
                } else if (kind == 2) {
                    arenaRss += kib;
                }
            }
        }
        return new MallocMap(heap, arenas, arenaRss);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the resident set size from {@code /proc/self/status} (Linux only).
     *
     * @return VmRSS in kibibytes, or -1 where {@code /proc} is not available
     */
    public static long rssKiB() {
        return status("VmRSS:");
    }

    /**
     * Returns the peak resident set size of this process so far from {@code /proc/self/status}
     * (Linux only): the high-water mark, which also catches peaks between samples.
     *
     * @return VmHWM in kibibytes, or -1 where {@code /proc} is not available
     */
    public static long peakRssKiB() {
        return status("VmHWM:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
