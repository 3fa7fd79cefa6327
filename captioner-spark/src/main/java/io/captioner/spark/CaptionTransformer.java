package io.captioner.spark;

import io.captioner.CaptionerException;
import io.captioner.models.DjlCaptioner;
import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that captions the images of a binary column: it adds a struct
 * column {@code outputCol} holding {@code caption} (string), {@code score} (double, the caption's
 * total natural-log probability), {@code tokens} (array of strings), {@code alternatives} (array of
 * structs {@code caption}, {@code score}, {@code tokens}: the other n-best captions, empty unless
 * {@code nBest} &gt; 1) and {@code error} (string). A row whose bytes are missing, corrupt,
 * truncated, not an image or too large (over 50 megapixels) gets {@code error} set and null
 * caption fields, and the job carries on.
 *
 * <p>Params: {@code modelUri} (required: a saved model artifact, directory or {@code .zip}, as a
 * path on every node, a file shipped with {@code --files}, or an {@code hdfs://}/{@code s3a://}
 * URI that the transformer ships itself), {@code inputCol} (default {@code content}, as Spark's
 * {@code binaryFile} source names it), {@code outputCol} (default {@code caption}),
 * {@code beamSize}, {@code nBest} and {@code maxLength} (default: the model's saved decoding
 * options; a beam size sets beam search, as {@code captioner caption --beam} does) and
 * {@code batchSize} (images per {@code captionAll} call and per encoder pass, default 16). If the
 * input has a string column {@code path}, error messages name each row by it.
 *
 * <p>{@link #transform} loads the model on the driver first, so an unreadable artifact fails
 * before any task starts, naming it. Tasks then share one {@link io.captioner.Captioner} per
 * executor JVM, loaded lazily, and caption each partition in batches of {@code batchSize}; PyTorch
 * runs {@code spark.task.cpus} threads per task. Saved and loaded with Spark ML's persistence
 * ({@link #write()}, {@link #load(String)}, inside a {@code Pipeline} too); the model itself is not
 * copied, only its location.
 */
public final class CaptionTransformer extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    /** The default {@code batchSize}. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private static final DefaultParamsReadable<CaptionTransformer> READABLE = new DefaultParamsReadable<>() {};

    private final String uid;
    private final Param<String> modelUri;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final IntParam beamSize;
    private final IntParam nBest;
    private final IntParam maxLength;
    private final IntParam batchSize;

    /** Creates a transformer with a random uid and the default params. */
    public CaptionTransformer() {
        this(Identifiable.randomUID("captionTransformer"));
    }

    /**
     * Creates a transformer with the given uid (Spark ML's persistence calls this).
     *
     * @param uid the stage's unique id
     */
    public CaptionTransformer(String uid) {
        // Params take their parent's uid when created, so it is set first.
        this.uid = uid;
        modelUri = new Param<>(this, "modelUri", "the model artifact (directory or .zip): a path on every node,"
                + " a file shipped with --files, or a Hadoop URI");
        inputCol = new Param<>(this, "inputCol", "the binary column of encoded images");
        outputCol = new Param<>(this, "outputCol", "the struct column of captions to add");
        beamSize = new IntParam(this, "beamSize", "beam width (default: the model's decoding)", ParamValidators.gtEq(1));
        nBest = new IntParam(this, "nBest", "captions per image, at most beamSize (default: 1)", ParamValidators.gtEq(1));
        maxLength = new IntParam(this, "maxLength", "most words per caption (default: the model's)",
                ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "images per captionAll call", ParamValidators.gtEq(1));
        setDefault(inputCol, "content");
        setDefault(outputCol, "caption");
        setDefault(batchSize, DEFAULT_BATCH_SIZE);
    }

    /**
     * Returns the reader that Spark ML's persistence uses to load a saved transformer.
     *
     * @return the reader
     */
    public static MLReader<CaptionTransformer> read() {
        return READABLE.read();
    }

    /**
     * Loads a transformer saved with {@code write().save(path)}.
     *
     * @param path where it was saved (any Hadoop path)
     * @return the transformer with its saved params
     */
    public static CaptionTransformer load(String path) {
        return READABLE.load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * Returns the {@code modelUri} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public Param<String> modelUri() {
        return modelUri;
    }

    /**
     * Returns the {@code inputCol} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * Returns the {@code outputCol} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public Param<String> outputCol() {
        return outputCol;
    }

    /**
     * Returns the {@code beamSize} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public IntParam beamSize() {
        return beamSize;
    }

    /**
     * Returns the {@code nBest} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public IntParam nBest() {
        return nBest;
    }

    /**
     * Returns the {@code maxLength} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public IntParam maxLength() {
        return maxLength;
    }

    /**
     * Returns the {@code batchSize} param, for Spark ML's param maps.
     *
     * @return the param
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * Sets the model artifact (required).
     *
     * @param value a path on every node, a file name shipped with {@code --files}, or a Hadoop URI
     * @return this transformer
     */
    public CaptionTransformer setModelUri(String value) {
        set(modelUri, value);
        return this;
    }

    /**
     * Sets the binary column of encoded images (default {@code content}).
     *
     * @param value the column name
     * @return this transformer
     */
    public CaptionTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * Sets the name of the struct column to add (default {@code caption}).
     *
     * @param value the column name; must not exist in the input
     * @return this transformer
     */
    public CaptionTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /**
     * Sets the beam width; beam search (default: the model's decoding).
     *
     * @param value at least 1
     * @return this transformer
     */
    public CaptionTransformer setBeamSize(int value) {
        set(beamSize, value);
        return this;
    }

    /**
     * Sets the number of captions per image (default 1); more than one needs a beam at least as wide.
     *
     * @param value at least 1
     * @return this transformer
     */
    public CaptionTransformer setNBest(int value) {
        set(nBest, value);
        return this;
    }

    /**
     * Sets the most words per caption (default: the model's).
     *
     * @param value at least 1
     * @return this transformer
     */
    public CaptionTransformer setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    /**
     * Sets the images per {@code captionAll} call and per encoder pass (default {@value
     * #DEFAULT_BATCH_SIZE}); memory per task grows with it.
     *
     * @param value at least 1
     * @return this transformer
     */
    public CaptionTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * Returns the type of the output column.
     *
     * @return {@code struct<caption, score, tokens, alternatives, error>}
     */
    public static StructType captionType() {
        ArrayType words = DataTypes.createArrayType(DataTypes.StringType, false);
        StructType alternative = new StructType(new StructField[] {
            DataTypes.createStructField("caption", DataTypes.StringType, false),
            DataTypes.createStructField("score", DataTypes.DoubleType, false),
            DataTypes.createStructField("tokens", words, false)
        });
        return new StructType(new StructField[] {
            DataTypes.createStructField("caption", DataTypes.StringType, true),
            DataTypes.createStructField("score", DataTypes.DoubleType, true),
            DataTypes.createStructField("tokens", words, true),
            DataTypes.createStructField("alternatives", DataTypes.createArrayType(alternative, false), true),
            DataTypes.createStructField("error", DataTypes.StringType, true)
        });
    }

    /**
     * Checks the input schema and returns the output schema: the input plus {@code outputCol}.
     *
     * @param schema the input schema
     * @return the output schema
     * @throws IllegalArgumentException if {@code modelUri} is unset, {@code inputCol} is missing or
     *     not binary, {@code outputCol} exists, or {@code nBest} exceeds {@code beamSize}
     */
    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelUri)) {
            throw new IllegalArgumentException(uid + ": param modelUri is required (a model artifact directory or .zip)");
        }
        String in = getOrDefault(inputCol);
        String out = getOrDefault(outputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException(uid + ": input column '" + in + "' not found; columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        if (!schema.apply(in).dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException(uid + ": input column '" + in + "' must be binary (encoded image bytes),"
                    + " found " + schema.apply(in).dataType().simpleString());
        }
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException(uid + ": output column '" + out + "' already exists");
        }
        if (isSet(nBest) && isSet(beamSize) && (Integer) getOrDefault(nBest) > (Integer) getOrDefault(beamSize)) {
            throw new IllegalArgumentException(uid + ": nBest (" + getOrDefault(nBest) + ") must not exceed beamSize ("
                    + getOrDefault(beamSize) + ")");
        }
        return schema.add(DataTypes.createStructField(out, captionType(), false));
    }

    /**
     * Adds the captions column. The model is loaded on the driver now (failing fast, naming the
     * artifact); the captioning itself runs when the result is computed.
     *
     * @param dataset any DataFrame with the binary {@code inputCol}
     * @return the input with {@code outputCol} added
     * @throws CaptionerException if the model cannot be found or read
     * @throws IllegalArgumentException if the schema or the params do not fit (see
     *     {@link #transformSchema})
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        CaptionPartition.Decoding decoding = prepare(dataset.sparkSession());
        StructType inSchema = dataset.schema();
        int pathIndex = Arrays.asList(inSchema.fieldNames()).contains("path")
                && inSchema.apply("path").dataType().equals(DataTypes.StringType) ? inSchema.fieldIndex("path") : -1;
        CaptionPartition partition = new CaptionPartition(getOrDefault(modelUri), (Integer) getOrDefault(batchSize),
                decoding, inSchema.fieldIndex(getOrDefault(inputCol)), pathIndex);
        return dataset.toDF().mapPartitions(partition, Encoders.row(outSchema));
    }

    /**
     * Ships the model to the cluster if it is remote, loads it on the driver (this JVM's shared
     * instance, which embedded tasks then use) and checks the decoding params against its defaults.
     *
     * @param spark the session
     * @return the decoding overrides, valid for this model
     * @throws CaptionerException naming the model if it cannot be found or read
     * @throws IllegalArgumentException if the decoding params do not fit the model
     */
    CaptionPartition.Decoding prepare(SparkSession spark) {
        if (!isDefined(modelUri)) {
            throw new IllegalArgumentException(uid + ": param modelUri is required (a model artifact directory or .zip)");
        }
        String model = getOrDefault(modelUri);
        ModelLocation.ship(spark, model);
        int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
        DjlCaptioner captioner = ExecutorModels.captioner(model, (Integer) getOrDefault(batchSize), taskCpus);
        CaptionPartition.Decoding decoding = new CaptionPartition.Decoding(
                isSet(beamSize) ? (Integer) getOrDefault(beamSize) : null,
                isSet(nBest) ? (Integer) getOrDefault(nBest) : null,
                isSet(maxLength) ? (Integer) getOrDefault(maxLength) : null);
        decoding.options(captioner.defaultOptions());
        return decoding;
    }

    @Override
    public CaptionTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public String toString() {
        return "CaptionTransformer[" + uid + ", model=" + (isDefined(modelUri) ? getOrDefault(modelUri) : "unset") + "]";
    }
}
