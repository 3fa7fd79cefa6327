package io.captioner.models;

import io.captioner.Caption;
import io.captioner.CaptionDecoder;
import io.captioner.Captioner;
import io.captioner.CaptionerException;
import io.captioner.DecodingOptions;
import io.captioner.ImageEncoder;
import io.captioner.models.encoder.BlockEncoder;
import io.captioner.models.image.ImageLoader;
import io.captioner.models.image.Preprocessing;
import io.captioner.search.CaptionSearch;
import io.captioner.search.SearchResult;
import io.captioner.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link Captioner} of this SDK: an {@link ImageEncoder} turns images into feature vectors, a
 * {@link CaptionSearch} (greedy, beam or sampling, per {@link DecodingOptions}) drives a
 * {@link CaptionDecoder} over them, and the {@link Vocabulary} turns token ids into words. Build
 * one with {@link #builder()}, or open a saved artifact with {@link Captioner#load(Path)} /
 * {@link io.captioner.models.artifact.ModelArtifact#load(Path)}.
 *
 * <p>Batching: {@link #captionAll} and {@link #captionFiles} send all images through the encoder
 * (in its batch size) and decode them together as one batched search.
 *
 * <p>Thread-safety: one instance may be shared by any number of threads, and gives each thread the
 * same captions as sequential use. Everything is shared, nothing is copied per thread: the
 * encoder's and decoder's parameters are read-only during inference; every call creates its own
 * input tensors, decoder states and search (each in its own short-lived {@code NDManager}), so
 * calls never share mutable state; the image loader is immutable. {@link #close()} takes a write
 * lock, so it waits for captions in progress; any call after it throws
 * {@link IllegalStateException}.
 *
 * <p>Ownership: the captioner closes its encoder and decoder when it is closed, unless the builder
 * was told otherwise with {@link Builder#optOwnsModels(boolean)}.
 */
public final class DjlCaptioner implements Captioner {

    /** The most bytes accepted from an {@link InputStream}: 256 MiB. */
    public static final int MAX_STREAM_BYTES = 256 << 20;

    private final ImageEncoder encoder;
    private final CaptionDecoder decoder;
    private final Vocabulary vocabulary;
    private final DecodingOptions defaults;
    private final ImageLoader loader;
    private final boolean ownsModels;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private DjlCaptioner(Builder b) {
        this.encoder = b.encoder;
        this.decoder = b.decoder;
        this.vocabulary = b.vocabulary;
        this.defaults = b.options;
        this.loader = b.loader;
        this.ownsModels = b.ownsModels;
    }

    /**
     * Creates a builder; {@code setEncoder}, {@code setDecoder} and {@code setVocabulary} are
     * required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the encoder.
     *
     * @return the image encoder (owned by this captioner unless configured otherwise)
     */
    public ImageEncoder encoder() {
        return encoder;
    }

    /**
     * Returns the decoder.
     *
     * @return the caption decoder (owned by this captioner unless configured otherwise)
     */
    public CaptionDecoder decoder() {
        return decoder;
    }

    /**
     * Returns the vocabulary.
     *
     * @return the vocabulary whose ids the decoder scores
     */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * Returns the decoding options used when a call does not give its own: those set with
     * {@link Builder#optDecodingOptions}, or an artifact's saved options.
     *
     * @return the default options
     */
    @Override
    public DecodingOptions defaultOptions() {
        return defaults;
    }

    /**
     * Returns the preprocessing the encoder applies to every image, when it is known: that of a
     * {@link BlockEncoder} (every encoder of this library and every loaded artifact).
     *
     * @return the resize, crop and normalisation; empty for an encoder of another kind
     */
    public Optional<Preprocessing> preprocessing() {
        return encoder instanceof BlockEncoder block ? Optional.of(block.preprocessing()) : Optional.empty();
    }

    /**
     * Tells whether the decoder reports attention weights.
     *
     * @return {@link CaptionDecoder#hasAttention()} of the decoder
     */
    @Override
    public boolean hasAttention() {
        return decoder.hasAttention();
    }

    /**
     * Returns the picture the model sees for an image: the image resized and centre-cropped by the
     * encoder's {@link #preprocessing()}, as 8-bit RGB before normalisation. Attention weights
     * ({@link Caption#attention()}) cover exactly this picture. Decode files with {@link
     * #imageLoader()} first, so that EXIF orientation is applied as when captioning.
     *
     * @param image a decoded image, any size and colour model
     * @return a new {@code TYPE_INT_RGB} image of the crop's size; for an encoder of another kind
     *     (no known preprocessing), the image itself
     * @throws IllegalStateException if the captioner is closed
     */
    @Override
    public BufferedImage modelView(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        return preprocessing().map(p -> p.modelView(image)).orElse(image);
    }

    /**
     * Returns the loader that decodes image files and bytes.
     *
     * @return the image loader
     */
    public ImageLoader imageLoader() {
        return loader;
    }

    /**
     * Captions an image file, decoded by {@link #imageLoader()} (EXIF orientation, CMYK JPEG, a
     * pixel limit checked before decoding).
     *
     * @param image path of a JPEG, PNG, GIF or BMP file
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException naming the file if it cannot be read or decoded
     */
    @Override
    public Caption caption(Path image, DecodingOptions options) {
        Objects.requireNonNull(image, "image");
        return caption(loader.load(image), options);
    }

    /**
     * Captions an encoded image held in memory, decoded by {@link #imageLoader()}.
     *
     * @param image the encoded image file's bytes
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException if the bytes are not a supported image
     */
    @Override
    public Caption caption(byte[] image, DecodingOptions options) {
        Objects.requireNonNull(image, "image");
        return caption(loader.decode(image, "image bytes (" + image.length + " bytes)"), options);
    }

    /**
     * Captions an encoded image read from a stream, decoded by {@link #imageLoader()}; the stream
     * is read to its end (at most {@link #MAX_STREAM_BYTES}), not closed.
     *
     * @param image the encoded image bytes
     * @param options how to choose the words
     * @return the caption
     * @throws CaptionerException if the stream cannot be read, is over the limit, or does not hold
     *     a supported image
     */
    @Override
    public Caption caption(InputStream image, DecodingOptions options) {
        Objects.requireNonNull(image, "image");
        byte[] bytes;
        try {
            bytes = image.readNBytes(MAX_STREAM_BYTES + 1);
        } catch (IOException e) {
            throw new CaptionerException("image stream: cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_STREAM_BYTES) {
            throw new CaptionerException("image stream: longer than the limit of " + MAX_STREAM_BYTES + " bytes");
        }
        return caption(loader.decode(bytes, "image stream (" + bytes.length + " bytes)"), options);
    }

    /**
     * Captions several decoded images as one batch: all images go through the encoder (in its
     * batch size), then one batched search decodes them together.
     *
     * @param images the images; none may be null
     * @param options how to choose the words
     * @return one caption per image, in the same order
     * @throws IllegalArgumentException if an image is null
     * @throws IllegalStateException if the captioner is closed
     */
    @Override
    public List<Caption> captionAll(List<BufferedImage> images, DecodingOptions options) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(options, "options");
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new IllegalArgumentException("images[" + i + "] is null");
            }
        }
        if (images.isEmpty()) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            float[][] features = encoder.encode(images);
            List<SearchResult> results = CaptionSearch.of(options).decode(decoder, features);
            List<Caption> captions = new ArrayList<>(results.size());
            for (SearchResult r : results) {
                captions.add(r.toCaption(vocabulary::token));
            }
            return captions;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Captions several image files as one batch, decoded by {@link #imageLoader()}.
     *
     * @param images the image files
     * @param options how to choose the words
     * @return one caption per file, in the same order
     * @throws CaptionerException naming the first file that cannot be read
     * @throws IllegalStateException if the captioner is closed
     */
    @Override
    public List<Caption> captionFiles(List<Path> images, DecodingOptions options) {
        ensureOpen();
        List<BufferedImage> decoded = new ArrayList<>(images.size());
        for (Path p : images) {
            decoded.add(loader.load(p));
        }
        return captionAll(decoded, options);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("captioner is closed");
        }
    }

    /**
     * Releases the encoder and decoder (when owned); waits for captions in progress; calling it
     * again does nothing.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (ownsModels) {
                try {
                    encoder.close();
                } finally {
                    decoder.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "DjlCaptioner[encoder=" + encoder.name() + " (D=" + encoder.featureSize() + "), vocabulary="
                + vocabulary.size() + ", options=" + defaults + "]";
    }

    /** Collects the parts of a {@link DjlCaptioner}; setters may be called in any order. */
    public static final class Builder {
        private ImageEncoder encoder;
        private CaptionDecoder decoder;
        private Vocabulary vocabulary;
        private DecodingOptions options = DecodingOptions.defaults();
        private ImageLoader loader = ImageLoader.standard();
        private boolean ownsModels = true;

        private Builder() {}

        /**
         * Sets the image encoder (required).
         *
         * @param encoder an encoder whose feature shape equals the decoder's
         * @return this builder
         */
        public Builder setEncoder(ImageEncoder encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * Sets the caption decoder (required).
         *
         * @param decoder a decoder scoring {@code vocabulary.size()} token ids
         * @return this builder
         */
        public Builder setDecoder(CaptionDecoder decoder) {
            this.decoder = decoder;
            return this;
        }

        /**
         * Sets the vocabulary (required).
         *
         * @param vocabulary the vocabulary the decoder was trained with
         * @return this builder
         */
        public Builder setVocabulary(Vocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        /**
         * Sets the decoding options used when a call gives none (default: greedy, 20 tokens).
         *
         * @param options the options
         * @return this builder
         */
        public Builder optDecodingOptions(DecodingOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Sets the loader for image files and bytes (default {@link ImageLoader#standard()}).
         *
         * @param loader the loader
         * @return this builder
         */
        public Builder optImageLoader(ImageLoader loader) {
            this.loader = loader;
            return this;
        }

        /**
         * Sets whether {@link DjlCaptioner#close()} closes the encoder and decoder (default true).
         *
         * @param owns false to leave them to the caller
         * @return this builder
         */
        public Builder optOwnsModels(boolean owns) {
            this.ownsModels = owns;
            return this;
        }

        /**
         * Validates the parts and builds the captioner.
         *
         * @return the captioner
         * @throws IllegalArgumentException if a required part is missing, the feature shapes of
         *     encoder and decoder differ (naming both), or the vocabulary does not fit the decoder
         */
        public DjlCaptioner build() {
            if (encoder == null) {
                throw new IllegalArgumentException("encoder is required: call setEncoder");
            }
            if (decoder == null) {
                throw new IllegalArgumentException("decoder is required: call setDecoder");
            }
            if (vocabulary == null) {
                throw new IllegalArgumentException("vocabulary is required: call setVocabulary");
            }
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(loader, "loader");
            int[] given = encoder.featureShape();
            int[] expected = decoder.featureShape();
            if (!Arrays.equals(given, expected) || encoder.featureSize() != decoder.featureSize()) {
                throw new IllegalArgumentException("encoder " + encoder.name() + " gives features of shape "
                        + Arrays.toString(given) + " (" + encoder.featureSize() + " floats per image) but the decoder"
                        + " expects shape " + Arrays.toString(expected) + " (" + decoder.featureSize() + ")"
                        + " ({D} is a vector, {H, W, D} a spatial map)");
            }
            if (vocabulary.size() != decoder.vocabularySize()) {
                throw new IllegalArgumentException("vocabulary has " + vocabulary.size()
                        + " tokens but the decoder scores " + decoder.vocabularySize());
            }
            return new DjlCaptioner(this);
        }
    }
}
