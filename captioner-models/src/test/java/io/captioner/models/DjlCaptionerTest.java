package io.captioner.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.image.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlCaptionerTest {

    private static DjlCaptioner captioner;

    @BeforeAll
    static void create() {
        captioner = TinyCaptioner.create(7);
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void pathBytesStreamAndImageInputsGiveTheSameCaption(@TempDir Path dir) throws IOException {
        BufferedImage img = TinyCaptioner.images(3, 1).get(0);
        byte[] png = png(img);
        Path file = Files.write(dir.resolve("a.png"), png);
        Caption fromImage = captioner.caption(img);
        assertThat(captioner.caption(file)).isEqualTo(fromImage);
        assertThat(captioner.caption(png)).isEqualTo(fromImage);
        assertThat(captioner.caption(new ByteArrayInputStream(png))).isEqualTo(fromImage);
        assertThat(fromImage.tokens()).isNotEmpty();
    }

    @Test
    void pathBytesStreamAndFileListsTakeExplicitOptions(@TempDir Path dir) throws IOException {
        BufferedImage img = TinyCaptioner.images(4, 1).get(0);
        byte[] png = png(img);
        Path file = Files.write(dir.resolve("b.png"), png);
        DecodingOptions nBest = DecodingOptions.builder().optBeamSize(3).optNBest(3).optMaxLength(12).build();
        Caption expected = captioner.caption(img, nBest);
        assertThat(expected.alternatives()).as("n-best alternatives prove the options arrived").hasSize(2);

        SameCaption.assertSame(captioner.caption(file, nBest), expected, "path");
        SameCaption.assertSame(captioner.caption(png, nBest), expected, "bytes");
        SameCaption.assertSame(captioner.caption(new ByteArrayInputStream(png), nBest), expected, "stream");
        SameCaption.assertSame(captioner.captionFiles(List.of(file), nBest).get(0), expected, "file list");
    }

    @Test
    void batchedCaptionsEqualOneByOneCaptions() {
        List<BufferedImage> images = TinyCaptioner.images(0, 12);
        List<Caption> batch = captioner.captionAll(images);
        for (int i = 0; i < images.size(); i++) {
            SameCaption.assertSame(batch.get(i), captioner.caption(images.get(i)), "image " + i);
        }
        DecodingOptions beam = DecodingOptions.builder().optBeamSize(3).optNBest(3).optMaxLength(12).build();
        List<Caption> beamBatch = captioner.captionAll(images, beam);
        for (int i = 0; i < images.size(); i++) {
            SameCaption.assertSame(beamBatch.get(i), captioner.caption(images.get(i), beam), "beam image " + i);
        }
    }

    @Test
    void captionFilesBatchesFilesInOrder(@TempDir Path dir) throws IOException {
        List<BufferedImage> images = TinyCaptioner.images(20, 5);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            files.add(Files.write(dir.resolve(i + ".png"), png(images.get(i))));
        }
        List<Caption> fromFiles = captioner.captionFiles(files);
        List<Caption> fromImages = captioner.captionAll(images);
        for (int i = 0; i < images.size(); i++) {
            SameCaption.assertSame(fromFiles.get(i), fromImages.get(i), "file " + i);
        }
    }

    @Test
    void oneCaptionerSharedByTwelveThreadsGivesTheSequentialCaptions() throws Exception {
        List<BufferedImage> images = TinyCaptioner.images(30, 24);
        DecodingOptions beam = DecodingOptions.builder().optBeamSize(2).optMaxLength(12).build();
        List<Caption> expected = new ArrayList<>();
        for (BufferedImage img : images) {
            expected.add(captioner.caption(img, beam));
        }
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<Caption>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<Caption> got = new ArrayList<>();
                    for (int r = 0; r < 3; r++) {
                        for (int i = 0; i < images.size(); i++) {
                            int k = (i + offset) % images.size();
                            got.add(captioner.caption(images.get(k), beam));
                        }
                    }
                    return got;
                }));
            }
            go.countDown();
            for (int t = 0; t < threads; t++) {
                List<Caption> got = futures.get(t).get();
                for (int j = 0; j < got.size(); j++) {
                    int k = (j % images.size() + t) % images.size();
                    SameCaption.assertSame(got.get(j), expected.get(k), "thread " + t + " caption " + j);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenThousandCaptionsLeaveTheNdArrayCountFlat() {
        NDManager system = NDManager.newBaseManager().getParentManager();
        List<BufferedImage> images = TinyCaptioner.thumbnails(0, 250, 32);
        captioner.captionAll(images); // warm-up
        int before = system.getManagedArrays().size();
        int done = 0;
        while (done < 10_000) {
            done += captioner.captionAll(images).size();
        }
        captioner.caption(images.get(0), DecodingOptions.builder().optBeamSize(3).optNBest(2).build());
        assertThat(system.getManagedArrays().size()).isEqualTo(before);
        assertThat(done).isEqualTo(10_000);
    }

    @Test
    void modelViewIsTheEncodersResizeAndCropOfTheImage() {
        BufferedImage image = TinyCaptioner.images(0, 1).get(0);
        BufferedImage wide = new BufferedImage(image.getWidth() * 2, image.getHeight(), BufferedImage.TYPE_INT_RGB);
        wide.getGraphics().drawImage(image, image.getWidth() / 2, 0, null);
        Preprocessing preprocessing = captioner.preprocessing().orElseThrow();
        BufferedImage view = captioner.modelView(wide);
        assertThat(view.getWidth()).isEqualTo(preprocessing.crop());
        assertThat(view.getHeight()).isEqualTo(preprocessing.crop());
        int[] expected = preprocessing.resizeAndCrop(wide);
        int differing = 0;
        for (int i = 0; i < expected.length; i++) {
            if ((view.getRGB(i % view.getWidth(), i / view.getWidth()) & 0xFFFFFF) != expected[i]) {
                differing++;
            }
        }
        assertThat(differing).as("pixels unlike the encoder's input").isZero();
    }

    @Test
    void closeIsIdempotentAndLaterCallsThrowIllegalState() {
        DjlCaptioner c = TinyCaptioner.create(3);
        BufferedImage img = TinyCaptioner.images(0, 1).get(0);
        assertThat(c.caption(img).text()).isNotNull();
        c.close();
        c.close();
        assertThatThrownBy(() -> c.caption(img)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.captionAll(List.of(img))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.modelView(img)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRejectsAVocabularyThatDoesNotFitTheDecoder() {
        try (DjlCaptioner c = TinyCaptioner.create(1)) {
            io.captioner.text.Vocabulary small = io.captioner.text.Vocabulary.builder()
                    .build(List.of(List.of("a", "dog")));
            assertThatThrownBy(() -> DjlCaptioner.builder().setEncoder(c.encoder()).setDecoder(c.decoder())
                    .setVocabulary(small).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vocabulary has 6 tokens but the decoder scores " + c.vocabulary().size());
        }
    }

    @Test
    void builderRejectsAnEncoderWhoseFeatureShapeDiffersFromTheDecodersNamingBoth() {
        try (DjlCaptioner c = TinyCaptioner.create(1);
                io.captioner.models.encoder.BlockEncoder spatial = io.captioner.models.encoder.Encoders.smallCnn().optInputSize(32).optFeatureSize(16).optBaseChannels(4).optEncoderOptions(io.captioner.models.encoder.EncoderOptions.defaults().withSpatialOutput()).build()) {
            assertThatThrownBy(() -> DjlCaptioner.builder().setEncoder(spatial).setDecoder(c.decoder())
                    .setVocabulary(c.vocabulary()).optOwnsModels(false).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("encoder small-cnn gives features of shape [4, 4, 16] (256 floats per image)")
                    .hasMessageContaining("the decoder expects shape [16] (16)");
        }
    }
}
