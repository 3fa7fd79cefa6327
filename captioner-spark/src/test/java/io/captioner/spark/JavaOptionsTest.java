package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 options of the module's POM (surefire's argLine; run.sh reads the same list) cover
 * Spark's own list, so that a Spark upgrade that needs another one fails here rather than in a
 * user's embedded run.
 */
class JavaOptionsTest {

    /** Left out on purpose: it only prints a warning about incubator modules (see the POM). */
    private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    @Test
    void testJvmHasEverySparkJavaOptionButTheVectorModule() {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> spark = Arrays.stream(JavaModuleOptions.defaultModuleOptionArray())
                .filter(o -> !o.equals(VECTOR_MODULE)).toList();

        assertThat(spark).isNotEmpty().anyMatch(o -> o.startsWith("--add-opens="));
        assertThat(jvm).containsAll(spark);
    }
}
