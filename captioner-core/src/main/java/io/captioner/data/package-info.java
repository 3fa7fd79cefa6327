/**
 * Image-caption corpora: the {@link io.captioner.data.CaptionDataset} model, readers for the three
 * common Flickr8k layouts ({@link io.captioner.data.Flickr8kReader}), a writer for the original
 * layout ({@link io.captioner.data.Flickr8kWriter}) and corpus statistics
 * ({@link io.captioner.data.DatasetStats}).
 *
 * <p>Reading annotations never needs the images themselves; image files are only touched by
 * {@link io.captioner.data.CaptionDataset#verifyImages()} and the reader's missing-image options.
 * Everything here is engine-neutral (no DJL types).
 */
package io.captioner.data;
