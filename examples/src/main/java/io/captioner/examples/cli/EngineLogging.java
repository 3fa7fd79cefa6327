package io.captioner.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Switches the engines' logs (DJL, PyTorch engine, Javalin, Jetty) on for {@code --verbose}.
 *
 * <p>By default the tool's {@code simplelogger.properties} keeps those loggers at {@code warn} or
 * {@code error}. slf4j-simple fixes a logger's level when the logger is created and lets a system
 * property override the file, so {@link #verbose()} sets one system property per logger named in
 * that file, and must run before the first engine class creates its logger: the CLI calls it while
 * parsing the command line, before any command runs. Once called, it holds for the rest of the JVM.
 */
final class EngineLogging {

    /** The configuration file slf4j-simple reads from the class path. */
    static final String CONFIG = "simplelogger.properties";

    /** The prefix of slf4j-simple's per-logger level keys. */
    static final String LOGGER_KEY_PREFIX = "org.slf4j.simpleLogger.log.";

    /** The level that {@code --verbose} gives every engine logger. */
    static final String VERBOSE_LEVEL = "info";

    private EngineLogging() {}

    /**
     * Raises every logger named in {@link #CONFIG} to {@link #VERBOSE_LEVEL}, except those whose
     * level the user set with a {@code -D} system property.
     */
    static void verbose() {
        Properties config = new Properties();
        try (InputStream in = EngineLogging.class.getClassLoader().getResourceAsStream(CONFIG)) {
            if (in == null) {
                return; // no quieting configured, so the engines already log at the default level
            }
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CONFIG + " from the class path", e);
        }
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith(LOGGER_KEY_PREFIX) && System.getProperty(key) == null) {
                System.setProperty(key, VERBOSE_LEVEL);
            }
        }
    }
}
