package io.captioner.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Resolves the {@code device} parameter of the benchmarks ({@code cpu} or {@code gpu}) and
 * explains why the GPU variant is skipped on machines where DJL sees no CUDA device: such a
 * configuration is reported as skipped, never with a time.
 */
public final class Devices {

    /** The {@code device} parameter value for the CPU. */
    public static final String CPU = "cpu";
    /** The {@code device} parameter value for DJL's first CUDA device. */
    public static final String GPU = "gpu";

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
     * Resolves a benchmark's {@code device} parameter in its {@code @Setup}.
     *
     * <p>A {@code gpu} configuration on a machine without one must never report a time, so instead
     * of running no work (which JMH would time) setup fails with {@link #gpuSkipReason()}: JMH then
     * reports that configuration as failed, with the reason, and no score. {@link Suite} does not
     * start such configurations at all and lists them as skipped.
     *
     * @param name {@code cpu} or {@code gpu}
     * @return the device
     * @throws IllegalArgumentException for any other name
     * @throws IllegalStateException when {@code gpu} is asked for and DJL sees no CUDA device
     */
    public static Device resolve(String name) {
        checkName(name);
        if (name.equals(CPU)) {
            return Device.cpu();
        }
        String reason = gpuSkipReason();
        if (reason != null) {
            throw new IllegalStateException(reason + "; this configuration is not run and reports no time");
        }
        return Device.gpu();
    }

    /**
     * Checks a {@code device} parameter value.
     *
     * @param name the value
     * @throws IllegalArgumentException unless it is {@code cpu} or {@code gpu}
     */
    public static void checkName(String name) {
        if (!CPU.equals(name) && !GPU.equals(name)) {
            throw new IllegalArgumentException("device must be cpu or gpu, found '" + name + "'");
        }
    }
}
