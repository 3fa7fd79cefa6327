package io.captioner.models.image;

import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * torchvision's evaluation transform as an immutable value: {@code Resize(resize)} of the shorter
 * side (bilinear with antialiasing), {@code CenterCrop(crop)}, scaling to [0, 1], and
 * {@code Normalize(mean, std)} per RGB channel.
 *
 * <p>The resize follows torchvision 0.14's tensor path for uint8 images
 * ({@code antialias=True}): the output size is {@code (resize, int(resize * long / short))}; each
 * axis is resampled with a triangle filter whose support is widened by the downscale factor
 * (width first, then height, in float32), and the result is rounded half-to-even to uint8. The
 * crop offset is {@code round((size - crop) / 2)} with Python's half-to-even rounding. The output is
 * a {@code [3, crop, crop]} float tensor in channel-major (CHW) order, RGB. Thread-safe.
 *
 * @param resize the target length of the shorter side, in pixels
 * @param crop the side of the square centre crop, in pixels; at most {@code resize}
 * @param mean per-channel mean (R, G, B) subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation (R, G, B) divided by after subtracting the mean
 */
public record Preprocessing(int resize, int crop, float[] mean, float[] std) {

    /**
     * Validates the values.
     *
     * @param resize the target length of the shorter side
     * @param crop the side of the centre crop
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @throws IllegalArgumentException if sizes are not positive, {@code crop > resize}, or mean/std
     *     do not have 3 entries or std has a non-positive entry
     */
    public Preprocessing {
        if (resize <= 0 || crop <= 0 || crop > resize) {
            throw new IllegalArgumentException("need 0 < crop <= resize, got resize=" + resize + ", crop=" + crop);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Returns the ImageNet evaluation transform used by torchvision's pretrained models: resize 256,
     * crop 224, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
     *
     * @return the transform
     */
    public static Preprocessing imagenet() {
        return new Preprocessing(256, 224, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    }

    /**
     * Returns the mean; a copy.
     *
     * @return R, G, B means
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Returns the standard deviation; a copy.
     *
     * @return R, G, B standard deviations
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * Transforms one image into a new {@code [3, crop, crop]} tensor.
     *
     * @param image any decoded image (converted with {@link RgbConverter} first)
     * @return {@code 3 * crop * crop} floats in CHW order
     */
    public float[] toTensor(BufferedImage image) {
        float[] out = new float[3 * crop * crop];
        toTensor(image, out, 0);
        return out;
    }

    /**
     * Transforms one image into {@code dest[offset .. offset + 3*crop*crop)}, CHW order.
     *
     * @param image any decoded image
     * @param dest the destination, for example a batch buffer
     * @param offset where this image's tensor starts
     */
    public void toTensor(BufferedImage image, float[] dest, int offset) {
        int[] pixels = resizeAndCrop(image);
        int plane = crop * crop;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int i = 0; i < plane; i++) {
                float v = ((pixels[i] >> shift) & 0xFF) / 255f;
                dest[offset + c * plane + i] = (v - mean[c]) / std[c];
            }
        }
    }

    /**
     * Resizes the shorter side and centre-crops, returning packed 8-bit RGB pixels.
     *
     * @param image any decoded image
     * @return {@code crop * crop} pixels {@code 0xRRGGBB}, row-major
     */
    public int[] resizeAndCrop(BufferedImage image) {
        BufferedImage rgb = RgbConverter.toRgb(image);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] size = resizedSize(w, h, resize);
        int ow = size[0];
        int oh = size[1];
        int left = (int) Math.rint((ow - crop) / 2.0);
        int top = (int) Math.rint((oh - crop) / 2.0);
        int[] in = rgb.getRGB(0, 0, w, h, null, 0, w);
        Axis ax = Axis.of(w, ow, left, crop);
        Axis ay = Axis.of(h, oh, top, crop);
        // horizontal pass: h rows × crop columns × 3 channels, float32 as torch computes it
        float[] tmp = new float[h * crop * 3];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < crop; x++) {
                int min = ax.min[x];
                float[] wts = ax.weights[x];
                float r = 0;
                float g = 0;
                float b = 0;
                for (int j = 0; j < wts.length; j++) {
                    int p = in[row + min + j];
                    float wt = wts[j];
                    r += ((p >> 16) & 0xFF) * wt;
                    g += ((p >> 8) & 0xFF) * wt;
                    b += (p & 0xFF) * wt;
                }
                int t = (y * crop + x) * 3;
                tmp[t] = r;
                tmp[t + 1] = g;
                tmp[t + 2] = b;
            }
        }
        int[] out = new int[crop * crop];
        for (int y = 0; y < crop; y++) {
            int min = ay.min[y];
            float[] wts = ay.weights[y];
            for (int x = 0; x < crop; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int j = 0; j < wts.length; j++) {
                    int t = ((min + j) * crop + x) * 3;
                    float wt = wts[j];
                    r += tmp[t] * wt;
                    g += tmp[t + 1] * wt;
                    b += tmp[t + 2] * wt;
                }
                out[y * crop + x] = (toByte(r) << 16) | (toByte(g) << 8) | toByte(b);
            }
        }
        return out;
    }

    /**
     * Returns the picture the network sees: the image resized and centre-cropped exactly as
     * {@link #toTensor(BufferedImage)} does, before scaling and normalisation. Attention maps are
     * drawn over it.
     *
     * @param image any decoded image (upright: EXIF orientation is the loader's job)
     * @return a new {@code TYPE_INT_RGB} image of {@code crop × crop} pixels
     */
    public BufferedImage modelView(BufferedImage image) {
        BufferedImage view = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        view.setRGB(0, 0, crop, crop, resizeAndCrop(image), 0, crop);
        return view;
    }

    /**
     * Maps a point of an image to the picture the network sees ({@link #modelView}): scaled as
     * the resize scales each axis, then shifted by the crop's offset. Coordinates are continuous
     * pixel coordinates, x from the left edge and y from the top edge, so pixel (i, j) covers
     * {@code [i, i + 1) × [j, j + 1)} and its centre is (i + 0.5, j + 0.5).
     *
     * @param width the image's width in pixels, at least 1
     * @param height the image's height in pixels, at least 1
     * @param x the point's x in the image
     * @param y the point's y in the image
     * @return the point in the picture the network sees; it lies outside {@code [0, crop)²} when
     *     the crop cut it away
     * @throws IllegalArgumentException if a size is below 1
     */
    public Point2D.Double viewPoint(int width, int height, double x, double y) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1 x 1, found " + width + " x " + height);
        }
        int[] size = resizedSize(width, height, resize);
        int left = (int) Math.rint((size[0] - crop) / 2.0);
        int top = (int) Math.rint((size[1] - crop) / 2.0);
        return new Point2D.Double(x * size[0] / width - left, y * size[1] / height - top);
    }

    /**
     * Computes torchvision's {@code Resize(size)} output for a {@code w × h} image.
     *
     * @param w input width
     * @param h input height
     * @param size target length of the shorter side
     * @return {@code {width, height}} after resizing
     */
    public static int[] resizedSize(int w, int h, int size) {
        if (w <= h) {
            return new int[] {size, (int) ((double) size * h / w)};
        }
        return new int[] {(int) ((double) size * w / h), size};
    }

    private static int toByte(float v) {
        double r = Math.rint(v);
        return r <= 0 ? 0 : r >= 255 ? 255 : (int) r;
    }

    /** Antialiased triangle-filter taps for the output positions {@code [start, start + count)}. */
    private record Axis(int[] min, float[][] weights) {
        static Axis of(int inSize, int outSize, int start, int count) {
            float scale = (float) inSize / outSize;
            float support = scale >= 1f ? scale : 1f;
            float invScale = scale >= 1f ? 1f / scale : 1f;
            int[] min = new int[count];
            float[][] weights = new float[count][];
            for (int k = 0; k < count; k++) {
                int i = start + k;
                float center = (float) (scale * (i + 0.5));
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xsize = Math.min((int) (center + support + 0.5), inSize) - xmin;
                float[] w = new float[xsize];
                float total = 0;
                for (int j = 0; j < xsize; j++) {
                    float x = (float) (((float) (j + xmin) - center + 0.5) * invScale);
                    x = Math.abs(x);
                    w[j] = x < 1f ? 1f - x : 0f;
                    total += w[j];
                }
                if (total != 0f) {
                    for (int j = 0; j < xsize; j++) {
                        w[j] /= total;
                    }
                }
                min[k] = xmin;
                weights[k] = w;
            }
            return new Axis(min, weights);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && resize == p.resize && crop == p.crop
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * resize + crop) + 17 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Preprocessing[resize shorter side " + resize + " bilinear antialias, centre crop " + crop
                + ", scale 1/255, mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
    }
}
