package io.captioner.examples.attention;

import com.google.gson.GsonBuilder;
import io.captioner.AttentionWeights;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.data.Split;
import io.captioner.data.synthetic.PlacedShape;
import io.captioner.data.synthetic.ShapeKind;
import io.captioner.data.synthetic.SyntheticDataset;
import io.captioner.data.synthetic.SyntheticSample;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.image.Preprocessing;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Measures whether attention maps line up with the picture the model saw: over the synthetic test
 * images that show one shape, the share whose attention peak for the shape word (the first word of
 * the caption that names a shape kind) falls in the quadrant of the model's picture that holds the
 * shape's centre. A model that looked at random would score about 0.25.
 *
 * <p>Each image is also turned into the {@link Variant}s a user's photos come as (wider or taller
 * than square, JPEG, JPEG stored on its side with an EXIF orientation tag); the shape's centre is
 * carried through each variant's geometry and then through the model's resize and crop ({@link
 * Preprocessing#viewPoint}), so a variant scores like the original only if the pipeline turns,
 * scales and crops the picture where the attention map says it does. For each variant the share
 * of images whose peak falls in the same quadrant (and at the same map location) as in its {@link
 * Variant#reference()} is reported too.
 *
 * <p>The peak is the map location of the largest weight; its quadrant is that of the location's
 * centre (bilinear upsampling, as the drawn maps use, has its maximum there). Images whose caption
 * names no shape, or whose shape the crop cuts away, are counted but not scored.
 */
public final class AttentionAlignment {

    /** The words captions use for shapes. */
    static final Set<String> SHAPE_WORDS = Stream.of(ShapeKind.values()).flatMap(k -> k.words().stream())
            .collect(Collectors.toUnmodifiableSet());

    private static final int BATCH = 32;
    private static final float JPEG_QUALITY = 0.95f;

    private AttentionAlignment() {}

    /** The forms a test image is shown to the model in. */
    public enum Variant {
        /** The image as generated: square, lossless. */
        SQUARE("square"),
        /**
         * 3:2 landscape: the image enlarged 2× (bicubic) and centred on a canvas of the background
         * colour one image wide on each side, so the model's centre crop must find it again.
         */
        WIDE("wide"),
        /** 2:3 portrait, as {@link #WIDE} turned on its side: padding above and below. */
        TALL("tall"),
        /** The image as an upright JPEG (quality 0.95). */
        JPEG("jpeg"),
        /**
         * The image as a JPEG stored turned 90° anticlockwise with EXIF orientation 6 (what a phone
         * held upright writes), which the image loader must turn back.
         */
        EXIF_JPEG("exif-jpeg");

        private final String id;

        Variant(String id) {
            this.id = id;
        }

        /**
         * Returns the name used in reports, such as {@code "exif-jpeg"}.
         *
         * @return the id
         */
        public String id() {
            return id;
        }

        /**
         * Returns the variant whose peaks this one's are compared with: {@link #JPEG} for
         * {@link #EXIF_JPEG} (same compression, only the orientation differs), {@link #SQUARE} for
         * the others.
         *
         * @return the reference variant ({@link #SQUARE} for itself)
         */
        public Variant reference() {
            return this == EXIF_JPEG ? JPEG : SQUARE;
        }
    }

    /**
     * One image of one variant as the model receives it.
     *
     * @param image the decoded, upright image
     * @param centreX the x of the shape's centre in that image, in continuous pixel coordinates
     * @param centreY the y of the shape's centre in that image
     */
    public record Input(BufferedImage image, double centreX, double centreY) {}

    /**
     * What one image of one variant gave.
     *
     * @param index the image's index in the dataset
     * @param caption the caption's text
     * @param word the caption's first shape word, or null when it names no shape
     * @param peakY the row of the shape word's largest attention weight, or -1 without a shape word
     * @param peakX its column, or -1
     * @param peakQuadrant the quadrant of the peak (0 top-left, 1 top-right, 2 bottom-left, 3
     *     bottom-right), or -1 without a shape word
     * @param shapeQuadrant the quadrant of the shape's centre in the model's picture, or -1 when the
     *     crop cut the centre away
     */
    public record Outcome(int index, String caption, String word, int peakY, int peakX, int peakQuadrant,
            int shapeQuadrant) {

        /**
         * Returns whether this image is scored: its caption names a shape and the shape's centre is
         * in the model's picture.
         *
         * @return true when both quadrants are known
         */
        public boolean scored() {
            return peakQuadrant >= 0 && shapeQuadrant >= 0;
        }

        /**
         * Returns whether the peak fell in the shape's quadrant.
         *
         * @return true for a scored image whose quadrants agree
         */
        public boolean aligned() {
            return scored() && peakQuadrant == shapeQuadrant;
        }
    }

    /**
     * The outcomes of one variant, one per image in dataset order.
     *
     * @param variant the variant
     * @param outcomes one per image
     */
    public record VariantResult(Variant variant, List<Outcome> outcomes) {

        /**
         * Copies the list.
         */
        public VariantResult {
            outcomes = List.copyOf(outcomes);
        }

        /**
         * Returns the number of images scored.
         *
         * @return images whose caption names a shape and whose shape is in the picture
         */
        public int scored() {
            return (int) outcomes.stream().filter(Outcome::scored).count();
        }

        /**
         * Returns the number of images whose caption names no shape.
         *
         * @return the count
         */
        public int withoutShapeWord() {
            return (int) outcomes.stream().filter(o -> o.word() == null).count();
        }

        /**
         * Returns the number of scored images whose peak fell in the shape's quadrant.
         *
         * @return the count
         */
        public int aligned() {
            return (int) outcomes.stream().filter(Outcome::aligned).count();
        }

        /**
         * Returns the share of scored images whose peak fell in the shape's quadrant.
         *
         * @return in [0, 1]; NaN when no image was scored
         */
        public double quadrantShare() {
            int n = scored();
            return n == 0 ? Double.NaN : (double) aligned() / n;
        }
    }

    /**
     * The outcomes of every variant.
     *
     * @param images the test images with one shape that were used
     * @param variants one result per variant, in {@link Variant} order
     */
    public record Result(int images, List<VariantResult> variants) {

        /**
         * Copies the list.
         */
        public Result {
            variants = List.copyOf(variants);
        }

        /**
         * Returns the result of one variant.
         *
         * @param variant the variant
         * @return its result
         * @throws IllegalArgumentException if it was not measured
         */
        public VariantResult of(Variant variant) {
            return variants.stream().filter(v -> v.variant() == variant).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("variant " + variant.id() + " was not measured"));
        }

        /**
         * Returns the share of images whose shape word peaks at the same map location in a
         * variant as in its {@link Variant#reference()}, over the images whose captions name a
         * shape in both.
         *
         * @param variant the variant
         * @return in [0, 1]; NaN when no image names a shape in both
         */
        public double sameCellShare(Variant variant) {
            return agreement(variant, (a, b) -> a.peakY() == b.peakY() && a.peakX() == b.peakX());
        }

        /**
         * Returns the share of images whose shape word peaks in the same quadrant of the model's
         * picture in a variant as in its {@link Variant#reference()}, over the images whose
         * captions name a shape in both.
         *
         * @param variant the variant
         * @return in [0, 1]; NaN when no image names a shape in both
         */
        public double sameQuadrantShare(Variant variant) {
            return agreement(variant, (a, b) -> a.peakQuadrant() == b.peakQuadrant());
        }

        private double agreement(Variant variant, java.util.function.BiPredicate<Outcome, Outcome> same) {
            List<Outcome> mine = of(variant).outcomes();
            List<Outcome> theirs = of(variant.reference()).outcomes();
            int both = 0;
            int agreeing = 0;
            for (int i = 0; i < mine.size(); i++) {
                Outcome a = mine.get(i);
                Outcome b = theirs.get(i);
                if (a.word() != null && b.word() != null) {
                    both++;
                    if (same.test(a, b)) {
                        agreeing++;
                    }
                }
            }
            return both == 0 ? Double.NaN : (double) agreeing / both;
        }

        /**
         * Returns the result as one line of JSON: {@code images}, {@code chance} (0.25), and per
         * variant {@code scored}, {@code without_shape_word}, {@code aligned}, {@code
         * quadrant_share}, and for the variants other than the square one {@code compared_with} (the
         * reference), {@code same_quadrant_share} and {@code same_cell_share}; a share of no images
         * is {@code null}.
         *
         * @return compact JSON
         */
        public String toJson() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("images", images);
            root.put("chance", 0.25);
            Map<String, Object> all = new LinkedHashMap<>();
            for (VariantResult v : variants) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("scored", v.scored());
                o.put("without_shape_word", v.withoutShapeWord());
                o.put("aligned", v.aligned());
                o.put("quadrant_share", round(v.quadrantShare()));
                if (v.variant() != Variant.SQUARE) {
                    o.put("compared_with", v.variant().reference().id());
                    o.put("same_quadrant_share", round(sameQuadrantShare(v.variant())));
                    o.put("same_cell_share", round(sameCellShare(v.variant())));
                }
                all.put(v.variant().id(), o);
            }
            root.put("variants", all);
            return new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(root);
        }

        /** Three decimals; null (JSON has no NaN) when nothing was scored. */
        private static Double round(double v) {
            return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
        }
    }

    /**
     * Measures alignment on the test images of a synthetic dataset that show one shape.
     *
     * @param captioner the model; it must return attention weights
     * @param preprocessing the resize and crop the model applies (for a loaded model, {@code
     *     DjlCaptioner.preprocessing()})
     * @param dataset the synthetic dataset the model was tested on
     * @param options how to decode; attention is switched on
     * @param limit the most images to use, at least 1 (the first ones in dataset order)
     * @return the outcomes of every variant
     * @throws IllegalArgumentException if {@code limit} is below 1
     * @throws CaptionerException if the model fails or returns no attention
     */
    public static Result measure(Captioner captioner, Preprocessing preprocessing, SyntheticDataset dataset,
            DecodingOptions options, int limit) {
        Objects.requireNonNull(captioner, "captioner");
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, found " + limit);
        }
        DecodingOptions withAttention = options.toBuilder().optAttention(true).build();
        List<SyntheticSample> samples = dataset.indices(Split.TEST)
                .filter(i -> dataset.scene(i).shapes().size() == 1)
                .limit(limit)
                .mapToObj(dataset::sample)
                .toList();
        ImageLoader loader = ImageLoader.standard();
        List<VariantResult> results = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            List<Outcome> outcomes = new ArrayList<>();
            for (int start = 0; start < samples.size(); start += BATCH) {
                List<SyntheticSample> chunk = samples.subList(start, Math.min(samples.size(), start + BATCH));
                List<Input> inputs = chunk.stream().map(s -> input(variant, s, loader)).toList();
                List<Caption> captions = captioner.captionAll(inputs.stream().map(Input::image).toList(), withAttention);
                for (int i = 0; i < chunk.size(); i++) {
                    outcomes.add(outcome(chunk.get(i).index(), captions.get(i), inputs.get(i), preprocessing));
                }
            }
            results.add(new VariantResult(variant, outcomes));
        }
        return new Result(samples.size(), results);
    }

    /**
     * Scores one caption.
     *
     * @param index the image's index in the dataset
     * @param caption its caption, with attention weights when it names a shape
     * @param input the image the model was given and the shape's centre in it
     * @param preprocessing the model's resize and crop
     * @return the outcome
     * @throws CaptionerException if the caption names a shape but carries no attention weights
     */
    static Outcome outcome(int index, Caption caption, Input input, Preprocessing preprocessing) {
        int crop = preprocessing.crop();
        Point2D.Double centre = preprocessing.viewPoint(input.image().getWidth(), input.image().getHeight(),
                input.centreX(), input.centreY());
        boolean inView = centre.x >= 0 && centre.x < crop && centre.y >= 0 && centre.y < crop;
        int shapeQuadrant = inView ? quadrant(centre.x, centre.y, crop, crop) : -1;
        int t = caption.tokens().stream().filter(SHAPE_WORDS::contains).findFirst()
                .map(caption.tokens()::indexOf).orElse(-1);
        if (t < 0) {
            return new Outcome(index, caption.text(), null, -1, -1, -1, shapeQuadrant);
        }
        AttentionWeights a = caption.attention();
        if (a.isEmpty()) {
            throw new CaptionerException("image " + index + ": the caption '" + caption.text()
                    + "' has no attention weights; the model must have an attention decoder");
        }
        float[] row = a.weights(t);
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        int y = best / a.width();
        int x = best % a.width();
        double px = (x + 0.5) * crop / a.width();
        double py = (y + 0.5) * crop / a.height();
        return new Outcome(index, caption.text(), caption.tokens().get(t), y, x, quadrant(px, py, crop, crop),
                shapeQuadrant);
    }

    /** 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right. */
    static int quadrant(double x, double y, int width, int height) {
        return (x < width / 2.0 ? 0 : 1) + (y < height / 2.0 ? 0 : 2);
    }

    /**
     * Builds one variant of a single-shape test image, decoded as the model's loader decodes files.
     *
     * @param variant the variant
     * @param sample the test image, with one shape
     * @param loader the loader that decodes encoded variants (EXIF orientation included)
     * @return the image and the shape's centre in it
     * @throws IllegalArgumentException if the sample shows more than one shape
     */
    public static Input input(Variant variant, SyntheticSample sample, ImageLoader loader) {
        if (sample.scene().shapes().size() != 1) {
            throw new IllegalArgumentException("image " + sample.imageName() + " shows "
                    + sample.scene().shapes().size() + " shapes; alignment is measured on images with one");
        }
        PlacedShape shape = sample.scene().shapes().get(0);
        double cx = shape.x() + 0.5;
        double cy = shape.y() + 0.5;
        BufferedImage image = sample.image();
        int s = image.getWidth();
        Color background = new Color(sample.scene().background().rgb());
        return switch (variant) {
            case SQUARE -> new Input(image, cx, cy);
            case WIDE -> new Input(padded(image, 3 * s, 2 * s, s / 2, 0, background), s / 2 + 2 * cx, 2 * cy);
            case TALL -> new Input(padded(image, 2 * s, 3 * s, 0, s / 2, background), 2 * cx, s / 2 + 2 * cy);
            case JPEG -> new Input(loader.decode(jpeg(image), sample.imageName() + " as JPEG"), cx, cy);
            case EXIF_JPEG -> new Input(loader.decode(withExifOrientation(jpeg(turnedAnticlockwise(image)), 6),
                    sample.imageName() + " as JPEG with EXIF orientation 6"), cx, cy);
        };
    }

    /** The image enlarged 2× (bicubic) at (x, y) on a canvas of the background colour. */
    private static BufferedImage padded(BufferedImage image, int width, int height, int x, int y, Color fill) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(fill);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(image, x, y, 2 * image.getWidth(), 2 * image.getHeight(), null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /**
     * Returns the image turned 90° anticlockwise: what a camera stores when EXIF orientation 6
     * ("turn 90° clockwise to view") is to show the original upright.
     *
     * @param image the upright image
     * @return a new {@code TYPE_INT_RGB} image, its width the original's height
     */
    static BufferedImage turnedAnticlockwise(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < h; x++) {
                out.setRGB(x, y, image.getRGB(w - 1 - y, x));
            }
        }
        return out;
    }

    /**
     * Encodes an image as a baseline JPEG of quality 0.95 with ImageIO.
     *
     * @param image the image
     * @return the JPEG file's bytes
     */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new CaptionerException("cannot encode a JPEG in memory: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Inserts an EXIF segment holding only an orientation tag right after a JPEG's start marker.
     * ImageIO's JPEG writer cannot write EXIF, and a library for it would be a dependency for one
     * 34-byte segment: APP1 "Exif\0\0", a big-endian TIFF header, and one IFD entry (tag 0x0112,
     * SHORT, count 1).
     *
     * @param jpeg a JPEG file's bytes, starting with SOI ({@code FF D8})
     * @param orientation the EXIF orientation, 1 to 8
     * @return a new array with the segment inserted
     * @throws IllegalArgumentException if the bytes do not start with SOI or the orientation is out
     *     of range
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG: it must start with FF D8");
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 1 to 8, found " + orientation);
        }
        byte[] segment = {
            (byte) 0xFF, (byte) 0xE1, 0, 34, // APP1, length 34 (itself included)
            'E', 'x', 'i', 'f', 0, 0,
            'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // orientation, SHORT, count 1
            0, 0, 0, 0 // no next IFD
        };
        byte[] out = new byte[jpeg.length + segment.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }
}
