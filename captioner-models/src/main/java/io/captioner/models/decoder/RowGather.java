package io.captioner.models.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Copies rows of an array by index, differentiably (the gradient adds up over repeated rows). */
final class RowGather {

    private RowGather() {}

    /**
     * Row {@code index[i]} of {@code source} for every i.
     *
     * @param source {@code [I, ...]}
     * @param index {@code [B] int64}, values in {@code [0, I)}
     * @return {@code [B, ...]}, in the manager of {@code source}
     */
    static NDArray rows(NDArray source, NDArray index) {
        Shape shape = source.getShape();
        long rowSize = shape.size() / shape.get(0);
        long rows = index.getShape().get(0);
        NDArray where = index.reshape(rows, 1).broadcast(new Shape(rows, rowSize));
        NDArray gathered = source.reshape(shape.get(0), rowSize).gather(where, 0);
        return shape.dimension() == 2 ? gathered : gathered.reshape(new Shape(rows).addAll(shape.slice(1)));
    }
}
