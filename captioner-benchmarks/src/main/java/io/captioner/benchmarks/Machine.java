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
     * Returns the 1-minute load average, a hint of how much other work shared the machine.
     *
     * @return the load average, or -1 where unknown
     */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
