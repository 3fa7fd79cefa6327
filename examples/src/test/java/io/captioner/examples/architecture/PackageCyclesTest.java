package io.captioner.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.captioner.Captioner;
import io.captioner.examples.cli.CaptionerCli;
import io.captioner.models.DjlCaptioner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules checked on the built classes: no dependency cycle between the project's
 * packages (as {@code jdeps} sees them), and no {@code main} method in the library modules.
 */
class PackageCyclesTest {

    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.captioner[\\w.]*)\\s+->\\s+(io\\.captioner[\\w.]*)\\s");

    @Test
    void noCycleBetweenProjectPackagesInAnyModule() throws Exception {
        Map<String, Set<String>> graph = packageGraph(location(Captioner.class), location(DjlCaptioner.class),
                location(CaptionerCli.class));
        assertThat(graph).as("jdeps must report project packages").containsKey("io.captioner.models.train");
        assertThat(cycles(graph)).as("package cycles").isEmpty();
    }

    @Test
    void cycleDetectionFindsACycleWhenThereIsOne() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c"));
        graph.put("c", Set.of("a", "d"));
        assertThat(cycles(graph)).containsExactly(new TreeSet<>(List.of("a", "b", "c")));
    }

    @Test
    void libraryModulesHaveNoMainMethod() throws Exception {
        for (Path root : List.of(location(Captioner.class), location(DjlCaptioner.class))) {
            List<String> mains = new ArrayList<>();
            for (String name : classNames(root)) {
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals("main") && Modifier.isStatic(m.getModifiers())
                            && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String[].class) {
                        mains.add(name);
                    }
                }
            }
            assertThat(mains).as("classes with main in " + root).isEmpty();
        }
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> classNames(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("-"))
                        .forEach(p -> out.add(root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "")));
            }
        } else {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.toFile())) {
                jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.endsWith(".class") && n.startsWith("io/captioner/") && !n.contains("-"))
                        .forEach(n -> out.add(n.replace('/', '.').replaceAll("\\.class$", "")));
            }
        }
        return out;
    }

    private static Map<String, Set<String>> packageGraph(Path... roots) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not available in this JDK"));
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-e", "io\\.captioner.*"));
        for (Path r : roots) {
            args.add(r.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
        assertThat(code).as("jdeps exit code; stderr: " + err).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return graph;
    }

    /** Strongly connected components with more than one package (Tarjan). */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
