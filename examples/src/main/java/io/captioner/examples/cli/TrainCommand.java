package io.captioner.examples.cli;

import io.captioner.examples.train.Flickr8kRecipe;
import io.captioner.models.decoder.DecoderType;
import io.captioner.models.encoder.EncoderKind;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code captioner train}: the Show-and-Tell recipe on a dataset in Flickr8k layout (see
 * {@link Flickr8kRecipe}): caches the frozen encoder's features of every image once, trains the
 * LSTM decoder with early stopping on dev BLEU-4, scores the test split, saves the model under
 * {@code OUT/model}, and ends with one line of JSON (BLEU-1..4, ROUGE-L, CIDEr, test images,
 * training seconds, the model's directory). Progress goes to stderr. With {@code --features DIR}
 * the features come from feature shards extracted beforehand (the Spark job {@code
 * ExtractFeatures}) and the images are not read.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains the LSTM decoder on a Flickr8k-layout dataset over cached CNN features,",
            "scores the test split (BLEU, ROUGE-L, CIDEr) and saves the model in OUT/model; ends with one JSON line.",
            "Features are cached in OUT/features and reused by later runs with the same encoder and weights,",
            "or read from --features DIR (extracted on Spark) without touching the images."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "Dataset directory: Flickr8k annotations and the image folder (e.g. Flicker8k_Dataset/).")
    private Path dataset;

    @Option(names = "--encoder", required = true, paramLabel = "ARCH", converter = CliArgs.EncoderKindConverter.class,
            description = "vgg16 (D=4096), resnet50 (D=2048), both frozen, or small-cnn (random frozen, no weights).")
    private EncoderKind encoder;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "ImageNet weights .npz from scripts/export_torchvision.py (vgg16, resnet50).")
    private Path weights;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory for features/, training/ and model/.")
    private Path out;

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N",
            description = "Most training epochs (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
            description = "(image, caption) pairs per training step (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--min-count", defaultValue = "5", paramLabel = "N",
            description = "Words rarer than N in the training captions become <unk> (default: ${DEFAULT-VALUE}).")
    private int minCount;

    @Option(names = "--beam", defaultValue = "3", paramLabel = "K",
            description = "Beam width for the test captions; 1 is greedy (default: ${DEFAULT-VALUE}).")
    private int beam;

    @Option(names = "--hidden", defaultValue = "512", paramLabel = "N",
            description = "LSTM hidden units (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(names = "--embedding", defaultValue = "512", paramLabel = "N",
            description = "Word embedding size (default: ${DEFAULT-VALUE}).")
    private int embedding;

    @Option(names = "--patience", defaultValue = "3", paramLabel = "N",
            description = "Epochs without a better dev BLEU-4 before stopping (default: ${DEFAULT-VALUE}).")
    private int patience;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--encode-batch-size", defaultValue = "16", paramLabel = "N",
            description = "Images per encoder forward pass while caching (default: ${DEFAULT-VALUE}).")
    private int encodeBatchSize;

    @Option(names = "--features", paramLabel = "DIR", description = {
        "Train from features extracted beforehand (feature shards of the Spark job ExtractFeatures)",
        "instead of encoding the images; they must match --encoder and --weights (vgg16, resnet50)."})
    private Path features;

    @Option(names = "--image-merge", description = {"Also add the projected image to the decoder's LSTM output at every",
        "step (default: off, the published Show and Tell decoder)."})
    private boolean imageMerge;

    @Option(names = "--decoder", defaultValue = "lstm", paramLabel = "D",
            converter = CliArgs.DecoderTypeConverter.class,
            description = {"lstm: Show and Tell, the LSTM fed the pooled vector; attention: Show, Attend and Tell,",
                "soft attention over the encoder's last feature map (vgg16 conv5_3 14x14x512, resnet50 layer4",
                "7x7x2048, small-cnn 8x8x128). Attention defaults, as the paper and its best-known reimplementation:",
                "--attention-dim 512, --embedding 512, --hidden 512, --dropout 0.5, --attention-penalty 1,",
                "Adam at --learning-rate 4e-4, gradients clipped to a global norm of 5 (default: ${DEFAULT-VALUE})."})
    private DecoderType decoder;

    @Option(names = "--spatial-size", defaultValue = "0", paramLabel = "S",
            description = {"Attention only: adaptive-average-pool the feature map to SxS (14 for resnet50, as the",
                "best-known reimplementation does); 0 keeps the network's own map (default: ${DEFAULT-VALUE})."})
    private int spatialSize;

    @Option(names = "--fp16", description = {"Store the feature cache as float16: half the disk and page cache",
        "(Flickr8k at 14x14x2048: 6.5 GB instead of 13), relative error <= 2^-11 (default: float32)."})
    private boolean fp16;

    @Option(names = "--attention-dim", defaultValue = "512", paramLabel = "N",
            description = "Attention only: width of the attention's scoring network (default: ${DEFAULT-VALUE}).")
    private int attentionDim;

    @Option(names = "--dropout", defaultValue = "0.5", paramLabel = "P",
            description = "Decoder dropout while training, in [0, 1) (default: ${DEFAULT-VALUE}).")
    private double dropout;

    @Option(names = "--attention-penalty", defaultValue = "1", paramLabel = "L",
            description = {"Attention only: lambda, the weight of the doubly stochastic attention regulariser",
                "(default: ${DEFAULT-VALUE})."})
    private double attentionPenalty;

    @Option(names = "--learning-rate", paramLabel = "R",
            description = "Adam's learning rate (default: 1e-3 for lstm, 4e-4 for attention).")
    private Double learningRate;

    @Override
    public Integer call() {
        Flickr8kRecipe.Options options;
        try {
            options = Flickr8kRecipe.Options.builder().setDataset(dataset).setEncoder(encoder).optWeights(weights)
                    .setOutDir(out).optEpochs(epochs).optBatchSize(batchSize).optMinCount(minCount).optBeam(beam)
                    .optHiddenSize(hidden).optEmbeddingSize(embedding).optPatience(patience).optSeed(seed)
                    .optEncodeBatchSize(encodeBatchSize).optImageMerge(imageMerge).optFeatures(features)
                    .optDecoder(decoder).optSpatialSize(spatialSize).optFp16(fp16).optAttentionSize(attentionDim)
                    .optDropout(dropout).optAttentionPenalty(attentionPenalty)
                    .optLearningRate(learningRate == null ? Double.NaN : learningRate).build();
        } catch (IllegalArgumentException e) {
            CliArgs.require(spec, false, e.getMessage());
            return CaptionerCli.EXIT_USAGE; // not reached: require throws
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PrintStream progress = ProgressOutput.of(stderr);
        Flickr8kRecipe.Result result = Flickr8kRecipe.run(options, progress);
        stdout.println(result.toJson());
        stdout.flush();
        return CaptionerCli.EXIT_OK;
    }
}
