package io.captioner.spark;

import io.captioner.Caption;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Captions one partition: rows are read in batches of {@code batchSize}, each image is decoded on
 * its own (a bad one becomes an error row), the decoded ones go through one {@code captionAll}
 * call, and the rows come out in input order with the caption struct appended. The partition is
 * never held in memory, only one batch.
 */
final class CaptionPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /**
     * Overrides of the model's decoding options; null fields keep the model's.
     *
     * @param beamSize beam width, or null
     * @param nBest captions per image, or null (then 1)
     * @param maxLength most words, or null
     */
    record Decoding(Integer beamSize, Integer nBest, Integer maxLength) implements Serializable {

        /**
         * Applies the overrides, as {@code captioner caption} does with its options.
         *
         * @param modelDefaults the model's saved options
         * @return the options to caption with
         * @throws IllegalArgumentException if the result is invalid (nBest above the beam width)
         */
        DecodingOptions options(DecodingOptions modelDefaults) {
            DecodingOptions.Builder b = modelDefaults.toBuilder();
            if (beamSize != null) {
                b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(beamSize);
            }
            if (nBest != null) {
                b.optNBest(nBest);
                if (beamSize == null) {
                    b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(Math.max(nBest, modelDefaults.beamSize()));
                }
            } else {
                b.optNBest(1);
            }
            if (maxLength != null) {
                b.optMaxLength(maxLength);
            }
            return b.build();
        }
    }

    private final String model;
    private final int batchSize;
    private final Decoding decoding;
    private final int inputIndex;
    private final int pathIndex;

    /**
     * Creates the function.
     *
     * @param model the model location ({@link ModelLocation})
     * @param batchSize images per {@code captionAll} call
     * @param decoding the decoding overrides
     * @param inputIndex the index of the binary column
     * @param pathIndex the index of a string column naming each row in errors, or -1
     */
    CaptionPartition(String model, int batchSize, Decoding decoding, int inputIndex, int pathIndex) {
        this.model = model;
        this.batchSize = batchSize;
        this.decoding = decoding;
        this.inputIndex = inputIndex;
        this.pathIndex = pathIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        DjlCaptioner captioner = ExecutorModels.captioner(model, batchSize, task == null ? 1 : task.cpus());
        DecodingOptions options = decoding.options(captioner.defaultOptions());
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private long seen;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(caption(captioner, options, batch, seen));
                    seen += batch.size();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> caption(DjlCaptioner captioner, DecodingOptions options, List<Row> batch, long offset) {
        Object[] results = new Object[batch.size()];
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            String name = name(row, offset + i);
            try {
                byte[] bytes = row.isNullAt(inputIndex) ? null : (byte[]) row.get(inputIndex);
                if (bytes == null) {
                    throw new CaptionerException(name + ": no image bytes (null in the input column)");
                }
                images.add(captioner.imageLoader().decode(bytes, name));
                positions.add(i);
            } catch (CaptionerException e) {
                results[i] = e.getMessage();
            }
        }
        List<Caption> captions;
        try {
            captions = captioner.captionAll(images, options);
        } catch (CaptionerException e) {
            // One image the encoder cannot take must not cost the others their captions.
            captions = new ArrayList<>();
            for (int j = 0; j < images.size(); j++) {
                try {
                    captions.add(captioner.caption(images.get(j), options));
                } catch (CaptionerException single) {
                    captions.add(null);
                    results[positions.get(j)] = single.getMessage();
                }
            }
        }
        for (int j = 0; j < positions.size(); j++) {
            if (captions.get(j) != null) {
                results[positions.get(j)] = captions.get(j);
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Row row = batch.get(i);
            Object[] values = new Object[row.length() + 1];
            for (int c = 0; c < row.length(); c++) {
                values[c] = row.get(c);
            }
            values[row.length()] = results[i] instanceof Caption c ? struct(c) : errorStruct((String) results[i]);
            out.add(RowFactory.create(values));
        }
        return out;
    }

    private String name(Row row, long index) {
        if (pathIndex >= 0 && !row.isNullAt(pathIndex)) {
            return row.getString(pathIndex);
        }
        TaskContext task = TaskContext.get();
        return "row " + index + (task == null ? "" : " of partition " + task.partitionId());
    }

    private static Row struct(Caption c) {
        Row[] alternatives = new Row[c.alternatives().size()];
        for (int i = 0; i < alternatives.length; i++) {
            Caption a = c.alternatives().get(i);
            alternatives[i] = RowFactory.create(a.text(), a.logProb(), a.tokens().toArray(new String[0]));
        }
        return RowFactory.create(c.text(), c.logProb(), c.tokens().toArray(new String[0]), alternatives, null);
    }

    private static Row errorStruct(String error) {
        return RowFactory.create(null, null, null, null, error == null ? "no caption" : error);
    }
}
