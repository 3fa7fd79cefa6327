/**
 * DJL integration: a saved captioner artifact loads through DJL's {@code Criteria} like any
 * model-zoo model, and captions with a standard {@code Predictor<Image, Caption>}.
 *
 * <pre>{@code
 * Criteria<Image, Caption> criteria = Criteria.builder()
 *         .setTypes(Image.class, Caption.class)
 *         .optModelPath(Path.of("model"))              // an artifact directory
 *         .optTranslatorFactory(new CaptionTranslatorFactory())
 *         .build();
 * try (ZooModel<Image, Caption> model = criteria.loadModel();
 *         Predictor<Image, Caption> predictor = model.newPredictor()) {
 *     Caption c = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("dog.jpg")));
 * }
 * }</pre>
 *
 * <p>The artifact's {@code serving.properties} names the PyTorch engine and the
 * {@link io.captioner.models.djl.CaptionerBlockFactory} (a parameterless placeholder block, because
 * the encoder and decoder are loaded by the translator from the manifest). DJL 0.36 looks up the
 * translator factory before it reads {@code serving.properties}, so name it in the criteria:
 * {@code optTranslatorFactory(new CaptionTranslatorFactory())} or
 * {@code optArgument("translatorFactory", "io.captioner.models.djl.CaptionTranslatorFactory")}.
 * Optional {@code Criteria} arguments: {@code beamSize}, {@code nBest}, {@code maxLength}.
 */
package io.captioner.models.djl;
