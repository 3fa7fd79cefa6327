package io.captioner.search;

/**
 * The reserved token ids every captioner vocabulary starts with; search algorithms rely on them.
 *
 * <p>They equal the ids of {@code io.captioner.text.Vocabulary} ({@code PAD}, {@code START},
 * {@code END}, {@code UNK}); they are repeated here so that the search package depends only on the
 * {@link io.captioner.CaptionDecoder} contract. Ids from {@link #FIRST_WORD} upwards are words.
 */
public final class TokenIds {

    /** {@code <pad>}: fills batches of unequal length; never emitted by search. */
    public static final int PAD = 0;
    /** {@code <start>}: fed to the first decoding step; never emitted by search. */
    public static final int START = 1;
    /** {@code <end>}: closes a caption; emitted only once the minimum length is reached. */
    public static final int END = 2;
    /** {@code <unk>}: stands for rare words; not emitted when {@code suppressUnk} is set. */
    public static final int UNK = 3;
    /** The smallest id of an ordinary word. */
    public static final int FIRST_WORD = 4;

    private TokenIds() {}
}
