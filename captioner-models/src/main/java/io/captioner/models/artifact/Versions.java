package io.captioner.models.artifact;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions recorded in a manifest: this SDK's, DJL's and PyTorch's. */
final class Versions {

    private Versions() {}

    static String sdk() {
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    static String djl() {
        return Engine.getDjlVersion();
    }

    static String pytorch() {
        try {
            return Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
