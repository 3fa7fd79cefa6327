package io.captioner.data.synthetic;

import io.captioner.CaptionerException;
import io.captioner.data.CaptionDataset;
import io.captioner.data.Flickr8kReader;
import io.captioner.data.Flickr8kWriter;
import io.captioner.data.ImageCaptions;
import io.captioner.data.Split;
import io.captioner.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded, deterministic synthetic captioning dataset: images of one to three coloured shapes on
 * a plain or striped background, each with five true reference captions, split into train, dev
 * and test so that the test split holds out (colour, kind) combinations. Immutable; build with
 * {@link #builder()}.
 *
 * <p><b>Determinism.</b> Image {@code i} depends only on the seed, {@code i}, the image size, its
 * split and the held-out pairs: it is drawn from a {@link SplittableRandom} seeded with a hash of
 * (seed, i), so images can be generated in any order or in parallel, and the same configuration
 * always writes byte-identical files.
 *
 * <p><b>Splits.</b> Images {@code 0 .. train-1} are training images, then {@code dev} dev images,
 * then {@code test} test images; dev and test counts are {@code round(images × fraction)}.
 *
 * <p><b>Held-out composition.</b> No training image contains a shape whose (colour, kind) is one
 * of {@link #heldOutPairs()}, while every test image contains at least one such shape (its other
 * shapes are drawn from all combinations). Every colour and every kind still appears in training,
 * with other partners, so the test split measures whether a model composes known words in new
 * combinations. Dev images follow the training rule by default ({@link Composition#SEEN}: an
 * in-distribution validation set) or the test rule with {@link Composition#HELD_OUT}. An empty
 * held-out list turns the rule off: every split draws from all combinations.
 *
 * <p><b>Files.</b> {@link #generate(Path)} writes the original Flickr8k layout so that the
 * Flickr8k reader loads it unchanged: {@code Flicker8k_Dataset/synth_000123.png},
 * {@code Flickr8k.token.txt} ({@code <image>#<n>\t<caption>}, n = 0..4), and
 * {@code Flickr_8k.trainImages.txt}, {@code Flickr_8k.devImages.txt},
 * {@code Flickr_8k.testImages.txt}, plus {@code synthetic-dataset.txt} recording the
 * configuration.
 *
 * <p>Thread-safe: all methods may be called concurrently.
 *
 * @param images the number of images over all splits, 1 to 1,000,000
 * @param imageSize the side of the square images in pixels, 64 to 512
 * @param seed the seed every image is derived from
 * @param devFraction the share of images in the dev split, in [0, 1)
 * @param testFraction the share of images in the test split, in [0, 1); at least one image must
 *     remain for training
 * @param heldOutPairs the combinations kept out of training, sorted; at least 3 of the 30
 *     combinations must remain for training
 * @param devComposition whether dev images follow the training rule or the test rule
 */
public record SyntheticDataset(
        int images,
        int imageSize,
        long seed,
        double devFraction,
        double testFraction,
        List<ColouredShape> heldOutPairs,
        Composition devComposition) {

    private static final Logger LOG = LoggerFactory.getLogger(SyntheticDataset.class);

    /** Reference captions written per image. */
    public static final int CAPTIONS_PER_IMAGE = 5;
    /**
     * The image directory, named (misspelt) as in the original Flickr8k archive; the first
     * directory {@link Flickr8kReader} looks for.
     */
    public static final String IMAGES_DIR = "Flicker8k_Dataset";
    /** The caption file: {@code <image>#<n>\t<caption>} per line. */
    public static final String TOKEN_FILE = Flickr8kReader.TOKEN_FILE;
    /** The file recording the configuration that wrote a directory. */
    public static final String MANIFEST_FILE = "synthetic-dataset.txt";
    /**
     * Changes whenever the same configuration would draw different images or captions, so that
     * {@link #generate(Path)} does not reuse a directory written by an older generator.
     */
    public static final int GENERATOR_VERSION = 1;

    /** The default held-out combinations: one per kind, five different colours. */
    public static final List<ColouredShape> DEFAULT_HELD_OUT = List.of(
            ColouredShape.of(Colour.RED, ShapeKind.STAR),
            ColouredShape.of(Colour.GREEN, ShapeKind.CIRCLE),
            ColouredShape.of(Colour.BLUE, ShapeKind.TRIANGLE),
            ColouredShape.of(Colour.YELLOW, ShapeKind.SQUARE),
            ColouredShape.of(Colour.PURPLE, ShapeKind.CROSS));

    private static final List<ColouredShape> ALL_PAIRS = allPairs();
    private static final Background[] BACKGROUNDS = Background.values();

    /** Which (colour, kind) combinations the images of a split may show. */
    public enum Composition {
        /** Never a held-out combination (the training rule). */
        SEEN,
        /** At least one held-out combination per image (the test rule). */
        HELD_OUT
    }

    /**
     * Validates the configuration and sorts and copies the held-out list.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value found
     */
    public SyntheticDataset {
        require(images >= 1 && images <= 1_000_000,
                "images must be between 1 and 1000000, found " + images);
        require(imageSize >= 64 && imageSize <= 512,
                "imageSize must be between 64 and 512 px, found " + imageSize);
        require(devFraction >= 0 && devFraction < 1,
                "devFraction must be in [0, 1), found " + devFraction);
        require(testFraction >= 0 && testFraction < 1,
                "testFraction must be in [0, 1), found " + testFraction);
        if (heldOutPairs == null) {
            throw new IllegalArgumentException("heldOutPairs must not be null");
        }
        if (devComposition == null) {
            throw new IllegalArgumentException("devComposition must not be null");
        }
        TreeSet<ColouredShape> sorted = new TreeSet<>();
        for (ColouredShape p : heldOutPairs) {
            if (p == null) {
                throw new IllegalArgumentException("heldOutPairs must not contain null, found "
                        + heldOutPairs);
            }
            require(sorted.add(p), "heldOutPairs must not repeat a pair, found " + p + " twice");
        }
        heldOutPairs = List.copyOf(sorted);
        require(ALL_PAIRS.size() - heldOutPairs.size() >= 3,
                "heldOutPairs must leave at least 3 of the " + ALL_PAIRS.size()
                        + " combinations for training, found " + heldOutPairs.size() + " held out");
        int dev = (int) Math.round(images * devFraction);
        int test = (int) Math.round(images * testFraction);
        require(images - dev - test >= 1, "devFraction + testFraction must leave at least one "
                + "training image, found dev " + dev + " + test " + test + " of " + images);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static List<ColouredShape> allPairs() {
        List<ColouredShape> all = new ArrayList<>();
        for (Colour c : Colour.values()) {
            for (ShapeKind k : ShapeKind.values()) {
                all.add(ColouredShape.of(c, k));
            }
        }
        return List.copyOf(all);
    }

    /**
     * Creates a builder holding the defaults: 2000 images of 96 px, seed 42, 10% dev, 10% test,
     * {@link #DEFAULT_HELD_OUT}, dev following the training rule.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the dataset with every default; see {@link #builder()}.
     *
     * @return the default dataset
     */
    public static SyntheticDataset defaults() {
        return builder().build();
    }

    /**
     * Returns a builder initialised with this configuration.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .optImages(images)
                .optImageSize(imageSize)
                .optSeed(seed)
                .optSplitFractions(devFraction, testFraction)
                .optHeldOutPairs(heldOutPairs)
                .optDevComposition(devComposition);
    }

    /**
     * Returns the number of dev images.
     *
     * @return {@code round(images × devFraction)}
     */
    public int devImages() {
        return (int) Math.round(images * devFraction);
    }

    /**
     * Returns the number of test images.
     *
     * @return {@code round(images × testFraction)}
     */
    public int testImages() {
        return (int) Math.round(images * testFraction);
    }

    /**
     * Returns the number of training images.
     *
     * @return the images that are neither dev nor test, at least 1
     */
    public int trainImages() {
        return images - devImages() - testImages();
    }

    /**
     * Returns the split of an image.
     *
     * @param index the image index, 0 to {@code images - 1}
     * @return TRAIN for the first {@link #trainImages()} indices, then DEV, then TEST; never NONE
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public Split split(int index) {
        checkIndex(index);
        if (index < trainImages()) {
            return Split.TRAIN;
        }
        return index < trainImages() + devImages() ? Split.DEV : Split.TEST;
    }

    /**
     * Returns the indices of a split's images, in increasing order.
     *
     * @param split a split
     * @return a contiguous range of indices, empty if the split has no images (always for
     *     {@link Split#NONE})
     */
    public IntStream indices(Split split) {
        if (split == Split.NONE) {
            return IntStream.empty();
        }
        int from = split == Split.TRAIN ? 0 : split == Split.DEV ? trainImages() : trainImages() + devImages();
        int count = split == Split.TRAIN ? trainImages() : split == Split.DEV ? devImages() : testImages();
        return IntStream.range(from, from + count);
    }

    /**
     * Returns the composition rule an image's split follows.
     *
     * @param split a split
     * @return SEEN for training, HELD_OUT for test (SEEN when no pairs are held out), and
     *     {@link #devComposition()} for dev
     * @throws IllegalArgumentException for {@link Split#NONE}, which synthetic images never have
     */
    public Composition composition(Split split) {
        if (split == Split.NONE) {
            throw new IllegalArgumentException("synthetic images are always in TRAIN, DEV or TEST, found NONE");
        }
        if (heldOutPairs.isEmpty() || split == Split.TRAIN) {
            return Composition.SEEN;
        }
        return split == Split.DEV ? devComposition : Composition.HELD_OUT;
    }

    /**
     * Returns the file name of an image.
     *
     * @param index the image index
     * @return {@code synth_} followed by the index in six or more digits and {@code .png}
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public String imageName(int index) {
        checkIndex(index);
        return String.format(Locale.ROOT, "synth_%06d.png", index);
    }

    /**
     * Returns what an image shows, without drawing it.
     *
     * @param index the image index, 0 to {@code images - 1}
     * @return the scene, identical to {@code sample(index).scene()}
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public Scene scene(int index) {
        return drawScene(index, random(index));
    }

    /**
     * Generates one image with its captions in memory.
     *
     * @param index the image index, 0 to {@code images - 1}
     * @return the image, its five captions and its scene; the same for every call
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public SyntheticSample sample(int index) {
        SplittableRandom rng = random(index);
        Scene scene = drawScene(index, rng);
        List<String> captions = CaptionGrammar.captions(scene, rng, CAPTIONS_PER_IMAGE);
        return new SyntheticSample(index, imageName(index), split(index), scene, scene.render(),
                captions);
    }

    /**
     * Returns an image's five reference captions without drawing the image.
     *
     * @param index the image index, 0 to {@code images - 1}
     * @return the captions, identical to {@code sample(index).captions()}
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public List<String> captions(int index) {
        SplittableRandom rng = random(index);
        Scene scene = drawScene(index, rng);
        return CaptionGrammar.captions(scene, rng, CAPTIONS_PER_IMAGE);
    }

    /**
     * Returns the captions and splits of all images as a {@link CaptionDataset}, without drawing
     * any image: what {@link Flickr8kReader} reads back from a directory written by
     * {@link #generate(Path)} (apart from its layout and report).
     *
     * @param dir the dataset directory whose {@value #IMAGES_DIR} sub-directory image ids resolve
     *     against; the images exist there only once {@link #generate(Path)} has written them
     * @return the dataset, images in index order
     */
    public CaptionDataset toCaptionDataset(Path dir) {
        List<ImageCaptions> records = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            records.add(new ImageCaptions(imageName(i), split(i), captions(i)));
        }
        return CaptionDataset.of(records, dir.resolve(IMAGES_DIR));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= images) {
            throw new IndexOutOfBoundsException(
                    "image index must be in [0, " + images + "), found " + index);
        }
    }

    private SplittableRandom random(int index) {
        checkIndex(index);
        return new SplittableRandom(mix(mix(seed) + index));
    }

    /** The SplitMix64 finaliser: spreads nearby inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private Scene drawScene(int index, SplittableRandom rng) {
        int roll = rng.nextInt(100);
        int n = roll < 25 ? 1 : roll < 70 ? 2 : 3;
        List<ColouredShape> pairs = drawPairs(n, composition(split(index)), rng);
        Background background = BACKGROUNDS[rng.nextInt(BACKGROUNDS.length)];
        Size[] sizes = new Size[n];
        int[] radii = new int[n];
        int maxRadius = 0;
        for (int i = 0; i < n; i++) {
            sizes[i] = rng.nextBoolean() ? Size.LARGE : Size.SMALL;
            radii[i] = sizes[i].radius(imageSize);
            maxRadius = Math.max(maxRadius, radii[i]);
        }
        List<PlacedShape> shapes = new ArrayList<>(n);
        if (n == 1) {
            int r = radii[0];
            int x = between(r + 1, imageSize - r - 2, rng);
            int y = between(r + 1, imageSize - r - 2, rng);
            shapes.add(new PlacedShape(pairs.get(0).kind(), pairs.get(0).colour(), sizes[0], x, y, r));
            return new Scene(imageSize, background, Scene.Layout.SINGLE, shapes);
        }
        Scene.Layout layout = rng.nextBoolean() ? Scene.Layout.ROW : Scene.Layout.COLUMN;
        // Along the line each shape gets its own cell, keeping a pixel free on either side, so
        // bounding boxes never touch; across it, offsets are at most a quarter of the closest
        // spacing, so the line's axis always dominates the relation between any two shapes.
        double cell = imageSize / (double) n;
        int[] along = new int[n];
        int minGap = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int lo = (int) Math.ceil(i * cell) + radii[i] + 1;
            int hi = (int) Math.floor((i + 1) * cell) - radii[i] - 2;
            along[i] = between(lo, Math.max(lo, hi), rng);
            if (i > 0) {
                minGap = Math.min(minGap, along[i] - along[i - 1]);
            }
        }
        int jitter = Math.min((int) Math.round(0.06 * imageSize), minGap / 4);
        int line = between(maxRadius + 1 + jitter, imageSize - maxRadius - 2 - jitter, rng);
        for (int i = 0; i < n; i++) {
            int across = line + between(-jitter, jitter, rng);
            ColouredShape p = pairs.get(i);
            int x = layout == Scene.Layout.ROW ? along[i] : across;
            int y = layout == Scene.Layout.ROW ? across : along[i];
            shapes.add(new PlacedShape(p.kind(), p.colour(), sizes[i], x, y, radii[i]));
        }
        return new Scene(imageSize, background, layout, shapes);
    }

    /** Draws n distinct combinations obeying the rule, in random order. */
    private List<ColouredShape> drawPairs(int n, Composition rule, SplittableRandom rng) {
        List<ColouredShape> chosen = new ArrayList<>(n);
        List<ColouredShape> pool;
        if (rule == Composition.HELD_OUT) {
            chosen.add(heldOutPairs.get(rng.nextInt(heldOutPairs.size())));
            pool = ALL_PAIRS;
        } else {
            pool = new ArrayList<>(ALL_PAIRS);
            pool.removeAll(heldOutPairs);
        }
        while (chosen.size() < n) {
            ColouredShape p = pool.get(rng.nextInt(pool.size()));
            if (!chosen.contains(p)) {
                chosen.add(p);
            }
        }
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(chosen, i, rng.nextInt(i + 1));
        }
        return chosen;
    }

    private static int between(int lo, int hi, SplittableRandom rng) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    /**
     * Writes the dataset in the Flickr8k original layout, or reuses it if {@code dir} already
     * holds exactly this dataset.
     *
     * <p>Everything is written to a hidden sibling directory first, which is then renamed to
     * {@code dir} in one atomic move ({@link AtomicFiles#writeDirectory}), so an interrupted run
     * never leaves a directory that looks complete (a leftover {@code .<name>.tmp-*} sibling may
     * remain after a crash and can be deleted). Images are drawn and encoded in parallel on the
     * common fork-join pool.
     *
     * @param dir the dataset directory; it must not exist, be empty, or hold this very dataset
     *     (recognised by its {@value #MANIFEST_FILE})
     * @return what was written or reused
     * @throws CaptionerException if {@code dir} holds something else, or on an I/O error (the
     *     message names the file)
     */
    public GenerationSummary generate(Path dir) {
        long start = System.nanoTime();
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() == null || target.getFileName() == null) {
            throw new CaptionerException("Cannot write the synthetic dataset to " + target
                    + ": it must be a directory below a parent directory, found a file-system root");
        }
        String manifest = manifest();
        if (holdsThisDataset(target, manifest)) {
            LOG.info("Reusing synthetic dataset in {}", target);
            return summary(target, 0.0, true);
        }
        requireFree(target);
        AtomicFiles.writeDirectory(target, tmp -> {
            writeAll(tmp, manifest);
            requireFree(target); // something may have appeared there while the images were drawn
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        GenerationSummary summary = summary(target, seconds, false);
        LOG.info("Generated synthetic dataset: {}", summary);
        return summary;
    }

    private GenerationSummary summary(Path target, double seconds, boolean reused) {
        return new GenerationSummary(target, trainImages(), devImages(), testImages(),
                heldOutPairs, devComposition, seconds, reused);
    }

    private static boolean holdsThisDataset(Path target, String manifest) {
        Path file = target.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).equals(manifest);
        } catch (IOException e) {
            throw new CaptionerException("Cannot read " + file + ": " + e, e);
        }
    }

    private static void requireFree(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new CaptionerException("Cannot write the synthetic dataset to " + target
                    + ": it must be a directory that does not exist or is empty, found a file");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new CaptionerException("Cannot write the synthetic dataset to " + target
                        + ": it must not exist, be empty, or hold this same dataset (" + MANIFEST_FILE
                        + " equal to this configuration's), found other content");
            }
        } catch (IOException e) {
            throw new CaptionerException("Cannot list " + target + ": " + e, e);
        }
    }

    private void writeAll(Path root, String manifest) throws IOException {
        Path imagesDir = Files.createDirectory(root.resolve(IMAGES_DIR));
        ImageCaptions[] records = new ImageCaptions[images];
        try {
            IntStream.range(0, images).parallel().forEach(i -> {
                SyntheticSample s = sample(i);
                writePng(s.image(), imagesDir.resolve(s.imageName()));
                records[i] = new ImageCaptions(s.imageName(), s.split(), s.captions());
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Flickr8kWriter.write(CaptionDataset.of(List.of(records), imagesDir), root);
        Files.writeString(root.resolve(MANIFEST_FILE), manifest, StandardCharsets.UTF_8);
    }

    private static void writePng(BufferedImage image, Path file) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] png = PngEncoder.encode(image.getRGB(0, 0, w, h, null, 0, w), w, h);
        try {
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Cannot write " + file + ": " + e, e));
        }
    }

    /**
     * Returns the text of {@value #MANIFEST_FILE} for this configuration: one {@code key=value}
     * per line, without a timestamp, so that equal configurations write equal files.
     *
     * @return the manifest text
     */
    public String manifest() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Synthetic captioning dataset written by ")
                .append(SyntheticDataset.class.getName()).append('\n');
        sb.append("generatorVersion=").append(GENERATOR_VERSION).append('\n');
        sb.append("images=").append(images).append('\n');
        sb.append("imageSize=").append(imageSize).append('\n');
        sb.append("seed=").append(seed).append('\n');
        sb.append("devFraction=").append(devFraction).append('\n');
        sb.append("testFraction=").append(testFraction).append('\n');
        sb.append("heldOutPairs=").append(heldOutPairs).append('\n');
        sb.append("devComposition=").append(devComposition).append('\n');
        sb.append("trainImages=").append(trainImages()).append('\n');
        sb.append("devImages=").append(devImages()).append('\n');
        sb.append("testImages=").append(testImages()).append('\n');
        return sb.toString();
    }

    /**
     * Describes the configuration, for example {@code SyntheticDataset[2000 images 96px seed=42
     * train/dev/test=1600/200/200 heldOut=[red star, ...] dev=SEEN]}.
     *
     * @return a readable one-line description
     */
    @Override
    public String toString() {
        return "SyntheticDataset[" + images + " images " + imageSize + "px seed=" + seed
                + " train/dev/test=" + trainImages() + "/" + devImages() + "/" + testImages()
                + " heldOut=" + heldOutPairs + " dev=" + devComposition + "]";
    }

    /**
     * Builds a {@link SyntheticDataset}; every setter is optional and order-independent, and
     * {@link #build()} validates the combination.
     */
    public static final class Builder {
        private int images = 2000;
        private int imageSize = 96;
        private long seed = 42;
        private double devFraction = 0.1;
        private double testFraction = 0.1;
        private List<ColouredShape> heldOutPairs = DEFAULT_HELD_OUT;
        private Composition devComposition = Composition.SEEN;

        private Builder() {}

        /**
         * Sets the number of images over all splits.
         *
         * @param value 1 to 1,000,000; default 2000
         * @return this builder
         */
        public Builder optImages(int value) {
            this.images = value;
            return this;
        }

        /**
         * Sets the side of the square images.
         *
         * @param value pixels, 64 to 512; default 96
         * @return this builder
         */
        public Builder optImageSize(int value) {
            this.imageSize = value;
            return this;
        }

        /**
         * Sets the seed every image is derived from.
         *
         * @param value any number; default 42
         * @return this builder
         */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets the shares of the dev and test splits; the rest is training.
         *
         * @param dev share of dev images in [0, 1); default 0.1
         * @param test share of test images in [0, 1); default 0.1
         * @return this builder
         */
        public Builder optSplitFractions(double dev, double test) {
            this.devFraction = dev;
            this.testFraction = test;
            return this;
        }

        /**
         * Sets the (colour, kind) combinations kept out of training.
         *
         * @param value distinct combinations leaving at least 3 for training; empty disables the
         *     rule; default {@link SyntheticDataset#DEFAULT_HELD_OUT}
         * @return this builder
         */
        public Builder optHeldOutPairs(Collection<ColouredShape> value) {
            this.heldOutPairs = value == null ? null : new ArrayList<>(value);
            return this;
        }

        /**
         * Sets which rule dev images follow.
         *
         * @param value SEEN (like training, the default) or HELD_OUT (like test)
         * @return this builder
         */
        public Builder optDevComposition(Composition value) {
            this.devComposition = value;
            return this;
        }

        /**
         * Validates and builds the dataset.
         *
         * @return the dataset
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public SyntheticDataset build() {
            return new SyntheticDataset(images, imageSize, seed, devFraction, testFraction,
                    heldOutPairs, devComposition);
        }
    }
}
