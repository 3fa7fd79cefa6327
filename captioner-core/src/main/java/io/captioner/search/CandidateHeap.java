package io.captioner.search;

/**
 * Keeps the {@code capacity} best (score, code) pairs seen, without sorting everything: a binary
 * min-heap on primitive arrays, reused across steps so that the hot loop does not allocate.
 *
 * <p>Order: a higher score is better; on equal scores the smaller code is better, which makes the
 * selection deterministic. Offering n candidates costs O(n log capacity) at worst and one
 * comparison for each candidate that cannot enter a full heap. Not thread-safe.
 */
final class CandidateHeap {

    private double[] scores;
    private int[] codes;
    private int size;
    private int capacity;

    CandidateHeap(int initialCapacity) {
        scores = new double[Math.max(1, initialCapacity)];
        codes = new int[Math.max(1, initialCapacity)];
    }

    /** Empties the heap and sets how many candidates it keeps. */
    void reset(int newCapacity) {
        if (newCapacity > scores.length) {
            scores = new double[newCapacity];
            codes = new int[newCapacity];
        }
        capacity = newCapacity;
        size = 0;
    }

    int size() {
        return size;
    }

    /** Returns whether (score, code) would enter the heap. */
    boolean accepts(double score, int code) {
        return size < capacity || better(score, code, scores[0], codes[0]);
    }

    /** Offers a candidate; it is kept if it is among the best {@code capacity} seen so far. */
    void offer(double score, int code) {
        if (size < capacity) {
            int i = size++;
            // sift up: parents must be worse than or equal to children
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!better(scores[parent], codes[parent], score, code)) {
                    break;
                }
                scores[i] = scores[parent];
                codes[i] = codes[parent];
                i = parent;
            }
            scores[i] = score;
            codes[i] = code;
        } else if (capacity > 0 && better(score, code, scores[0], codes[0])) {
            siftDown(score, code);
        }
    }

    private void siftDown(double score, int code) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && better(scores[child], codes[child], scores[right], codes[right])) {
                child = right;
            }
            if (!better(score, code, scores[child], codes[child])) {
                break;
            }
            scores[i] = scores[child];
            codes[i] = codes[child];
            i = child;
        }
        scores[i] = score;
        codes[i] = code;
    }

    /**
     * Moves the kept candidates into the arrays, best first, and empties the heap.
     *
     * @return the number of candidates written
     */
    int drainDescending(double[] outScores, int[] outCodes) {
        int n = size;
        while (size > 0) {
            int last = --size;
            outScores[last] = scores[0];
            outCodes[last] = codes[0];
            if (last > 0) {
                siftDown(scores[last], codes[last]);
            }
        }
        return n;
    }

    /** Writes the kept codes in no particular order, and empties the heap. */
    int drainCodes(int[] outCodes) {
        int n = size;
        System.arraycopy(codes, 0, outCodes, 0, n);
        size = 0;
        return n;
    }

    private static boolean better(double s1, int c1, double s2, int c2) {
        return s1 > s2 || (s1 == s2 && c1 < c2);
    }
}
