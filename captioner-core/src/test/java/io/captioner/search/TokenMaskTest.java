package io.captioner.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.DecodingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenMaskTest {

    private static List<Integer> blockedAfter(DecodingOptions options, int vocabularySize,
            int... tokens) {
        float[] row = new float[vocabularySize];
        Arrays.fill(row, -1f);
        new TokenMask(options).apply(row, Arrays.copyOf(tokens, tokens.length + 1), tokens.length);
        List<Integer> blocked = new ArrayList<>();
        for (int t = 0; t < row.length; t++) {
            if (row[t] == Float.NEGATIVE_INFINITY) {
                blocked.add(t);
            } else {
                assertThat(row[t]).isEqualTo(-1f); // allowed values are left untouched
            }
        }
        return blocked;
    }

    private static DecodingOptions.Builder lengths(int min, int max) {
        return DecodingOptions.builder().optMinLength(min).optMaxLength(max);
    }

    @Test
    void padAndStartAreAlwaysBlockedAndUnkOnlyWhenSuppressed() {
        assertThat(blockedAfter(lengths(0, 5).build(), 8)).containsExactly(0, 1, 3);
        assertThat(blockedAfter(lengths(0, 5).optSuppressUnk(false).build(), 8))
                .containsExactly(0, 1);
    }

    @Test
    void endIsBlockedOnlyBeforeTheMinimumLength() {
        assertThat(blockedAfter(lengths(2, 5).build(), 8, 4)).contains(2);
        assertThat(blockedAfter(lengths(2, 5).build(), 8, 4, 5)).doesNotContain(2);
    }

    @Test
    void onlyEndIsAllowedAfterTheMaximumLength() {
        assertThat(blockedAfter(lengths(0, 2).build(), 8, 4, 5)).containsExactly(0, 1, 3, 4, 5, 6, 7);
    }

    @Test
    void noImmediateRepeatBlocksThePreviousWord() {
        assertThat(blockedAfter(lengths(0, 9).optNoImmediateRepeat(true).build(), 9, 4, 6))
                .containsExactly(0, 1, 3, 6);
    }

    @Test
    void unigramBlockingBlocksEveryWordUsed() {
        assertThat(blockedAfter(lengths(0, 9).optNoRepeatNgramSize(1).build(), 9, 4, 6, 4))
                .containsExactly(0, 1, 3, 4, 6);
    }

    @Test
    void bigramBlockingBlocksWordsThatFollowedTheLastWordBefore() {
        // 4 5 | 4 7 | 4 -> "4 5" and "4 7" exist, so 5 and 7 may not follow the final 4
        assertThat(blockedAfter(lengths(0, 9).optNoRepeatNgramSize(2).build(), 9, 4, 5, 4, 7, 4))
                .containsExactly(0, 1, 3, 5, 7);
    }

    @Test
    void trigramBlockingNeedsTheWholePrefixToMatch() {
        DecodingOptions options = lengths(0, 9).optNoRepeatNgramSize(3).build();
        assertThat(blockedAfter(options, 9, 4, 5, 6, 4, 5)).containsExactly(0, 1, 3, 6);
        assertThat(blockedAfter(options, 9, 4, 5, 6, 7, 5)).containsExactly(0, 1, 3);
    }
}
