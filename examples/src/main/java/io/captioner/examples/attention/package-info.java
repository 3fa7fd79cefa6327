/**
 * Checks that attention maps line up with the picture the model saw:
 * {@link io.captioner.examples.attention.AttentionAlignment} measures, on the synthetic test
 * images with one shape, how often the attention peak of the shape word falls in the shape's own
 * quadrant, for the images as generated and for non-square and EXIF-rotated versions of them.
 */
package io.captioner.examples.attention;
