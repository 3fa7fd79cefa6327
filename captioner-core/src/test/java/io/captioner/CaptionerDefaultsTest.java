package io.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default methods of {@link Captioner}: a third-party captioner that implements only the
 * batched primitive gets every input form, options on every call, and real batching.
 */
class CaptionerDefaultsTest {

    private static final DecodingOptions MODEL_DEFAULTS = DecodingOptions.builder().optMaxLength(7).build();
    private static final DecodingOptions EXPLICIT = DecodingOptions.builder().optBeamSize(4).optNBest(2).build();

    @TempDir Path dir;

    /** Implements only the primitive (and its own defaults); records every batch it is given. */
    private static final class PrimitiveOnly implements Captioner {
        final List<List<BufferedImage>> batches = new ArrayList<>();
        final List<DecodingOptions> options = new ArrayList<>();

        @Override
        public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions opts) {
            batches.add(List.copyOf(images));
            options.add(opts);
            List<Caption> out = new ArrayList<>();
            for (BufferedImage image : images) {
                List<String> tokens = List.of("w" + image.getWidth());
                out.add(Caption.of(tokens, Collections.nCopies(2, -0.5)));
            }
            return out;
        }

        @Override
        public DecodingOptions defaultOptions() {
            return MODEL_DEFAULTS;
        }
    }

    private static BufferedImage image(int width) {
        return new BufferedImage(width, 4, BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] png(int width) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image(width), "png", out);
        return out.toByteArray();
    }

    private Path pngFile(String name, int width) throws IOException {
        return Files.write(dir.resolve(name), png(width));
    }

    @Test
    void captionFilesDecodesEveryFileThenMakesOneBatchedCall() throws IOException {
        PrimitiveOnly c = new PrimitiveOnly();
        List<Path> files = List.of(pngFile("a.png", 3), pngFile("b.png", 5), pngFile("c.png", 7));

        List<Caption> captions = c.captionFiles(files);

        assertThat(c.batches).hasSize(1);
        assertThat(c.batches.get(0)).extracting(BufferedImage::getWidth).containsExactly(3, 5, 7);
        assertThat(captions).extracting(Caption::text).containsExactly("w3", "w5", "w7");
    }

    @Test
    void captionAllWithoutOptionsIsOneBatchedCallWithTheDefaultOptions() {
        PrimitiveOnly c = new PrimitiveOnly();

        c.captionAll(List.of(image(1), image(2)));

        assertThat(c.batches).hasSize(1);
        assertThat(c.batches.get(0)).hasSize(2);
        assertThat(c.options).containsExactly(MODEL_DEFAULTS);
    }

    @Test
    void everyOverloadWithOptionsPassesItsOptionsThrough() throws IOException {
        PrimitiveOnly c = new PrimitiveOnly();
        Path file = pngFile("a.png", 3);

        assertThat(c.caption(image(3), EXPLICIT).text()).isEqualTo("w3");
        assertThat(c.caption(file, EXPLICIT).text()).isEqualTo("w3");
        assertThat(c.caption(png(3), EXPLICIT).text()).isEqualTo("w3");
        assertThat(c.caption(new ByteArrayInputStream(png(3)), EXPLICIT).text()).isEqualTo("w3");
        assertThat(c.captionAll(List.of(image(3)), EXPLICIT)).hasSize(1);
        assertThat(c.captionFiles(List.of(file), EXPLICIT)).hasSize(1);

        assertThat(c.options).hasSize(6).containsOnly(EXPLICIT);
    }

    @Test
    void everyOverloadWithoutOptionsUsesTheDefaultOptions() throws IOException {
        PrimitiveOnly c = new PrimitiveOnly();
        Path file = pngFile("a.png", 3);

        c.caption(image(3));
        c.caption(file);
        c.caption(png(3));
        c.caption(new ByteArrayInputStream(png(3)));
        c.captionAll(List.of(image(3)));
        c.captionFiles(List.of(file));

        assertThat(c.options).hasSize(6).containsOnly(MODEL_DEFAULTS);
    }

    @Test
    void defaultOptionsAreTheLibraryDefaultsUnlessOverridden() {
        Captioner bare = (images, options) -> List.of();
        assertThat(bare.defaultOptions()).isEqualTo(DecodingOptions.defaults());
    }

    @Test
    void modelViewIsTheImageItselfUnlessOverridden() {
        Captioner bare = (images, options) -> List.of();
        BufferedImage image = image(9);
        assertThat(bare.modelView(image)).isSameAs(image);
    }

    @Test
    void bytesThatAreNoImageAreRefusedNamingTheInput() {
        PrimitiveOnly c = new PrimitiveOnly();
        byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> c.caption(text))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("image bytes (6 bytes)")
                .hasMessageContaining("not a supported image format");
        assertThat(c.batches).isEmpty();
    }

    @Test
    void captionFilesNamesTheFirstFileThatCannotBeReadAndCaptionsNothing() throws IOException {
        PrimitiveOnly c = new PrimitiveOnly();
        Path good = pngFile("good.png", 3);
        Path missing = dir.resolve("missing.png");

        assertThatThrownBy(() -> c.captionFiles(List.of(good, missing)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("missing.png: image file not found");
        assertThat(c.batches).isEmpty();
    }
}
