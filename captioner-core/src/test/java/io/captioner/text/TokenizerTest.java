package io.captioner.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    private final Tokenizer tokenizer = Tokenizer.standard();

    @Test
    void lowercasesAndDropsTrailingPunctuation() {
        assertThat(tokenizer.tokenize("A Dog runs.")).containsExactly("a", "dog", "runs");
    }

    @Test
    void hyphenIsDeletedSoHyphenatedWordsJoin() {
        assertThat(tokenizer.tokenize("A man in a t-shirt .")).containsExactly("a", "man", "in", "a", "tshirt");
    }

    @Test
    void apostropheIsDeletedSoCliticsJoin() {
        assertThat(tokenizer.tokenize("The dog's ball")).containsExactly("the", "dogs", "ball");
        assertThat(tokenizer.tokenize("They're here")).containsExactly("theyre", "here");
    }

    @Test
    void flickrStyleSplitCliticBecomesItsOwnWord() {
        // Flickr8k writes "dog 's": the apostrophe goes, the "s" stays a word.
        assertThat(tokenizer.tokenize("A dog 's toy")).containsExactly("a", "dog", "s", "toy");
    }

    @Test
    void splitsOnAnyWhitespaceAndKeepsDigits() {
        assertThat(tokenizer.tokenize("  two\tdogs\r\njump over, 2 logs!  "))
                .containsExactly("two", "dogs", "jump", "over", "2", "logs");
    }

    @Test
    void keepsNonAsciiLettersAndDropsTypographicPunctuation() {
        assertThat(tokenizer.tokenize("Café \u2014 \u201Colé\u201D")).containsExactly("café", "olé");
    }

    @Test
    void asciiSymbolsOfPythonPunctuationAreDropped() {
        assertThat(tokenizer.tokenize("a+b $5 <x> ~y^ `z` |w| =")).containsExactly("ab", "5", "x", "y", "z", "w");
    }

    @Test
    void punctuationOnlyTextGivesNoTokens() {
        assertThat(tokenizer.tokenize(" ... ")).isEmpty();
        assertThat(tokenizer.tokenize("")).isEmpty();
    }

    @Test
    void normalizeJoinsTokensWithSingleSpaces() {
        assertThat(tokenizer.normalize("  A  black-and-white DOG. ")).isEqualTo("a blackandwhite dog");
    }
}
