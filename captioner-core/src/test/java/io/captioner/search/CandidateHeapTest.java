package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateHeapTest {

    @Test
    void keepsTheBestCandidatesInDescendingOrderLikeAFullSort() {
        SplittableRandom random = new SplittableRandom(1);
        CandidateHeap heap = new CandidateHeap(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            int capacity = 1 + random.nextInt(40);
            heap.reset(capacity);
            List<double[]> all = new ArrayList<>();
            for (int code = 0; code < n; code++) {
                double score = random.nextInt(50) / 7.0; // many ties on purpose
                all.add(new double[] {score, code});
                if (heap.accepts(score, code)) {
                    heap.offer(score, code);
                }
            }
            all.sort(Comparator.<double[]>comparingDouble(a -> -a[0]).thenComparingDouble(a -> a[1]));
            double[] scores = new double[capacity];
            int[] codes = new int[capacity];
            int kept = heap.drainDescending(scores, codes);
            assertThat(kept).isEqualTo(Math.min(n, capacity));
            for (int i = 0; i < kept; i++) {
                assertThat(scores[i]).isEqualTo(all.get(i)[0]);
                assertThat(codes[i]).isEqualTo((int) all.get(i)[1]);
            }
            assertThat(heap.size()).isZero();
        }
    }
}
