package io.captioner.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses the Python interpreter that tests use for reference implementations (torch,
 * torchvision, NLTK). Debian installs those packages for {@code /usr/bin/python3}, which is not
 * always the {@code python3} first on PATH (pyenv, virtualenvs), so the choice is explicit.
 */
public final class Python {

    private Python() {}

    /**
     * Returns the interpreter: the system property {@code captioner.python} if set, else
     * {@code /usr/bin/python3} if it exists, else {@code python3} from PATH.
     *
     * @return the command to start Python
     */
    public static String command() {
        String configured = System.getProperty("captioner.python");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
