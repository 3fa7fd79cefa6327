package io.captioner.models.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.CaptionerException;
import io.captioner.testing.Python;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy/.npz format rules: versions, dtypes, byte order, refusals and NumPy interoperability. */
class NpyTest {

    @TempDir Path dir;

    @Test
    void writtenMatrixReadsBackWithShapeAndValues() {
        Path file = dir.resolve("m.npy");
        Npy.writeFloat32(file, new float[][] {{1f, 2f, 3f}, {4f, 5f, -6.5f}});
        NpyArray a = Npy.read(file);
        assertThat(a.dtype()).isEqualTo(NpyDType.FLOAT32);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, -6.5f);
        assertThat(dir.toFile().list()).containsExactly("m.npy");
    }

    @Test
    void headerIsPaddedToSixtyFourBytes() {
        byte[] h = Npy.header(NpyDType.FLOAT32, new long[] {7, 4096});
        assertThat(h.length % 64).isZero();
        assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
    }

    @Test
    void versionTwoAndThreeHeadersAndBigEndianDataAreRead() {
        for (int version : new int[] {2, 3}) {
            byte[] file = npy(version, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                    ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).array());
            NpyArray a = Npy.read(new ByteArrayInputStream(file), "v" + version);
            assertThat(a.toFloatArray()).containsExactly(1.5f, -2f);
        }
    }

    @Test
    void int64AndScalarShapesAreRead() {
        byte[] file = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(42).array());
        NpyArray a = Npy.read(new ByteArrayInputStream(file), "scalar");
        assertThat(a.shape()).isEmpty();
        assertThat(a.toFloatArray()).containsExactly(42f);
    }

    @Test
    void objectDtypeIsRefusedBecauseItNeedsPickle() {
        byte[] file = npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(file), "evil.npy"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("evil.npy: refusing object dtype '|O'");
    }

    @Test
    void structuredDtypeIsRefused() {
        byte[] file = npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(file), "s.npy"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("s.npy: unsupported dtype [('a'");
    }

    @Test
    void fortranOrderIsRefused() {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new byte[4]);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(file), "f.npy"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("f.npy: fortran_order True is not supported");
    }

    @Test
    void truncatedDataIsReportedWithExpectedAndFoundBytes() {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[10]);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(file), "t.npy"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("t.npy: truncated .npy data: shape (2, 2) needs 16 bytes, found 10");
    }

    @Test
    void wrongMagicIsReported() {
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream("PK\3\4abcdefgh".getBytes(StandardCharsets.ISO_8859_1)),
                "x.npy"))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("x.npy: not a .npy file");
    }

    @Test
    void nonZipArchiveIsReported() throws IOException {
        Path file = Files.writeString(dir.resolve("w.npz"), "not a zip");
        assertThatThrownBy(() -> NpzReader.open(file))
                .isInstanceOf(CaptionerException.class)
                .hasMessageContaining("w.npz: not a .npz (zip) archive");
    }

    @Test
    void numpyWrittenFilesAreRead() throws Exception {
        String script = "import numpy as np, sys\n"
                + "d = sys.argv[1]\n"
                + "np.save(d + '/a.npy', np.arange(6, dtype=np.float64).reshape(2, 3) / 4)\n"
                + "np.savez_compressed(d + '/b.npz', w=np.ones((3, 1), np.float32), n=np.array(7, np.int64))\n";
        Python.assumeModules("numpy");
        Process p = new ProcessBuilder(Python.command(), "-c", script, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("numpy script finished").isTrue();
        assertThat(p.exitValue()).as("numpy script exit code; output: %s", out).isZero();

        NpyArray a = Npy.read(dir.resolve("a.npy"));
        assertThat(a.dtype()).isEqualTo(NpyDType.FLOAT64);
        assertThat(a.toFloatArray()).containsExactly(0f, .25f, .5f, .75f, 1f, 1.25f);
        try (NpzReader z = NpzReader.open(dir.resolve("b.npz"))) {
            assertThat(z.keys()).containsExactlyInAnyOrder("w", "n");
            assertThat(z.read("w").shape()).containsExactly(3, 1);
            assertThat(z.read("n").toFloatArray()).containsExactly(7f);
        }
    }

    static byte[] npy(int version, String dict, byte[] data) {
        String header = dict + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        if (version == 1) {
            out.write(h.length & 0xFF);
            out.write(h.length >> 8);
        } else {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }
}
