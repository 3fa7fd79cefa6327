package io.captioner.models.djl;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.captioner.Caption;
import io.captioner.Captioner;
import io.captioner.DecodingOptions;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A DJL {@code Translator<Image, Caption>} that captions each input with a {@link Captioner}.
 * The captioner does the whole job (preprocessing, encoder, search), so the model's block sees an
 * empty {@link NDList}. Thread-safe when the captioner is (a {@link io.captioner.models.DjlCaptioner}
 * is), so several predictors may share one model. The translator does not own the captioner.
 */
public final class CaptionTranslator implements NoBatchifyTranslator<Image, Caption> {

    private static final String IMAGE = "captioner.image";

    private final Captioner captioner;
    private final DecodingOptions options;

    /**
     * Creates a translator.
     *
     * @param captioner the captioner; closed by its owner, not by the translator
     * @param options the decoding options for every prediction
     */
    public CaptionTranslator(Captioner captioner, DecodingOptions options) {
        this.captioner = Objects.requireNonNull(captioner, "captioner");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        ctx.setAttachment(IMAGE, toBufferedImage(input));
        return new NDList();
    }

    @Override
    public Caption processOutput(TranslatorContext ctx, NDList list) {
        return captioner.caption((BufferedImage) ctx.getAttachment(IMAGE), options);
    }

    /**
     * Returns a DJL image's pixels as a {@link BufferedImage}, without copying when DJL's
     * image factory already wraps one.
     *
     * @param image a DJL image
     * @return an RGB image
     */
    static BufferedImage toBufferedImage(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage b) {
            return b;
        }
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR).toType(DataType.INT32, false);
            Shape s = hwc.getShape();
            int h = (int) s.get(0);
            int w = (int) s.get(1);
            int[] px = hwc.toIntArray();
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    out.setRGB(x, y, (px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
                }
            }
            return out;
        }
    }
}
