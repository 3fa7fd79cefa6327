package io.captioner.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import io.captioner.data.EncodedCaptions;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.decoder.AttentionDecoderConfig;
import io.captioner.models.decoder.DecoderConfig;
import io.captioner.models.decoder.ImageInjection;
import io.captioner.models.decoder.LstmCaptionDecoder;
import io.captioner.models.internal.ParameterFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static TrainingConfig.Builder quick() {
        return TrainingConfig.builder().optEpochs(6).optBatchSize(8).optLearningRate(0.01).optPatience(0)
                .optSeed(7);
    }

    private static Trainer.Builder trainer(Path dir, DecoderConfig dc, TrainingConfig tc) {
        return Trainer.builder().setDecoder(dc).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir, tc));
    }

    /** A listener that runs a callback at the end of every epoch. */
    private static TrainingListener onEpoch(java.util.function.Consumer<EpochResult> callback) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context, EpochResult result) {
                callback.accept(result);
            }
        };
    }

    @Test
    void trainingLossFallsOnATinyLearnableProblem(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        TrainingResult r = trainer(dir, dc, quick().build()).build()
                .fit(TinyProblem.data(48, 1), TinyProblem.data(16, 2));
        List<EpochResult> h = r.history();
        assertThat(h).hasSize(6);
        assertThat(h.get(5).trainLoss()).isLessThan(h.get(0).trainLoss() * 0.6);
        assertThat(h.get(5).valLoss()).isLessThan(h.get(0).valLoss());
    }

    /**
     * Grouped batches hand the attention decoder each image once with the image of every row; the
     * tiny problem's eight values are read as a 2x2 map of two channels.
     */
    @Test
    void attentionDecoderLearnsFromBatchesWhoseRowsShareImages(@TempDir Path dir) {
        AttentionDecoderConfig spec = AttentionDecoderConfig.builder().setVocabularySize(TinyProblem.V)
                .setFeatureShape(2, 2, 2).optAttentionSize(8).optEmbeddingSize(16).optHiddenSize(32)
                .optDropout(0.1).optAttentionPenalty(0.1).build();
        float[][] train = TinyProblem.features(48, 1);
        float[][] dev = TinyProblem.features(16, 2);
        TrainingConfig tc = quick().optGroupByImage(true).build();
        TrainingResult r = Trainer.builder().setDecoder(spec).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir, tc)).build()
                .fit(new CaptionData(FeatureSource.cached(train, 2, 2, 2), TinyProblem.captions(train)),
                        new CaptionData(FeatureSource.cached(dev, 2, 2, 2), TinyProblem.captions(dev)));
        List<EpochResult> h = r.history();
        assertThat(h.get(5).trainLoss()).isLessThan(h.get(0).trainLoss() * 0.6);
        assertThat(h.get(5).valLoss()).isLessThan(h.get(0).valLoss());
    }

    @Test
    void ndArrayCountDoesNotGrowEpochOverEpoch(@TempDir Path dir) {
        NDManager system = NDManager.newBaseManager().getParentManager();
        List<Integer> counts = new ArrayList<>();
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.INIT_STATE, 0.2);
        int before = system.getManagedArrays().size();
        trainer(dir, dc, quick().optEpochs(4).build())
                .optMetric(new FakeMetric(new double[] {0.1, 0.2, 0.3, 0.4}))
                .addListeners(onEpoch(e -> counts.add(system.getManagedArrays().size())))
                .build().fit(TinyProblem.data(24, 1), TinyProblem.data(8, 2));
        assertThat(counts).hasSize(4);
        assertThat(counts).allMatch(c -> c.equals(counts.get(0)), "equal to the count after epoch 1 " + counts);
        assertThat(system.getManagedArrays()).hasSize(before);
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameParametersAsAnUninterruptedRun(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.3);
        TrainingConfig tc = quick().optEpochs(4).optSchedule(LearningRateSchedule.COSINE).build();
        CaptionData train = TinyProblem.data(24, 1);
        CaptionData dev = TinyProblem.data(8, 2);
        Path straight = dir.resolve("straight");
        trainer(straight, dc, tc).build().fit(train, dev);

        Path interrupted = dir.resolve("interrupted");
        assertThatThrownBy(() -> trainer(interrupted, dc, tc).addListeners(onEpoch(e -> {
            if (e.epoch() == 2) {
                throw new IllegalStateException("simulated crash");
            }
        })).build().fit(train, dev)).hasMessageContaining("simulated crash");
        TrainingResult resumed = trainer(interrupted, dc, tc).build().resume(train, dev);
        assertThat(resumed.history()).extracting(EpochResult::epoch).containsExactly(1, 2, 3, 4);

        ParameterFile a = ParameterFile.read(straight.resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        ParameterFile b = ParameterFile.read(interrupted.resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        assertThat(b.arrays().keySet()).isEqualTo(a.arrays().keySet());
        for (Map.Entry<String, ParameterFile.Tensor> e : a.arrays().entrySet()) {
            assertThat(b.arrays().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
        }
        assertThat(b.metadata().get("state")).isEqualTo(a.metadata().get("state"));
    }

    @Test
    void resumeAfterTwoEpochsDiffersFromAFreshStartSoTheComparisonCanFail(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.3);
        CaptionData train = TinyProblem.data(24, 1);
        CaptionData dev = TinyProblem.data(8, 2);
        trainer(dir.resolve("a"), dc, quick().optEpochs(2).build()).build().fit(train, dev);
        trainer(dir.resolve("b"), dc, quick().optEpochs(2).optSeed(8).build()).build().fit(train, dev);
        ParameterFile a = ParameterFile.read(dir.resolve("a").resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        ParameterFile b = ParameterFile.read(dir.resolve("b").resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        String key = a.arrays().keySet().iterator().next();
        assertThat(b.arrays().get(key).values()).isNotEqualTo(a.arrays().get(key).values());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsDecoder(@TempDir Path dir) throws IOException {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.0);
        List<float[]> firstEpochOutputs = new ArrayList<>();
        float[][] probe = TinyProblem.features(2, 99);
        ValidationMetric metric = new FakeMetric(new double[] {0.5, 0.4, 0.3, 0.2, 0.1}) {
            @Override
            public double evaluate(CaptionDecoder decoder, float[][] f, EncodedCaptions refs) {
                if (firstEpochOutputs.isEmpty()) {
                    firstEpochOutputs.add(firstStep(decoder, probe));
                }
                return super.evaluate(decoder, f, refs);
            }
        };
        TrainingResult r = trainer(dir, dc, quick().optEpochs(6).optPatience(2).build()).optMetric(metric)
                .build().fit(TinyProblem.data(24, 1), TinyProblem.data(8, 2));
        assertThat(r.history()).hasSize(3);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.bestEpoch()).isEqualTo(1);
        assertThat(r.bestScore()).isEqualTo(0.5);
        try (LstmCaptionDecoder best = LstmCaptionDecoder.load(r.bestDecoder(), dc)) {
            assertThat(firstStep(best, probe)).containsExactly(firstEpochOutputs.get(0));
        }
        List<String> log = Files.readAllLines(dir.resolve(TrainingLog.FILE_NAME));
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).startsWith("{\"epoch\":1,").contains("\"train_loss\":", "\"val_loss\":",
                "\"metric\":\"fake\"", "\"val_metric\":0.5", "\"lr\":0.01", "\"seconds\":", "\"best\":true");
        assertThat(log.get(1)).contains("\"best\":false");
    }

    private static float[] firstStep(CaptionDecoder decoder, float[][] features) {
        try (var s = decoder.start(features)) {
            CaptionDecoder.Step step = decoder.step(s, new int[] {1, 1});
            step.state().close();
            return step.logProbs()[0];
        }
    }

    @Test
    void trainableEncoderParametersJoinTheOptimiser(@TempDir Path dir) {
        Shape imageShape = new Shape(1, 4, 4);
        float[][] raw = TinyProblem.features(24, 5);
        float[][] images = new float[raw.length][16];
        for (int i = 0; i < raw.length; i++) {
            for (int j = 0; j < 16; j++) {
                images[i][j] = raw[i][j % TinyProblem.D];
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock encoder = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(TinyProblem.D).build());
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape));
            float[] before = encoder.getParameters().get(0).getValue().getArray().toFloatArray();
            FeatureSource source = FeatureSource.trainableEncoder(encoder, images, imageShape, TinyProblem.D);
            CaptionData train = new CaptionData(source, TinyProblem.captions(raw));
            DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.INIT_STATE, 0.0);
            TrainingResult r = trainer(dir, dc, quick().optEpochs(2).build()).build().fit(train, train);
            float[] after = encoder.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat(after).isNotEqualTo(before);
            assertThat(r.bestEncoder()).exists();
            ParameterFile saved = ParameterFile.read(r.bestEncoder(), BlockEncoder.PARAMETER_FILE_KIND);
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                assertThat(saved.arrays()).containsKey(p.getKey());
            }
        }
    }

    private static SequentialBlock smallEncoder(NDManager manager, Shape imageShape) {
        SequentialBlock encoder = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(TinyProblem.D).build());
        ai.djl.engine.Engine.getInstance().setRandomSeed(3);
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape));
        return encoder;
    }

    @Test
    void resumingEndToEndTrainingRestoresEncoderWeightsAndBatchNormStatistics(@TempDir Path dir) {
        Shape imageShape = new Shape(1, 4, 4);
        float[][] raw = TinyProblem.features(16, 5);
        float[][] images = new float[raw.length][16];
        for (int i = 0; i < raw.length; i++) {
            for (int j = 0; j < 16; j++) {
                images[i][j] = raw[i][j % TinyProblem.D];
            }
        }
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.INIT_STATE, 0.2);
        TrainingConfig tc = quick().optEpochs(2).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            CaptionData straight = new CaptionData(FeatureSource.trainableEncoder(smallEncoder(manager, imageShape),
                    images, imageShape, TinyProblem.D), TinyProblem.captions(raw));
            trainer(dir.resolve("a"), dc, tc).build().fit(straight, straight);

            CaptionData first = new CaptionData(FeatureSource.trainableEncoder(smallEncoder(manager, imageShape),
                    images, imageShape, TinyProblem.D), TinyProblem.captions(raw));
            assertThatThrownBy(() -> trainer(dir.resolve("b"), dc, tc).addListeners(onEpoch(e -> {
                throw new IllegalStateException("stop");
            })).build().fit(first, first)).hasMessage("stop");
            CaptionData second = new CaptionData(FeatureSource.trainableEncoder(smallEncoder(manager, imageShape),
                    images, imageShape, TinyProblem.D), TinyProblem.captions(raw));
            trainer(dir.resolve("b"), dc, tc).build().resume(second, second);
        }
        ParameterFile a = ParameterFile.read(dir.resolve("a").resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        ParameterFile b = ParameterFile.read(dir.resolve("b").resolve(CheckpointListener.CHECKPOINT), CheckpointListener.CHECKPOINT_KIND);
        assertThat(a.arrays().keySet()).anyMatch(k -> k.startsWith("encoder/") && k.contains("runningMean"));
        for (Map.Entry<String, ParameterFile.Tensor> e : a.arrays().entrySet()) {
            assertThat(b.arrays().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
        }
    }

    @Test
    void groupedBatchesRequestEachImageOnceWithAllItsCaptions(@TempDir Path dir) {
        float[][] f = TinyProblem.features(10, 4);
        List<int[]> requests = new ArrayList<>();
        FeatureSource cached = FeatureSource.cached(f);
        FeatureSource recording = new FeatureSource() {
            @Override
            public int size() {
                return cached.size();
            }

            @Override
            public int[] featureShape() {
                return cached.featureShape();
            }

            @Override
            public ai.djl.ndarray.NDArray features(ai.djl.training.ParameterStore ps, NDManager m, int[] images,
                    boolean training) {
                if (training) {
                    requests.add(images.clone());
                }
                return cached.features(ps, m, images, training);
            }

            @Override
            public ai.djl.util.PairList<String, Parameter> trainableParameters() {
                return cached.trainableParameters();
            }
        };
        CaptionData data = new CaptionData(recording, TinyProblem.captions(f));
        TrainingResult r = trainer(dir, TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0),
                quick().optEpochs(2).optBatchSize(3).optGroupByImage(true).build()).build().fit(data, data);
        assertThat(r.history()).hasSize(2);
        assertThat(requests).hasSize(2 * 4); // 10 images in batches of 3 images: 4 steps per epoch
        for (int[] req : requests) {
            assertThat(req).doesNotHaveDuplicates();
            assertThat(req.length).isBetween(1, 3);
        }
        int[] firstEpoch = requests.subList(0, 4).stream().flatMapToInt(java.util.Arrays::stream).sorted().toArray();
        assertThat(firstEpoch).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void captionIdOutsideTheVocabularyIsRejectedWithItsPosition(@TempDir Path dir) {
        float[][] f = TinyProblem.features(2, 1);
        CaptionData bad = new CaptionData(FeatureSource.cached(f),
                EncodedCaptions.of(List.of(List.of(new int[] {4, 5}), List.of(new int[] {4, TinyProblem.V}))));
        assertThatThrownBy(() -> trainer(dir, TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0), quick().build())
                        .build().fit(bad, bad))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("train captions[1][0][1]").hasMessageContaining(Integer.toString(TinyProblem.V));
        assertThat(dir.resolve(CheckpointListener.CHECKPOINT)).doesNotExist();
    }

    @Test
    void featureSizeMismatchIsRejected(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0).toBuilder().setFeatureSize(9).build();
        assertThatThrownBy(() -> trainer(dir, dc, quick().build()).build()
                        .fit(TinyProblem.data(4, 1), TinyProblem.data(4, 2)))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("train features have shape [8]").hasMessageContaining("reads [9]");
    }

    @Test
    void resumeWithoutACheckpointOrWithAnotherConfigurationFails(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0);
        CaptionData data = TinyProblem.data(8, 1);
        assertThatThrownBy(() -> trainer(dir, dc, quick().build()).build().resume(data, data))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("no checkpoint");
        trainer(dir, dc, quick().optEpochs(1).build()).build().fit(data, data);
        assertThatThrownBy(() -> trainer(dir, dc, quick().optEpochs(1).optBatchSize(4).build()).build()
                        .resume(data, data))
                .isInstanceOf(CaptionerException.class).hasMessageContaining("cannot resume with")
                .hasMessageContaining("batchSize=4");
    }

    @Test
    void withoutListenersTheLoopStillTrainsButWritesNoFiles(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        TrainingResult r = Trainer.builder().setDecoder(dc).setTrainingConfig(quick().optEpochs(2).build()).build()
                .fit(TinyProblem.data(16, 1), TinyProblem.data(8, 2));
        assertThat(r.history()).hasSize(2);
        assertThat(r.bestDecoder()).isNull();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void listenersAreCalledInOrderForEveryBatchAndEpoch() {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        List<String> calls = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainingBegin(TrainingContext context) {
                calls.add("begin");
            }

            @Override
            public void onEpochBegin(TrainingContext context, int epoch, int batches) {
                calls.add("epoch " + epoch + " of " + batches + " batches");
            }

            @Override
            public void onTrainingBatch(TrainingContext context, BatchResult batch) {
                calls.add("batch " + batch.epoch() + "." + batch.batch());
            }

            @Override
            public void onEpochEnd(TrainingContext context, EpochResult result) {
                calls.add("end " + result.epoch() + " history " + context.history().size());
            }

            @Override
            public void onTrainingEnd(TrainingContext context, TrainingResult result) {
                calls.add("done " + result.history().size());
            }
        };
        Trainer.builder().setDecoder(dc).setTrainingConfig(quick().optEpochs(2).optBatchSize(16).build())
                .addListeners(recorder).build().fit(TinyProblem.data(16, 1), TinyProblem.data(8, 2));
        // 16 images x 2 captions = 32 pairs in batches of 16
        assertThat(calls).containsExactly("begin", "epoch 1 of 2 batches", "batch 1.1", "batch 1.2",
                "end 1 history 1", "epoch 2 of 2 batches", "batch 2.1", "batch 2.2", "end 2 history 2", "done 2");
    }

    @Test
    void aCustomListenerCanStopTrainingAndTheResultSaysSo() {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        TrainingResult r = Trainer.builder().setDecoder(dc).setTrainingConfig(quick().optEpochs(5).build())
                .addListeners(onEpochStop(2)).build().fit(TinyProblem.data(16, 1), TinyProblem.data(8, 2));
        assertThat(r.history()).hasSize(2);
        assertThat(r.stoppedEarly()).isTrue();
    }

    private static TrainingListener onEpochStop(int epoch) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context, EpochResult result) {
                if (result.epoch() == epoch) {
                    context.requestStop();
                }
            }
        };
    }

    @Test
    void divergenceCheckStopsBeforeTheUpdateThatWouldUseANonFiniteLoss() {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        AtomicInteger batchesSeen = new AtomicInteger();
        TrainingListener poison = new TrainingListener() {
            @Override
            public void onTrainingBatch(TrainingContext context, BatchResult batch) {
                batchesSeen.incrementAndGet();
            }
        };
        DivergenceCheck check = new DivergenceCheck();
        assertThatThrownBy(() -> check.onTrainingBatch(null, new BatchResult(3, 7, 9, 0.01, Double.NaN, 10, 1.0)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("epoch 3, batch 7").hasMessageContaining("NaN").hasMessageContaining("0.01");
        check.onTrainingBatch(null, new BatchResult(1, 1, 1, 0.01, 2.5, 10, 2.5));
        Trainer.builder().setDecoder(dc).setTrainingConfig(quick().optEpochs(1).build())
                .addListeners(check, poison).build().fit(TinyProblem.data(16, 1), TinyProblem.data(8, 2));
        assertThat(batchesSeen.get()).isEqualTo(4);
    }

    @Test
    void earlyStoppingCountsEpochsSinceTheBestFromTheHistory() {
        assertThatThrownBy(() -> new EarlyStopping(0)).hasMessageContaining("patience must be at least 1, found 0");
    }

    @Test
    void checkpointStateIsTypedJsonNotLooseStrings(@TempDir Path dir) {
        DecoderConfig dc = TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0.1);
        TrainingConfig tc = quick().optEpochs(2).build();
        trainer(dir, dc, tc).build().fit(TinyProblem.data(16, 1), TinyProblem.data(8, 2));
        ParameterFile cp = ParameterFile.read(dir.resolve(CheckpointListener.CHECKPOINT),
                CheckpointListener.CHECKPOINT_KIND);
        CheckpointListener.State state = new com.google.gson.Gson().fromJson(cp.metadata().get("state"),
                CheckpointListener.State.class);
        assertThat(state.trainingConfig()).isEqualTo(tc);
        assertThat(state.completedEpochs()).isEqualTo(2);
        assertThat(state.decoderType()).isEqualTo("show-and-tell-lstm");
        assertThat(state.optimizerSteps()).isEqualTo(2 * 4);
        assertThat(cp.metadata()).containsKeys("history.0", "history.1").doesNotContainKey("adam.t");
    }

    /** The tiny problem's vectors spread over a 2x2 map, strongest at one location per image. */
    private static CaptionData spatial(int n, long seed) {
        float[][] f = TinyProblem.features(n, seed);
        float[][] maps = new float[n][4 * TinyProblem.D];
        for (int i = 0; i < n; i++) {
            int where = i % 4;
            for (int l = 0; l < 4; l++) {
                for (int d = 0; d < TinyProblem.D; d++) {
                    maps[i][l * TinyProblem.D + d] = l == where ? f[i][d] : 0.1f * f[i][d];
                }
            }
        }
        return new CaptionData(FeatureSource.cached(maps, 2, 2, TinyProblem.D), TinyProblem.captions(f));
    }

    private static io.captioner.models.decoder.AttentionDecoderConfig attention() {
        return io.captioner.models.decoder.AttentionDecoderConfig.builder().setVocabularySize(TinyProblem.V)
                .setFeatureShape(2, 2, TinyProblem.D).optAttentionSize(8).optEmbeddingSize(8).optHiddenSize(16)
                .optDropout(0.1).optAttentionPenalty(0.1).build();
    }

    @Test
    void theSameLoopTrainsTheAttentionDecoderAndItsLossFalls(@TempDir Path dir) {
        TrainingConfig tc = quick().optEpochs(5).build();
        TrainingResult r = Trainer.builder().setDecoder(attention()).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir, tc)).build().fit(spatial(32, 1), spatial(8, 2));
        assertThat(r.history()).hasSize(5);
        assertThat(r.history().get(4).trainLoss()).isLessThan(r.history().get(0).trainLoss() * 0.8);
        try (CaptionDecoder best = io.captioner.models.decoder.DecoderType.ofFile(r.bestDecoder())
                .load(r.bestDecoder(), attention())) {
            assertThat(best.hasAttention()).isTrue();
            assertThat(best.featureShape()).containsExactly(2, 2, TinyProblem.D);
        }
    }

    @Test
    void resumingAnAttentionRunGivesTheSameParametersAsAnUninterruptedOne(@TempDir Path dir) {
        TrainingConfig tc = quick().optEpochs(3).build();
        CaptionData train = spatial(16, 1);
        CaptionData dev = spatial(8, 2);
        Trainer.builder().setDecoder(attention()).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir.resolve("a"), tc)).build().fit(train, dev);
        assertThatThrownBy(() -> Trainer.builder().setDecoder(attention()).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir.resolve("b"), tc)).addListeners(onEpoch(e -> {
                    if (e.epoch() == 2) {
                        throw new IllegalStateException("crash");
                    }
                })).build().fit(train, dev)).hasMessage("crash");
        Trainer.builder().setDecoder(attention()).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir.resolve("b"), tc)).build().resume(train, dev);
        ParameterFile a = ParameterFile.read(dir.resolve("a").resolve(CheckpointListener.CHECKPOINT),
                CheckpointListener.CHECKPOINT_KIND);
        ParameterFile b = ParameterFile.read(dir.resolve("b").resolve(CheckpointListener.CHECKPOINT),
                CheckpointListener.CHECKPOINT_KIND);
        assertThat(a.arrays().keySet()).anyMatch(k -> k.startsWith("decoder/"));
        for (Map.Entry<String, ParameterFile.Tensor> e : a.arrays().entrySet()) {
            assertThat(b.arrays().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
        }
    }

    @Test
    void aCheckpointOfAnotherDecoderTypeIsRefused(@TempDir Path dir) {
        TrainingConfig tc = quick().optEpochs(1).build();
        CaptionData data = TinyProblem.data(8, 1);
        trainer(dir, TinyProblem.decoderConfig(ImageInjection.FIRST_INPUT, 0), tc).build().fit(data, data);
        assertThatThrownBy(() -> Trainer.builder().setDecoder(attention()).setTrainingConfig(tc)
                .addListeners(TrainingListeners.standard(dir, tc)).build().resume(spatial(8, 1), spatial(8, 1)))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("decoder type show-and-tell-lstm").hasMessageContaining("show-attend-tell");
    }

    /** Returns preset scores, one per epoch. */
    static class FakeMetric implements ValidationMetric {
        private final double[] scores;
        private int calls;

        FakeMetric(double[] scores) {
            this.scores = scores;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public double evaluate(CaptionDecoder decoder, float[][] features, EncodedCaptions references) {
            assertThat(features.length).isEqualTo(references.size());
            return scores[calls++];
        }
    }
}
