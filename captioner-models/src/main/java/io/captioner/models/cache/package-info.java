/**
 * A resumable on-disk cache of image feature vectors for training: encode a dataset once into a
 * memory-mappable float32 matrix with an index, keyed by encoder, weights hash and preprocessing so
 * that a stale cache is refused rather than silently reused.
 */
package io.captioner.models.cache;
