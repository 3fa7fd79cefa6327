/**
 * Pictures people can look at, engine-neutral: {@link io.captioner.visual.AttentionMapRenderer}
 * draws a caption's attention weights ({@link io.captioner.AttentionWeights}) over the picture the
 * model saw, one panel per word, laid out as {@link io.captioner.visual.AttentionMapLayout} says.
 */
package io.captioner.visual;
