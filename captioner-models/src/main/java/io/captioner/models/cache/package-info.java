/**
 * Image features stored on disk for training. {@link io.captioner.models.cache.FeatureCache} is a
 * resumable local cache: a dataset encoded once into a memory-mapped matrix (pooled vectors or
 * spatial maps, float32 or float16) with an index. {@link io.captioner.models.cache.FeatureShards}
 * reads features extracted elsewhere (a Spark cluster) as {@code .npy} shards with a JSON index
 * each, written by {@link io.captioner.models.cache.FeatureShardWriter}. Both are keyed by encoder,
 * weights hash and preprocessing ({@link io.captioner.models.cache.CacheKey}; the local cache's key
 * also records the row shape, storage type and spatial pooling), so that stale features are refused
 * rather than silently reused.
 */
package io.captioner.models.cache;
