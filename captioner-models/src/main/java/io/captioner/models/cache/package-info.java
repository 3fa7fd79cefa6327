/**
 * Image features stored on disk for training. {@link io.captioner.models.cache.FeatureCache} is a
 * resumable local cache: a dataset encoded once into a memory-mappable float32 matrix with an
 * index. {@link io.captioner.models.cache.FeatureShards} reads features extracted elsewhere (a
 * Spark cluster) as {@code .npy} shards with a JSON index each, written by
 * {@link io.captioner.models.cache.FeatureShardWriter}. Both are keyed by encoder, weights hash and
 * preprocessing ({@link io.captioner.models.cache.CacheKey}), so that stale features are refused
 * rather than silently reused.
 */
package io.captioner.models.cache;
