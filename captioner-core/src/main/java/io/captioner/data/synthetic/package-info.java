/**
 * A seeded, deterministic synthetic captioning dataset: coloured shapes on plain or striped
 * backgrounds, described by a small grammar, with a test split of held-out (colour, kind)
 * combinations. It is the embedded default dataset of the demo, the tests and the benchmarks.
 *
 * <p>Entry point: {@link io.captioner.data.synthetic.SyntheticDataset}, which draws single
 * samples in memory ({@link io.captioner.data.synthetic.SyntheticSample}) or writes the whole set
 * in the Flickr8k original layout. {@link io.captioner.data.synthetic.Scene} and
 * {@link io.captioner.data.synthetic.PlacedShape} describe what an image shows;
 * {@link io.captioner.data.synthetic.CaptionGrammar} lists the words captions use.
 *
 * <p>Drawing uses Java2D on off-screen images only, so it works in headless JVMs.
 */
package io.captioner.data.synthetic;
