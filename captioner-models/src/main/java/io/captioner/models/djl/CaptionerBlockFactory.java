package io.captioner.models.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives DJL's model loader a parameterless placeholder block for a captioner artifact: the real
 * networks are loaded by {@link CaptionTranslatorFactory} from the artifact's manifest, and the
 * translator does the whole captioning, so the block only passes its (empty) input through.
 * Named in the artifact's {@code serving.properties}.
 */
public final class CaptionerBlockFactory implements ai.djl.nn.BlockFactory {

    private static final long serialVersionUID = 1L;

    /** Creates the factory; called by DJL's model loader. */
    public CaptionerBlockFactory() {}

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        return new LambdaBlock(list -> list, "captioner-placeholder");
    }
}
