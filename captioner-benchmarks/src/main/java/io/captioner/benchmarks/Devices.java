package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Resolves the {@code device} parameter of the benchmarks ({@code cpu} or {@code gpu}) and
 * explains why the GPU variant is skipped on machines where DJL sees no CUDA device.
 */
public final class Devices {

    private Devices() {}

    /**
     * Returns the number of CUDA devices DJL's default engine sees.
     *
     * @return 0 on CPU-only machines or with DJL's CPU build of PyTorch
     */
    public static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    /**
     * Returns why the {@code gpu} variant cannot run here, or null if it can.
     *
     * @return a sentence naming the engine and its version, or null
     */
    public static String gpuSkipReason() {
        if (gpuCount() > 0) {
            return null;
        }
        Engine engine = Engine.getInstance();
        return "device=gpu skipped: DJL engine " + engine.getEngineName() + " " + engine.getVersion()
                + " sees no CUDA device (no NVIDIA driver, or the CPU build of the native library is on"
                + " the class path; see the module README for running with DJL's CUDA build)";
    }

    /**
     * Resolves a device parameter.
     *
     * @param name {@code cpu} or {@code gpu}
     * @return the device, or null when {@code gpu} is asked for and none exists (the reason is
     *     printed to standard error)
     * @throws IllegalArgumentException for any other name
     */
    public static Device resolve(String name) {
        switch (name) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                String reason = gpuSkipReason();
                if (reason != null) {
                    System.err.println("[captioner-benchmarks] " + reason
                            + "; this variant does no work and its score is not a measurement");
                    return null;
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException("device must be cpu or gpu, found '" + name + "'");
        }
    }
}
