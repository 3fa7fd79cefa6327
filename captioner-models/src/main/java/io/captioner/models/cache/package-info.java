/**
 * A resumable on-disk cache of image features for training: encode a dataset once into a
 * memory-mapped matrix (pooled vectors or spatial maps, float32 or float16) with an index, keyed by
 * encoder, shape, storage type, spatial pooling, weights hash and preprocessing so that a stale
 * cache is refused rather than silently reused.
 */
package io.captioner.models.cache;
