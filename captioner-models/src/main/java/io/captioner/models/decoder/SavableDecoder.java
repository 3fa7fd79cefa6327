package io.captioner.models.decoder;

import io.captioner.CaptionDecoder;
import io.captioner.CaptionerException;
import java.nio.file.Path;

/**
 * A {@link CaptionDecoder} of this library: it knows its architecture and can save its
 * parameters, so a model artifact can hold it whatever its {@link DecoderType}.
 */
public interface SavableDecoder extends CaptionDecoder {

    /**
     * Returns the architecture.
     *
     * @return the decoder's spec
     */
    DecoderSpec config();

    /**
     * Saves the architecture and parameter values atomically, readable by {@link
     * DecoderType#load}.
     *
     * @param file the target file
     * @throws CaptionerException naming the file if writing fails
     */
    void save(Path file);
}
