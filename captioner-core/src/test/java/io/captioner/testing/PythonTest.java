package io.captioner.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PythonTest {

    @Test
    void missingModuleSkipsNamingTheModuleAndItsPackage() {
        assertThatThrownBy(() -> Python.assumeModules("captioner_no_such_module"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("captioner_no_such_module")
                .hasMessageContaining("install")
                .hasMessageContaining("python3-captioner_no_such_module");
    }

    @Test
    void noModulesIsAProgrammingError() {
        assertThatThrownBy(Python::assumeModules).isInstanceOf(IllegalArgumentException.class);
    }
}
