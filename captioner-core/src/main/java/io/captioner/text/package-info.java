/**
 * Text handling: the {@link io.captioner.text.Tokenizer} that turns captions into words and the
 * {@link io.captioner.text.Vocabulary} that maps words to the ids a decoder predicts.
 */
package io.captioner.text;
