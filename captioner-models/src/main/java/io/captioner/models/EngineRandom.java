package io.captioner.models;

import ai.djl.engine.Engine;

/**
 * The one place the library sets the engine's global random generator (PyTorch's), which draws
 * parameter initialisations and dropout masks.
 *
 * <p>The library calls it only where the API says so: {@code Trainer} seeds it from {@code
 * TrainingConfig.seed()} before initialising the decoder and again at the start of every epoch (so
 * an interrupted run resumes exactly); {@code LstmCaptionDecoder.create(config, seed)} before
 * initialising; the training pipeline before building a trainable encoder. Everything else leaves it
 * alone. The generator is process-wide: two threads that train at once disturb each other's
 * streams.
 */
public final class EngineRandom {

    private EngineRandom() {}

    /**
     * Seeds the engine's global random generator. The engine takes a 32-bit seed: the low 32 bits
     * of {@code seed} are used.
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
    }
}
