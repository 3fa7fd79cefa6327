/**
 * Captioning and feature extraction on Apache Spark, embedded ({@code local[*]}) or on a cluster.
 *
 * <p>Library: {@link io.captioner.spark.CaptionTransformer}, a Spark ML transformer that captions
 * a DataFrame's binary image column and saves and loads with Spark ML's persistence.
 * Applications: {@link io.captioner.spark.BatchCaption} (a folder or bucket of images to a table
 * of captions and a COCO results file) and {@link io.captioner.spark.ExtractFeatures} (images to
 * the {@link io.captioner.models.cache.FeatureShards} that {@code captioner train --features}
 * reads). Spark is a provided dependency: applications and {@code spark-submit} bring it.
 *
 * <p>Every executor JVM loads one model (a thread-safe {@link io.captioner.Captioner}, or a frozen
 * encoder) lazily and shares it between its tasks; each partition runs through it in batches.
 * PyTorch's intra-op threads are set to {@code spark.task.cpus} before the engine starts, so the
 * executor's concurrent tasks do not fight over its cores.
 */
package io.captioner.spark;
