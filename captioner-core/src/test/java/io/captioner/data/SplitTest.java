package io.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing split names typed on a command line. */
class SplitTest {

    @Test
    void parsesNamesCaseInsensitively() {
        assertThat(Split.parse("train")).isEqualTo(Split.TRAIN);
        assertThat(Split.parse(" Dev ")).isEqualTo(Split.DEV);
        assertThat(Split.parse("val")).isEqualTo(Split.DEV);
        assertThat(Split.parse("TEST")).isEqualTo(Split.TEST);
        assertThat(Split.parse("none")).isEqualTo(Split.NONE);
    }

    @Test
    void labelParsesBackToTheSameSplit() {
        for (Split s : Split.values()) {
            assertThat(Split.parse(s.label())).isEqualTo(s);
        }
    }

    @Test
    void unknownNameFailsListingTheAcceptedNames() {
        assertThatThrownBy(() -> Split.parse("validation")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train, dev (or val), test, none").hasMessageContaining("'validation'");
        assertThatThrownBy(() -> Split.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
