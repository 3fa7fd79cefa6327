package io.captioner.models.npy;

import io.captioner.CaptionerException;
import io.captioner.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) without pickle.
 *
 * <p>The header is NumPy's Python-literal dict {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }}. Accepted descrs are {@code f4 f8 i4 i8 u1 b1} in either byte order; object
 * ({@code O}) and structured dtypes and Fortran-ordered arrays are refused with a
 * {@link CaptionerException} that names the file, the rule and the value found. A shape is checked
 * before anything is allocated: at most 2 GiB per array and no more than the file holds after its
 * header. All methods are stateless and thread-safe.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int INITIAL_DATA_BUFFER = 64 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern DESCR_ANY = Pattern.compile("'descr'\\s*:\\s*([^,}]*)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Reads a whole {@code .npy} file.
     *
     * @param file the file
     * @return the array, data in a direct little-endian buffer
     * @throws CaptionerException if the file cannot be read or is not a supported {@code .npy}
     */
    public static NpyArray read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        } catch (IOException e) {
            throw new CaptionerException(file + ": cannot read .npy file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one {@code .npy} array from a stream (which is not closed).
     *
     * @param in the stream positioned at the magic string
     * @param name the file or archive entry name used in error messages
     * @return the array, data in a direct little-endian buffer
     * @throws CaptionerException if the bytes are not a supported {@code .npy} or are truncated
     */
    public static NpyArray read(InputStream in, String name) {
        return read(in, name, -1);
    }

    /**
     * Reads one {@code .npy} array from a stream whose length may be known.
     *
     * @param in the stream positioned at the magic string; not closed
     * @param name the file or archive entry name used in error messages
     * @param streamBytes how many bytes the stream holds (a file's length or a zip entry's
     *     declared size), or -1 if unknown; a header declaring more data than that is refused
     *     before any allocation. Either way the data buffer starts at most 64 MiB and grows only
     *     as bytes arrive
     * @return the array
     * @throws CaptionerException if the bytes are not a supported {@code .npy} or are truncated
     */
    static NpyArray read(InputStream in, String name, long streamBytes) {
        try {
            DataInputStream din = new DataInputStream(in);
            byte[] magic = new byte[MAGIC.length];
            readFully(din, magic, name, "magic string");
            for (int i = 0; i < MAGIC.length; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new CaptionerException(name + ": not a .npy file: expected magic \\x93NUMPY, found "
                            + printable(magic));
                }
            }
            int major = din.readUnsignedByte();
            int minor = din.readUnsignedByte();
            long headerLen;
            if (major == 1) {
                headerLen = din.readUnsignedByte() | (din.readUnsignedByte() << 8);
            } else if (major == 2 || major == 3) {
                byte[] b = new byte[4];
                readFully(din, b, name, "header length");
                headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            } else {
                throw new CaptionerException(name + ": unsupported .npy format version " + major + "." + minor
                        + " (supported: 1.0, 2.0, 3.0)");
            }
            if (headerLen > MAX_HEADER) {
                throw new CaptionerException(name + ": .npy header length " + headerLen + " exceeds " + MAX_HEADER);
            }
            byte[] hb = new byte[(int) headerLen];
            readFully(din, hb, name, "header");
            String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            long headerBytes = MAGIC.length + 2 + (major == 1 ? 2 : 4) + headerLen;
            return readData(din, name, header, streamBytes < 0 ? -1 : Math.max(0, streamBytes - headerBytes));
        } catch (EOFException e) {
            throw new CaptionerException(name + ": truncated .npy file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptionerException(name + ": cannot read .npy data: " + e.getMessage(), e);
        }
    }

    private static NpyArray readData(DataInputStream din, String name, String header, long available)
            throws IOException {
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            Matcher any = DESCR_ANY.matcher(header);
            String found = any.find() ? any.group(1).trim() : header.trim();
            throw new CaptionerException(name + ": unsupported dtype " + found
                    + " (structured dtypes are not supported; use a plain numeric array)");
        }
        String descr = d.group(1);
        if (descr.length() < 2) {
            throw new CaptionerException(name + ": malformed dtype descr '" + descr + "'");
        }
        char order = descr.charAt(0);
        String body = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        if (body.startsWith("O")) {
            throw new CaptionerException(name + ": refusing object dtype '" + descr
                    + "': object arrays need pickle, which could run code");
        }
        NpyDType dtype = null;
        if (body.length() >= 2 && body.substring(1).chars().allMatch(Character::isDigit)) {
            String digits = body.substring(1);
            dtype = digits.length() > 2 ? null : NpyDType.of(body.charAt(0), Integer.parseInt(digits));
        }
        if (dtype == null) {
            throw new CaptionerException(name + ": unsupported dtype '" + descr
                    + "' (supported: <f4, <f8, <i4, <i8, |u1, |b1)");
        }
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new CaptionerException(name + ": .npy header has no 'fortran_order': " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new CaptionerException(name + ": fortran_order True is not supported; save a C-ordered array"
                    + " (numpy.ascontiguousarray)");
        }
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new CaptionerException(name + ": .npy header has no 'shape': " + header.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new CaptionerException(name + ": malformed shape dimension '" + p + "' in " + s.group());
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long bytes;
        try {
            bytes = Math.multiplyExact(NpyArray.count(shape), dtype.size());
        } catch (ArithmeticException e) {
            throw new CaptionerException(name + ": shape " + NpyArray.shapeString(shape) + " is too large");
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new CaptionerException(name + ": array of " + bytes + " bytes exceeds the 2 GiB limit per array");
        }
        if (available >= 0 && bytes > available) {
            throw new CaptionerException(name + ": truncated .npy data: shape " + NpyArray.shapeString(shape)
                    + " needs " + bytes + " bytes, but the file holds " + available + " after the header");
        }
        // A zip entry's declared size can lie as well as the header: start at most 64 MiB and
        // grow with the bytes that actually arrive, so no header reserves gigabytes up front.
        ByteBuffer data = ByteBuffer.allocateDirect((int) Math.min(bytes, INITIAL_DATA_BUFFER));
        byte[] chunk = new byte[1 << 16];
        long remaining = bytes;
        while (remaining > 0) {
            int n = din.read(chunk, 0, (int) Math.min(chunk.length, remaining));
            if (n < 0) {
                throw new CaptionerException(name + ": truncated .npy data: shape " + NpyArray.shapeString(shape)
                        + " needs " + bytes + " bytes, found " + (bytes - remaining));
            }
            if (data.remaining() < n) {
                ByteBuffer larger = ByteBuffer.allocateDirect((int) Math.min(bytes, Math.max(
                        (long) data.capacity() * 2, (long) data.position() + n)));
                data.flip();
                larger.put(data);
                data = larger;
            }
            data.put(chunk, 0, n);
            remaining -= n;
        }
        data.flip();
        boolean bigEndian = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
        if (bigEndian && dtype.size() > 1) {
            data = swap(data, dtype.size());
        }
        return new NpyArray(name, dtype, shape, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static ByteBuffer swap(ByteBuffer in, int size) {
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining());
        byte[] item = new byte[size];
        while (in.hasRemaining()) {
            in.get(item);
            for (int i = size - 1; i >= 0; i--) {
                out.put(item[i]);
            }
        }
        out.flip();
        return out;
    }

    /**
     * Writes a float32 matrix as a {@code .npy} file of shape {@code [rows, cols]}, atomically.
     *
     * @param file the destination; parent directories are created
     * @param rows the rows, all of the same length
     * @throws IllegalArgumentException if the rows are ragged
     * @throws CaptionerException if the file cannot be written
     */
    public static void writeFloat32(Path file, float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[Math.multiplyExact(rows.length, cols)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        writeFloat32(file, new long[] {rows.length, cols}, flat);
    }

    /**
     * Writes a float32 array of any shape as a {@code .npy} file (version 1.0, C order), atomically.
     *
     * @param file the destination; parent directories are created
     * @param shape the dimensions
     * @param data the elements in C order; length must equal the product of the shape
     * @throws IllegalArgumentException if the data length does not match the shape
     * @throws CaptionerException if the file cannot be written
     */
    public static void writeFloat32(Path file, long[] shape, float[] data) {
        if (NpyArray.count(shape) != data.length) {
            throw new IllegalArgumentException("shape " + NpyArray.shapeString(shape) + " needs "
                    + NpyArray.count(shape) + " values, got " + data.length);
        }
        AtomicFiles.write(file, out -> {
            try (OutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
                writeFloat32(buffered, shape, data);
            }
        });
    }

    /**
     * Writes a float32 array as {@code .npy} bytes to a stream (which is not closed).
     *
     * @param out the stream
     * @param shape the dimensions
     * @param data the elements in C order
     * @throws IOException if the stream fails
     */
    public static void writeFloat32(OutputStream out, long[] shape, float[] data) throws IOException {
        out.write(header(NpyDType.FLOAT32, shape));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * Writes a version 1.0 {@code .npy} header to a stream (which is not closed), for writers that
     * stream the elements themselves afterwards: exactly the product of {@code shape} elements of
     * {@code dtype}, little-endian, C order.
     *
     * @param out the stream
     * @param dtype the element type
     * @param shape the dimensions
     * @throws IOException if the stream fails
     */
    public static void writeHeader(OutputStream out, NpyDType dtype, long[] shape) throws IOException {
        out.write(header(dtype, shape));
    }

    /**
     * Builds a version 1.0 header (magic, version, length, dict, padding to a multiple of 64 bytes).
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @return the header bytes
     */
    static byte[] header(NpyDType dtype, long[] shape) {
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': "
                + NpyArray.shapeString(shape) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        byte[] h = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return b.array();
    }

    private static void readFully(DataInputStream in, byte[] b, String name, String what) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new CaptionerException(name + ": truncated .npy file: end of data inside the " + what);
        }
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
