package io.captioner.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void mallocMapCountsTheHeapSegmentAndAlignedArenaRegionsOnly() {
        List<String> smaps = List.of(
                "55d4c0a00000-55d4c0c00000 rw-p 00000000 00:00 0                          [heap]",
                "Size:               2048 kB",
                "Rss:                1500 kB",
                // a thread arena heap: 64 MiB-aligned start, 8 MiB committed
                "7f5c04000000-7f5c04800000 rw-p 00000000 00:00 0 ",
                "Rss:                 700 kB",
                "7f5c04800000-7f5c08000000 ---p 00000000 00:00 0 ",
                "Rss:                   0 kB",
                // anonymous but not aligned to 64 MiB: something else (a thread stack, say)
                "7f5c09001000-7f5c09101000 rw-p 00000000 00:00 0 ",
                "Rss:                 900 kB",
                // aligned but a file mapping
                "7f5c0c000000-7f5c0c100000 r--p 00000000 08:01 1234  /usr/lib/libtorch.so",
                "Rss:                 300 kB",
                // aligned and anonymous but larger than an arena heap (a Java heap)
                "7f5d00000000-7f5d40000000 rw-p 00000000 00:00 0 ",
                "Rss:              999999 kB");
        NativeMemory.MallocMap m = NativeMemory.mallocMap(smaps);
        assertThat(m.mainHeapKiB()).isEqualTo(1500);
        assertThat(m.arenaRegions()).isEqualTo(1);
        assertThat(m.arenaRssKiB()).isEqualTo(700);
    }

    @Test
    void mallocMapOfThisProcessReadsOnLinux() {
        NativeMemory.MallocMap m = NativeMemory.mallocMap();
        org.junit.jupiter.api.Assumptions.assumeTrue(m != null, "/proc/self/smaps is Linux only");
        assertThat(m.mainHeapKiB() + m.arenaRssKiB()).isPositive();
    }
}
