package io.captioner.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Describes the machine a run happened on, for the results files. */
public final class Machine {

    private Machine() {}

    /**
     * Returns the CPU model name from {@code /proc/cpuinfo} (as {@code lscpu} shows it).
     *
     * @return the model name, or the {@code os.arch} property where {@code /proc} is missing
     */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    /**
     * Returns the CPU flags that decide which kernels can be fast here (vector widths, FMA,
     * bfloat16 and int8 dot-product instructions, AMX), as {@code /proc/cpuinfo} lists them; every
     * figure of issue 20 is reported with the CPU it ran on.
     *
     * @return the flags present, in a fixed order; empty where {@code /proc} is missing
     */
    public static com.google.gson.JsonArray relevantCpuFlags() {
        String[] wanted = {"avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_bf16",
            "amx_int8"};
        com.google.gson.JsonArray out = new com.google.gson.JsonArray();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    java.util.Set<String> flags = new java.util.HashSet<>(
                            java.util.Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    for (String f : wanted) {
                        if (flags.contains(f)) {
                            out.add(f);
                        }
                    }
                    break;
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to report
        }
        return out;
    }

    /**
     * Returns the 1-minute load average, a hint of how much other work shared the machine.
     *
     * @return the load average, or -1 where unknown
     */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
