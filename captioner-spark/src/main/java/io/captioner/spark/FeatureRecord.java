package io.captioner.spark;

import java.io.Serializable;

/**
 * One image's outcome in the feature job, handed from the encoding function to the shard writer
 * within a task: its features or the error that stopped it.
 *
 * @param imageId the image's id (its file name)
 * @param path where it was read from
 * @param features the flattened features, or null on error
 * @param error why it could not be encoded, or null
 */
record FeatureRecord(String imageId, String path, float[] features, String error) implements Serializable {}
