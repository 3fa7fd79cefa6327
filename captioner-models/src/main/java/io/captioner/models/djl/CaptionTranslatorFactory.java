package io.captioner.models.djl;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.captioner.Caption;
import io.captioner.DecodingOptions;
import io.captioner.models.DjlCaptioner;
import io.captioner.models.artifact.ModelArtifact;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Creates a {@link CaptionTranslator} for a captioner artifact loaded through DJL's
 * {@code Criteria}: it loads the artifact from the model's directory with
 * {@link ModelArtifact#load}, and ties the captioner's lifetime to the model (closing the
 * {@code ZooModel} closes it). Supports {@code (Image, Caption)}.
 *
 * <p>Optional arguments ({@code Criteria.builder().optArgument(...)}): {@code beamSize} (beam
 * search of that width), {@code nBest}, {@code maxLength}; otherwise the artifact's default
 * decoding options apply.
 */
public final class CaptionTranslatorFactory implements TranslatorFactory {

    /** Creates the factory. */
    public CaptionTranslatorFactory() {}

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, Caption.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model,
            Map<String, ?> arguments) throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("Unsupported input/output types: " + input + ", " + output
                    + "; supported: (Image, Caption)");
        }
        DjlCaptioner captioner;
        try {
            captioner = ModelArtifact.load(model.getModelPath());
        } catch (RuntimeException e) {
            throw new TranslateException(e.getMessage(), e);
        }
        model.getNDManager().attachInternal("captioner-" + UUID.randomUUID(), captioner);
        DecodingOptions.Builder b = captioner.defaultOptions().toBuilder();
        Object beam = arguments.get("beamSize");
        if (beam != null) {
            b.optStrategy(DecodingOptions.Strategy.BEAM).optBeamSize(Integer.parseInt(beam.toString()));
        }
        Object nBest = arguments.get("nBest");
        if (nBest != null) {
            b.optNBest(Integer.parseInt(nBest.toString()));
        }
        Object maxLength = arguments.get("maxLength");
        if (maxLength != null) {
            b.optMaxLength(Integer.parseInt(maxLength.toString()));
        }
        return (Translator<I, O>) new CaptionTranslator(captioner, b.build());
    }
}
