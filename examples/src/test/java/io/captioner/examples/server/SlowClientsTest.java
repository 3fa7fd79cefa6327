package io.captioner.examples.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowClientsTest {

    @Test
    void refusesTargetsOffThisMachine() {
        assertThatThrownBy(() -> SlowClients.builder().setTarget(URI.create("http://192.0.2.1:8080")).setCount(1)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback")
                .hasMessageContaining("192.0.2.1");
    }

    @Test
    void refusesSourcesOffThisMachine() throws Exception {
        List<InetAddress> sources = List.of(InetAddress.getByName("192.0.2.9"));

        assertThatThrownBy(() -> SlowClients.builder().setTarget(URI.create("http://127.0.0.1:8080")).setCount(1)
                .optSources(sources).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sources").hasMessageContaining("192.0.2.9");
    }

    @Test
    void countIsBoundedToKeepFileDescriptorsInBudget() {
        assertThatThrownBy(() -> SlowClients.builder().setTarget(URI.create("http://127.0.0.1:8080")).setCount(5000)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count")
                .hasMessageContaining("5000");
        assertThatThrownBy(() -> SlowClients.builder().setTarget(URI.create("http://127.0.0.1:8080")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }
}
