package io.captioner.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Python interpreter that tests use for reference implementations (torch, torchvision, NumPy,
 * Pillow, NLTK), and the one check that skips a test when the interpreter or a module is missing.
 *
 * <p>Debian installs those packages for {@code /usr/bin/python3}, which is not always the
 * {@code python3} first on PATH (pyenv, virtualenvs), so the choice is explicit. Thread-safe: each
 * set of modules is probed once per JVM.
 */
public final class Python {

    /** Debian packages of the modules the tests import, by top-level module name. */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.of(
            "torch", "python3-torch",
            "torchvision", "python3-torchvision",
            "numpy", "python3-numpy",
            "PIL", "python3-pil",
            "nltk", "python3-nltk");

    /** Imports each module named in argv; prints "version" lines for those found, "missing" lines for the others. */
    private static final String PROBE = String.join("\n",
            "import importlib, sys",
            "for name in sys.argv[1:]:",
            "    try:",
            "        m = importlib.import_module(name)",
            "        print('version\\t' + name + '\\t' + str(getattr(m, '__version__', '')))",
            "    except Exception as e:",
            "        print('missing\\t' + name + '\\t' + type(e).__name__ + ': ' + str(e).replace('\\n', ' '))");

    private static final long PROBE_TIMEOUT_SECONDS = 120;

    /** Why each probed set of modules is unusable ("" when usable). */
    private static final Map<List<String>, String> PROBED = new ConcurrentHashMap<>();

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

    /**
     * Skips the calling test (a JUnit assumption) unless {@link #command()} runs and imports every
     * module. The skip message, also printed on stdout the first time, names the interpreter, each
     * missing module with Python's error, and the Debian packages that provide them; when all are
     * present, their versions are printed once instead. Call it from a test, a
     * {@code @BeforeEach} or a {@code @BeforeAll} method.
     *
     * @param modules importable module names, e.g. {@code "torch"}, {@code "PIL.ImageCms"}
     */
    public static void assumeModules(String... modules) {
        if (modules.length == 0) {
            throw new IllegalArgumentException("name at least one module to import");
        }
        String reason = PROBED.computeIfAbsent(List.of(modules), Python::probe);
        assumeTrue(reason.isEmpty(), reason);
    }

    private static String probe(List<String> modules) {
        List<String> cmd = new ArrayList<>(List.of(command(), "-c", PROBE));
        cmd.addAll(modules);
        String reason;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                reason = command() + " did not import " + modules + " within " + PROBE_TIMEOUT_SECONDS + " s";
            } else {
                reason = reasonFrom(modules, p.exitValue(), out);
            }
        } catch (IOException e) {
            reason = "Python not found: cannot run " + command() + " (" + e.getMessage() + "); install python3 and "
                    + String.join(" ", packages(modules));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted while probing " + command() + " for " + modules;
        }
        if (!reason.isEmpty()) {
            System.out.println("SKIPPED (Python reference): " + reason);
        }
        return reason;
    }

    private static String reasonFrom(List<String> modules, int exitCode, String out) {
        List<String> missing = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\t", 3); // a module without __version__ ends its line with a tab
            if (f.length == 3 && f[0].equals("missing")) {
                missing.add(f[1]);
                errors.add(f[1] + ": " + f[2]);
            } else if (f.length == 3 && f[0].equals("version")) {
                versions.add(f[1] + (f[2].isEmpty() ? "" : " " + f[2]));
            }
        }
        if (exitCode != 0 || missing.isEmpty() && versions.size() != modules.size()) {
            return command() + " failed (exit " + exitCode + ") probing " + modules + ": " + out.strip();
        }
        if (!missing.isEmpty()) {
            return command() + " cannot import " + String.join(", ", missing) + " (install Debian "
                    + String.join(" ", packages(missing)) + "): " + String.join("; ", errors);
        }
        System.out.println("Python reference: " + command() + " with " + String.join(", ", versions));
        return "";
    }

    private static Set<String> packages(List<String> modules) {
        Set<String> packages = new LinkedHashSet<>();
        for (String module : modules) {
            String top = module.split("\\.", 2)[0];
            packages.add(DEBIAN_PACKAGES.getOrDefault(top, "python3-" + top.toLowerCase(Locale.ROOT)));
        }
        return packages;
    }
}
