/**
 * The saved model artifact: one directory or {@code .zip} holding everything a
 * {@link io.captioner.models.DjlCaptioner} needs, described by a versioned {@code manifest.json}.
 * Write one with {@link io.captioner.models.artifact.ArtifactWriter}, open one with
 * {@link io.captioner.models.artifact.ModelArtifact#load(java.nio.file.Path)} or
 * {@link io.captioner.Captioner#load(java.nio.file.Path)}.
 */
package io.captioner.models.artifact;
