package io.captioner.models.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file of named float32 arrays plus string metadata: decoder parameters, optimizer moments,
 * training checkpoints. Immutable once read; values are plain Java arrays (no native memory).
 *
 * <h2>Format</h2>
 *
 * Big-endian {@link DataOutputStream} fields: the UTF string {@code "captioner-arrays"}, int format
 * version (1), UTF kind, int n then n (UTF key, UTF value) metadata pairs, int m then m arrays, each
 * UTF name, int rank, rank longs (dimensions), the values as little-endian float32 bytes; finally
 * the UTF string {@code "end"}, so a truncated file is detected. Files are written atomically.
 *
 * @param kind what the file holds, e.g. {@code "decoder"} or {@code "checkpoint"}
 * @param metadata string key-value pairs, in file order
 * @param arrays named arrays, in file order
 */
public record ParameterFile(String kind, Map<String, String> metadata, Map<String, Tensor> arrays) {

    private static final String MAGIC = "captioner-arrays";
    private static final String END = "end";
    private static final int VERSION = 1;

    /**
     * An array's shape and values, row-major.
     *
     * @param shape the dimensions
     * @param values {@code shape.size()} floats
     */
    public record Tensor(Shape shape, float[] values) {

        /**
         * Checks that the values fill the shape.
         *
         * @param shape see the record description
         * @param values see the record description
         * @throws IllegalArgumentException if they do not
         */
        public Tensor {
            if (shape.size() != values.length) {
                throw new IllegalArgumentException(
                        "shape " + shape + " needs " + shape.size() + " values, found " + values.length);
            }
        }

        /**
         * Copies a float32 NDArray to the Java heap.
         *
         * @param array the source, left open
         * @return its shape and values
         */
        public static Tensor of(NDArray array) {
            NDArray f = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
            Tensor t = new Tensor(array.getShape(), f.toFloatArray());
            if (f != array) {
                f.close();
            }
            return t;
        }

        /**
         * Creates an NDArray holding these values.
         *
         * @param manager the manager that will own it
         * @return a new float32 array
         */
        public NDArray toNDArray(NDManager manager) {
            return manager.create(values, shape);
        }
    }

    /**
     * Makes the maps unmodifiable copies.
     *
     * @param kind see the record description
     * @param metadata see the record description
     * @param arrays see the record description
     * @throws IllegalArgumentException if an argument is null
     */
    public ParameterFile {
        if (kind == null || metadata == null || arrays == null) {
            throw new IllegalArgumentException("kind, metadata and arrays must not be null");
        }
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }

    /**
     * Copies the current values of a block's parameters, keyed by their DJL names.
     *
     * @param parameters the block's parameters (initialised)
     * @param prefix put before every name, e.g. {@code "decoder/"}
     * @param into the map to add to
     */
    public static void collect(PairList<String, Parameter> parameters, String prefix, Map<String, Tensor> into) {
        for (Pair<String, Parameter> p : parameters) {
            into.put(prefix + p.getKey(), Tensor.of(p.getValue().getArray()));
        }
    }

    /**
     * Replaces the values of a block's parameters with those stored under their names. Every
     * parameter must be present with exactly its current shape. Each parameter keeps its NDArray
     * object (and manager); its gradient flag is set to {@code requiresGradient}, except for
     * parameters that never take gradients (such as batch-norm running statistics).
     *
     * @param parameters the block's initialised parameters
     * @param prefix the name prefix used by {@link #collect}
     * @param source the file name, for error messages
     * @param requiresGradient whether the parameters should take part in training afterwards
     * @throws CaptionerException naming the file, the parameter and the mismatch
     */
    public void restore(PairList<String, Parameter> parameters, String prefix, Path source,
            boolean requiresGradient) {
        for (Pair<String, Parameter> p : parameters) {
            String name = prefix + p.getKey();
            Tensor t = arrays.get(name);
            NDArray target = p.getValue().getArray();
            if (t == null) {
                throw new CaptionerException(source + ": parameter " + name
                        + " is missing; the file holds " + arrays.keySet());
            }
            if (!t.shape().equals(target.getShape())) {
                throw new CaptionerException(source + ": parameter " + name + " must have shape "
                        + target.getShape() + " to match the model, found " + t.shape());
            }
            // Copy into the parameter's own storage: intern() would adopt a tensor whose memory is
            // a Java buffer that the garbage collector may free, leaving the parameter dangling.
            NDArrayCopy.copyInto(target, java.nio.FloatBuffer.wrap(t.values()));
            target.setRequiresGradient(requiresGradient && p.getValue().requiresGradient());
        }
    }

    /**
     * Replaces the values of all of a block's parameters (no prefix) and checks that the file holds
     * no others, so a file of another architecture cannot load partly.
     *
     * @param parameters the block's initialised parameters
     * @param source the file name, for error messages
     * @param requiresGradient whether the parameters should take part in training afterwards
     * @throws CaptionerException naming the file, the parameter and the mismatch
     */
    public void restoreAll(PairList<String, Parameter> parameters, Path source, boolean requiresGradient) {
        restore(parameters, "", source, requiresGradient);
        if (arrays.size() != parameters.size()) {
            throw new CaptionerException(source + ": holds " + arrays.size() + " parameters, the model has "
                    + parameters.size());
        }
    }

    /**
     * Writes this file atomically (temporary file, then rename).
     *
     * @param file the target
     * @throws CaptionerException naming the file if writing fails
     */
    public void write(Path file) {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(arrays.size());
            for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                long[] dims = e.getValue().shape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
                float[] v = e.getValue().values();
                ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                out.write(buf.array());
            }
            out.writeUTF(END);
            out.flush();
        });
    }

    /**
     * Reads only the kind of a file written by {@link #write(Path)}, without its arrays.
     *
     * @param file the file
     * @return its kind
     * @throws CaptionerException naming the file if it is missing or not in this format
     */
    public static String readKind(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 10))) {
            return readHeader(in, file);
        } catch (NoSuchFileException e) {
            throw new CaptionerException(file + ": file not found", e);
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readHeader(DataInputStream in, Path file) throws IOException {
        String magic = readUtf(in, file);
        if (!MAGIC.equals(magic)) {
            throw new CaptionerException(file + ": not a captioner array file (expected header \""
                    + MAGIC + "\", found \"" + abbreviate(magic) + "\")");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new CaptionerException(file + ": unsupported format version " + version
                    + " (this build reads version " + VERSION + ")");
        }
        return in.readUTF();
    }

    /**
     * Reads a file written by {@link #write(Path)}.
     *
     * @param file the file
     * @param expectedKind the kind the caller needs
     * @return its content
     * @throws CaptionerException naming the file if it is missing, truncated, of another kind or
     *     not in this format
     */
    public static ParameterFile read(Path file, String expectedKind) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            String kind = readHeader(in, file);
            if (!kind.equals(expectedKind)) {
                throw new CaptionerException(file + ": holds a " + kind + ", expected a " + expectedKind);
            }
            int n = checkCount(in.readInt(), file, "metadata entries");
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                metadata.put(in.readUTF(), in.readUTF());
            }
            int m = checkCount(in.readInt(), file, "arrays");
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            for (int i = 0; i < m; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new CaptionerException(file + ": array " + name + " has invalid rank " + rank);
                }
                long[] dims = new long[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    dims[d] = in.readLong();
                    if (dims[d] < 0) {
                        throw new CaptionerException(file + ": array " + name + " has negative dimension "
                                + Arrays.toString(dims));
                    }
                    size *= dims[d];
                }
                if (size > Integer.MAX_VALUE / Float.BYTES) {
                    throw new CaptionerException(file + ": array " + name + " is too large: "
                            + Arrays.toString(dims));
                }
                byte[] bytes = new byte[(int) size * Float.BYTES];
                in.readFully(bytes);
                float[] values = new float[(int) size];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
                arrays.put(name, new Tensor(new Shape(dims), values));
            }
            String end = in.readUTF();
            if (!END.equals(end)) {
                throw new CaptionerException(file + ": missing end marker after " + m + " arrays");
            }
            if (in.read() != -1) {
                throw new CaptionerException(file + ": unexpected bytes after the end marker");
            }
            return new ParameterFile(kind, metadata, arrays);
        } catch (NoSuchFileException e) {
            throw new CaptionerException("Parameter file not found: " + file, e);
        } catch (EOFException e) {
            throw new CaptionerException(file + ": truncated (ends before the end marker)", e);
        } catch (IOException e) {
            throw new CaptionerException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readUtf(DataInputStream in, Path file) throws IOException {
        try {
            return in.readUTF();
        } catch (java.io.UTFDataFormatException e) {
            throw new CaptionerException(file + ": not a captioner array file (bad header)", e);
        }
    }

    private static int checkCount(int count, Path file, String what) {
        if (count < 0 || count > 1_000_000) {
            throw new CaptionerException(file + ": invalid number of " + what + ": " + count);
        }
        return count;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
