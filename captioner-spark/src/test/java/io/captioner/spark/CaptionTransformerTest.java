package io.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captioner.data.synthetic.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML transformer: inside a Pipeline, saved and loaded back, its output column and its checks. */
@Tag("slow")
class CaptionTransformerTest {

    private static final SyntheticDataset DATA = SyntheticDataset.builder().optImages(24).optImageSize(64)
            .optSeed(5).build();

    @TempDir static Path dir;
    static SparkSession spark;
    static Path model;
    static Dataset<Row> files;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkSessions.local2();
        model = TestData.tinyModel(dir.resolve("model.zip"), DATA);
        Path images = TestData.images(dir.resolve("dataset"), DATA);
        Files.writeString(images.resolve("notes.txt"), "not an image");
        files = SparkJobs.images(spark, images.toString());
    }

    private static CaptionTransformer transformer() {
        return new CaptionTransformer().setModelUri(model.toString()).setBeamSize(3).setNBest(2).setBatchSize(5)
                .setOutputCol("described");
    }

    /** caption struct by file name. */
    private static Map<String, Row> captions(Dataset<Row> out, String column) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : out.select(SparkJobs.imageId(out.col("path")).as("id"), out.col(column)).collectAsList()) {
            m.put(r.getString(0), r.getStruct(1));
        }
        return m;
    }

    @Test
    void pipelineWithTheTransformerSavesAndLoadsBackToTheSameCaptions() throws IOException {
        SQLTransformer select = new SQLTransformer().setStatement("SELECT path, content AS image FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {select, transformer().setInputCol("image")});
        PipelineModel fitted = pipeline.fit(files);
        Map<String, Row> before = captions(fitted.transform(files), "described");
        Path saved = dir.resolve("pipeline");

        fitted.write().overwrite().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());

        Transformer stage = loaded.stages()[1];
        assertThat(stage).isInstanceOf(CaptionTransformer.class);
        CaptionTransformer t = (CaptionTransformer) stage;
        assertThat(t.getOrDefault(t.modelUri())).isEqualTo(model.toString());
        assertThat(t.getOrDefault(t.beamSize())).isEqualTo(3);
        assertThat(t.getOrDefault(t.inputCol())).isEqualTo("image");
        Map<String, Row> after = captions(loaded.transform(files), "described");
        assertThat(after).hasSize(DATA.images() + 1);
        TestData.assertSameRows(after, before);
    }


    @Test
    void transformerAloneSavesAndLoadsWithItsParams() throws IOException {
        CaptionTransformer original = transformer().setMaxLength(7);
        Path saved = dir.resolve("transformer");

        original.save(saved.toString());
        CaptionTransformer loaded = CaptionTransformer.load(saved.toString());

        assertThat(loaded.uid()).isEqualTo(original.uid());
        assertThat(loaded.getOrDefault(loaded.maxLength())).isEqualTo(7);
        assertThat(loaded.getOrDefault(loaded.nBest())).isEqualTo(2);
        assertThat(loaded.getOrDefault(loaded.batchSize())).isEqualTo(5);
        assertThat(loaded.isSet(loaded.beamSize())).isTrue();
    }

    @Test
    void outputColumnHoldsCaptionScoreTokensAlternativesAndErrors() {
        Map<String, Row> out = captions(transformer().transform(files), "described");

        Row good = out.get("synth_000000.png");
        assertThat(good.getString(good.fieldIndex("caption"))).isNotBlank();
        assertThat(good.getList(good.fieldIndex("tokens"))).isNotEmpty();
        assertThat(good.getList(good.fieldIndex("alternatives"))).hasSize(1);
        assertThat(good.isNullAt(good.fieldIndex("error"))).isTrue();
        Row bad = out.get("notes.txt");
        assertThat(bad.getString(bad.fieldIndex("error"))).contains("notes.txt", "not a supported image format");
        assertThat(bad.isNullAt(bad.fieldIndex("caption"))).isTrue();
    }

    @Test
    void schemaGainsTheStructColumn() {
        assertThat(transformer().transformSchema(files.schema()).apply("described").dataType())
                .isEqualTo(CaptionTransformer.captionType());
    }

    @Test
    void missingInputColumnIsRefusedNamingIt() {
        assertThatThrownBy(() -> transformer().setInputCol("bytes").transformSchema(files.schema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input column 'bytes' not found");
    }

    @Test
    void nonBinaryInputColumnIsRefused() {
        assertThatThrownBy(() -> transformer().setInputCol("path").transformSchema(files.schema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input column 'path' must be binary (encoded image bytes), found string");
    }

    @Test
    void existingOutputColumnIsRefused() {
        assertThatThrownBy(() -> transformer().setOutputCol("length").transformSchema(files.schema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output column 'length' already exists");
    }

    @Test
    void nBestAboveTheBeamIsRefused() {
        assertThatThrownBy(() -> transformer().setBeamSize(2).setNBest(3).transformSchema(files.schema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nBest (3) must not exceed beamSize (2)");
    }

    @Test
    void missingModelUriIsRefused() {
        assertThatThrownBy(() -> new CaptionTransformer().transformSchema(files.schema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param modelUri is required");
    }

    @Test
    void invalidParamValueIsRefusedBySpark() {
        assertThatThrownBy(() -> new CaptionTransformer().setBatchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
    }

    /**
     * The shipped file must outlive this class: the session is shared, and Spark checks an added
     * file against its source whenever an executor fetches it again, in any later test.
     */
    @Test
    void modelShippedWithAddFileIsFoundByItsFileName() throws IOException {
        Path keep = Files.createTempDirectory("captioner-spark-shipped");
        Path shipped = Files.copy(model, keep.resolve("shipped-model.zip"));
        shipped.toFile().deleteOnExit();
        keep.toFile().deleteOnExit();
        spark.sparkContext().addFile(shipped.toString());

        Dataset<Row> out = new CaptionTransformer().setModelUri("shipped-model.zip").transform(files.limit(2));

        assertThat(out.collectAsList()).hasSize(2).allSatisfy(r -> assertThat(r.getStruct(r.fieldIndex("caption"))
                .isNullAt(0)).isFalse());
    }

    @Test
    void pytorchGetsAsManyThreadsAsATaskHasCores() {
        transformer().transform(files.limit(1)).collectAsList();

        assertThat(System.getProperty(TorchThreads.NUM_THREADS))
                .isEqualTo(spark.sparkContext().getConf().get("spark.task.cpus", "1"));
        assertThat(System.getProperty(TorchThreads.NUM_INTEROP_THREADS)).isEqualTo("1");
    }

    @Test
    void binaryColumnOfAnyDataFrameIsCaptioned() throws IOException {
        byte[] png = Files.readAllBytes(dir.resolve("dataset").resolve(SyntheticDataset.IMAGES_DIR)
                .resolve("synth_000001.png"));
        Dataset<Row> df = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(png)),
                new org.apache.spark.sql.types.StructType().add("bytes", DataTypes.BinaryType));

        List<Row> out = new CaptionTransformer().setModelUri(model.toString()).setInputCol("bytes")
                .transform(df).collectAsList();

        assertThat(out.get(0).getStruct(1).getString(0)).isNotBlank();
    }
}
