package io.captioner.models.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.captioner.CaptionerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks the rebuilt architectures against torchvision's state_dict (keys and shapes) and outputs. */
class TorchvisionNetworkTest {

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(TorchvisionArch.class)
    void parameterKeysAreExactlyTorchvisionStateDictKeysInOrder(TorchvisionArch arch) throws IOException {
        Map<String, long[]> torchvision = TestNpz.torchvisionKeys(arch);
        ParameterTable table = TorchvisionNetwork.create(arch).parameters();

        Set<String> ours = new LinkedHashSet<>(table.parameters().keySet());
        ours.addAll(table.ignoredKeys());
        assertThat(ours).containsExactlyInAnyOrderElementsOf(torchvision.keySet());
        List<String> loadable = new ArrayList<>(torchvision.keySet());
        loadable.removeAll(table.ignoredKeys());
        assertThat(new ArrayList<>(table.parameters().keySet())).isEqualTo(loadable);
        assertThat(table.ignoredKeys()).allMatch(k -> k.endsWith(".num_batches_tracked"));
    }

    @ParameterizedTest
    @EnumSource(TorchvisionArch.class)
    void parameterShapesEqualTorchvisionShapes(TorchvisionArch arch) throws IOException {
        Map<String, long[]> torchvision = TestNpz.torchvisionKeys(arch);
        TorchvisionNetwork net = TorchvisionNetwork.create(arch);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            for (Map.Entry<String, Parameter> e : net.parameters().parameters().entrySet()) {
                assertThat(e.getValue().getArray().getShape().getShape())
                        .as(e.getKey()).isEqualTo(torchvision.get(e.getKey()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TorchvisionArch.class)
    void forwardGivesVectorSpatialMapAndLogits(TorchvisionArch arch) {
        TorchvisionNetwork net = TorchvisionNetwork.create(arch);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            NDList out = net.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(2, 3, 224, 224))), false);
            int s = arch.spatialSize();
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, arch.featureSize()));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, arch.spatialChannels(), s, s));
            assertThat(out.get(2).getShape()).isEqualTo(new Shape(2, 1000));
        }
    }

    @Test
    void weightsWithOneWrongShapeAreRejectedNamingParameterAndShapes() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>(TestNpz.torchvisionKeys(TorchvisionArch.RESNET50));
        shapes.put("layer2.1.conv2.weight", new long[] {128, 128, 1, 1});
        Path npz = dir.resolve("wrong.npz");
        TestNpz.writeConstant(npz, shapes, 0.01f);
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.RESNET50);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            assertThatThrownBy(() -> WeightsLoader.load(npz, net.parameters()))
                    .isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("wrong.npz")
                    .hasMessageContaining("'layer2.1.conv2.weight' expected shape (128, 128, 3, 3), found (128, 128, 1, 1)");
        }
    }

    @Test
    void weightsWithMissingAndUnexpectedKeysAreRejectedNamingThem() throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>(TestNpz.torchvisionKeys(TorchvisionArch.RESNET50));
        shapes.remove("fc.bias");
        shapes.put("layer5.0.conv1.weight", new long[] {1});
        Path npz = dir.resolve("keys.npz");
        TestNpz.writeConstant(npz, shapes, 0f);
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.RESNET50);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            assertThatThrownBy(() -> WeightsLoader.load(npz, net.parameters()))
                    .isInstanceOf(CaptionerException.class)
                    .hasMessageContaining("1 missing key(s) [fc.bias]")
                    .hasMessageContaining("1 unexpected key(s) [layer5.0.conv1.weight]");
        }
    }

    @Test
    void loadedWeightsReachTheParameters() throws IOException {
        Path npz = dir.resolve("const.npz");
        TestNpz.writeConstant(npz, TestNpz.torchvisionKeys(TorchvisionArch.RESNET50), 0.25f);
        TorchvisionNetwork net = TorchvisionNetwork.create(TorchvisionArch.RESNET50);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            net.initialize(manager);
            WeightsLoader.load(npz, net.parameters());
            for (String key : List.of("conv1.weight", "bn1.running_var", "layer4.2.bn3.bias", "fc.weight")) {
                float[] values = net.parameters().parameters().get(key).getArray().toFloatArray();
                assertThat(values).as(key).containsOnly(0.25f);
            }
        }
    }
}
