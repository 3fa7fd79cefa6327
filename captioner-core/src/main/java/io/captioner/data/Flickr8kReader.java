package io.captioner.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.captioner.CaptionerException;
import io.captioner.io.Utf8Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Flickr8k-style corpus into a {@link CaptionDataset}, detecting which of three layouts a
 * directory holds.
 *
 * <h2>Layouts and detection order</h2>
 * <ol>
 *   <li>{@link DatasetLayout#ORIGINAL}: {@code Flickr8k.token.txt}, lines
 *       {@code <image>#<n><TAB><caption>} with n in 0..{@code maxCaptionsPerImage-1}, plus the
 *       three split files {@code Flickr_8k.trainImages.txt}, {@code Flickr_8k.devImages.txt},
 *       {@code Flickr_8k.testImages.txt} (one image name a line), all required. Other files, such
 *       as {@code Flickr8k.lemma.token.txt}, are ignored.</li>
 *   <li>{@link DatasetLayout#KAGGLE}: {@code captions.txt}, a CSV (RFC 4180) with header
 *       {@code image,caption}; caption numbers follow the order of the rows of each image. If all
 *       three original split files lie beside it they give the split; otherwise a derived split is
 *       used (see below) and the report says so.</li>
 *   <li>{@link DatasetLayout#KARPATHY}: {@code dataset_flickr8k.json} with
 *       {@code images[].filename}, {@code images[].split}, {@code images[].sentences[].raw} and
 *       {@code images[].sentences[].tokens} (checked to be present but not kept: captions are
 *       re-tokenized from {@code raw} by {@link io.captioner.text.Tokenizer}). Split mapping:
 *       {@code train} and {@code restval} to {@link Split#TRAIN}, {@code val} to
 *       {@link Split#DEV}, {@code test} to {@link Split#TEST}.</li>
 * </ol>
 * The first layout whose caption file exists in the directory is read; a directory with none of
 * them fails with a {@link CaptionerException} listing the files looked for. A caption file can
 * also be given explicitly with {@link Builder#optCaptionFile(Path)}.
 *
 * <h2>Derived split (Kaggle without split files)</h2>
 * The image ids are sorted, shuffled with {@code java.util.Random(splitSeed)} (default seed 8) by
 * {@link Collections#shuffle(List, Random)}, and the first k go to DEV, the next k to TEST and the
 * rest to TRAIN, where k = min(1000, n / 8) for n images: 1000/1000/rest for the full corpus, as
 * in Karpathy's split sizes (the images chosen differ from Karpathy's). The result depends only
 * on the set of ids and the seed.
 *
 * <h2>Repairs and checks</h2>
 * The original token file of Flickr8k has one malformed id, {@code 2258277193_586949ec62.jpg.1#0};
 * the image {@code 2258277193_586949ec62.jpg} has captions #1 to #4 only. In general, an id of the
 * form {@code <base>.<digits>} whose {@code <base>} ends in a file extension, also occurs in the
 * file, and lacks exactly the caption numbers the odd id has, is merged into {@code <base>}; the
 * repair is listed in {@link DatasetReport#repairedIds()} and warned about. Otherwise the odd id is
 * kept as an image of its own. After repairs every image's caption numbers must run from 0 without
 * gaps. Images named in no split file get {@link Split#NONE} and are listed in the report. A
 * caption file that holds no caption at all (only a header, {@code "images": []}) is refused.
 *
 * <p>Malformed input fails with a {@link CaptionerException} naming the file, the 1-based line
 * (or JSON image index and field) and the offending text: a line without {@code #<n>} or tab, a
 * caption number out of range, repeated or missing, an empty caption, a split file that is missing
 * or names an image absent from the captions or already in another split, an unterminated CSV
 * quote, a JSON field that is absent or of the wrong type. Files are read as UTF-8; a byte-order
 * mark and CRLF line ends are accepted. Captions are trimmed and inner tabs and line breaks become
 * spaces.
 *
 * <h2>Images</h2>
 * Image ids resolve against the image directory: {@link Builder#optImageDir(Path)}, else the first
 * existing of {@code Flicker8k_Dataset/} (the spelling of the original zip),
 * {@code Flickr8k_Dataset/}, {@code Images/}, {@code images/} inside the dataset directory, else
 * the dataset directory itself. Reading never opens images unless
 * {@link Builder#optVerifyImages(boolean)} (fail if any is missing) or
 * {@link Builder#optSkipMissingImages(boolean)} (drop and report them) is set.
 *
 * <p>Instances are immutable and thread-safe; each {@code read} call reads the files anew.
 */
public final class Flickr8kReader {

    /** The caption file of the original layout. */
    public static final String TOKEN_FILE = "Flickr8k.token.txt";
    /** The original training split file (6000 names). */
    public static final String TRAIN_FILE = "Flickr_8k.trainImages.txt";
    /** The original development split file (1000 names). */
    public static final String DEV_FILE = "Flickr_8k.devImages.txt";
    /** The original test split file (1000 names). */
    public static final String TEST_FILE = "Flickr_8k.testImages.txt";
    /** The caption file of the Kaggle layout. */
    public static final String KAGGLE_FILE = "captions.txt";
    /** The caption file of Karpathy's layout. */
    public static final String KARPATHY_FILE = "dataset_flickr8k.json";
    /** Sub-directories tried, in order, for the images when none is given. */
    public static final List<String> IMAGE_DIR_CANDIDATES =
            List.of("Flicker8k_Dataset", "Flickr8k_Dataset", "Images", "images");
    /** The default largest number of captions per image (Flickr8k has five). */
    public static final int DEFAULT_MAX_CAPTIONS_PER_IMAGE = 5;
    /** The default seed of the derived split. */
    public static final long DEFAULT_SPLIT_SEED = 8L;

    private static final Logger LOG = LoggerFactory.getLogger(Flickr8kReader.class);
    private static final Pattern TYPO_ID = Pattern.compile("(.+\\.[A-Za-z]{3,4})\\.(\\d+)");
    private static final int DERIVED_SPLIT_MAX = 1000;

    private final DatasetLayout layout;
    private final Path captionFile;
    private final List<Path> splitFiles;
    private final Path imageDir;
    private final boolean verifyImages;
    private final boolean skipMissingImages;
    private final int maxCaptionsPerImage;
    private final long splitSeed;

    private Flickr8kReader(Builder b) {
        this.layout = b.layout;
        this.captionFile = b.captionFile;
        this.splitFiles = b.splitFiles;
        this.imageDir = b.imageDir;
        this.verifyImages = b.verifyImages;
        this.skipMissingImages = b.skipMissingImages;
        this.maxCaptionsPerImage = b.maxCaptionsPerImage;
        this.splitSeed = b.splitSeed;
    }

    /**
     * Starts a reader configuration; every option is optional.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a dataset directory with the default options (layout detected, no image check).
     *
     * @param dir the directory holding the annotation files
     * @return the dataset
     * @throws CaptionerException if no layout is found or the files are malformed
     */
    public static CaptionDataset load(Path dir) {
        return builder().build().read(dir);
    }

    /**
     * Tells which layout a directory holds, trying ORIGINAL, KAGGLE, KARPATHY in that order.
     *
     * @param dir the dataset directory
     * @return the first layout whose caption file exists
     * @throws CaptionerException if the directory does not exist or holds none of the caption
     *     files; the message lists the files looked for
     */
    public static DatasetLayout detectLayout(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CaptionerException("dataset directory " + dir + " does not exist or is not a directory");
        }
        for (DatasetLayout candidate :
                List.of(DatasetLayout.ORIGINAL, DatasetLayout.KAGGLE, DatasetLayout.KARPATHY)) {
            if (Files.isRegularFile(dir.resolve(candidate.captionFile()))) {
                return candidate;
            }
        }
        throw new CaptionerException("no Flickr8k annotations in " + dir + ": looked for "
                + TOKEN_FILE + " (original layout), " + KAGGLE_FILE + " (Kaggle layout) and "
                + KARPATHY_FILE + " (Karpathy layout)");
    }

    /**
     * Finds the image directory of a dataset directory: the first existing of
     * {@link #IMAGE_DIR_CANDIDATES}, else the dataset directory itself.
     *
     * @param dir the dataset directory
     * @return the directory image ids resolve against
     */
    public static Path resolveImageDir(Path dir) {
        for (String name : IMAGE_DIR_CANDIDATES) {
            Path candidate = dir.resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return dir;
    }

    /**
     * Reads the dataset in a directory. With {@link Builder#optCaptionFile(Path)} set, that file is
     * read instead of detecting one, and {@code dir} serves only to find split files and images
     * (it may then be null to use the caption file's directory).
     *
     * @param dir the dataset directory
     * @return the dataset with its report; warnings are also logged
     * @throws CaptionerException if the layout cannot be found or any file is missing or malformed
     */
    public CaptionDataset read(Path dir) {
        Path file;
        DatasetLayout fileLayout;
        Path baseDir;
        if (captionFile != null) {
            file = captionFile;
            fileLayout = layout != null ? layout : layoutOfFileName(captionFile);
            Path parent = captionFile.toAbsolutePath().getParent();
            baseDir = dir != null ? dir : parent;
        } else {
            if (dir == null) {
                throw new IllegalArgumentException("dir must not be null unless a caption file is given");
            }
            baseDir = dir;
            if (layout != null) {
                fileLayout = layout;
                file = dir.resolve(layout.captionFile());
                if (!Files.isRegularFile(file)) {
                    throw new CaptionerException("caption file " + file + " of the " + layout
                            + " layout does not exist");
                }
            } else {
                fileLayout = detectLayout(dir);
                file = dir.resolve(fileLayout.captionFile());
            }
        }
        Path splitDir = captionFile != null ? captionFile.toAbsolutePath().getParent() : baseDir;
        Path images = imageDir != null ? imageDir : resolveImageDir(baseDir);
        Parse parse;
        switch (fileLayout) {
            case ORIGINAL:
                parse = readToken(file);
                applySplitFiles(parse, file, requiredSplitFiles(splitDir));
                break;
            case KAGGLE:
                parse = readKaggle(file);
                List<Path> found = optionalSplitFiles(splitDir);
                if (found != null) {
                    applySplitFiles(parse, file, found);
                } else {
                    deriveSplit(parse);
                }
                break;
            case KARPATHY:
                if (splitFiles != null) {
                    throw new IllegalArgumentException(
                            "split files cannot be combined with the KARPATHY layout, which has its own split");
                }
                parse = readKarpathy(file);
                break;
            default:
                throw new IllegalArgumentException("cannot read layout " + fileLayout);
        }
        if (parse.captions.isEmpty()) {
            // Checked here, after every layout's parse, so that no empty dataset reaches training.
            throw new CaptionerException(file + ": holds no captions; the " + fileLayout
                    + " layout needs at least one image with a caption");
        }
        CaptionDataset dataset = parse.build(fileLayout, images);
        LOG.info("read {} from {}", dataset, file);
        for (String warning : dataset.report().warnings()) {
            LOG.warn(warning);
        }
        if (skipMissingImages) {
            dataset = dataset.withoutMissingImages();
        } else if (verifyImages) {
            dataset.verifyImages();
        }
        return dataset;
    }

    private static DatasetLayout layoutOfFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return DatasetLayout.KARPATHY;
        }
        if (name.equals(KAGGLE_FILE) || name.endsWith(".csv")) {
            return DatasetLayout.KAGGLE;
        }
        return DatasetLayout.ORIGINAL;
    }

    private List<Path> requiredSplitFiles(Path dir) {
        List<Path> files = splitFiles != null ? splitFiles
                : List.of(dir.resolve(TRAIN_FILE), dir.resolve(DEV_FILE), dir.resolve(TEST_FILE));
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CaptionerException("split file " + f + " does not exist; the original layout needs "
                        + TRAIN_FILE + ", " + DEV_FILE + " and " + TEST_FILE + " beside " + TOKEN_FILE
                        + " (or explicit split files)");
            }
        }
        return files;
    }

    /** Returns the split files if all exist, null if none exist, and fails if only some do. */
    private List<Path> optionalSplitFiles(Path dir) {
        if (splitFiles != null) {
            return requiredSplitFiles(dir);
        }
        List<Path> files = List.of(dir.resolve(TRAIN_FILE), dir.resolve(DEV_FILE), dir.resolve(TEST_FILE));
        List<Path> missing = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                missing.add(f);
            }
        }
        if (missing.isEmpty()) {
            return files;
        }
        if (missing.size() == files.size()) {
            return null;
        }
        throw new CaptionerException("split file " + missing.get(0) + " does not exist, but other "
                + "split files do; give all of " + TRAIN_FILE + ", " + DEV_FILE + ", " + TEST_FILE
                + " or none");
    }

    // ----------------------------------------------------------------------------------------
    // Parsing state shared by the three layouts

    /** One caption and where it came from. */
    private record Entry(String caption, int line) {}

    /** Captions per id in first-appearance order, plus the split decisions and notes. */
    private static final class Parse {
        final List<Path> files = new ArrayList<>();
        final LinkedHashMap<String, TreeMap<Integer, Entry>> captions = new LinkedHashMap<>();
        final Map<String, Split> splits = new HashMap<>();
        final Map<String, String> repaired = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        String splitSource = "";

        CaptionDataset build(DatasetLayout layout, Path imageDir) {
            List<ImageCaptions> images = new ArrayList<>(captions.size());
            List<String> none = new ArrayList<>();
            for (Map.Entry<String, TreeMap<Integer, Entry>> e : captions.entrySet()) {
                List<String> texts = new ArrayList<>(e.getValue().size());
                for (Entry entry : e.getValue().values()) {
                    texts.add(entry.caption());
                }
                Split split = splits.getOrDefault(e.getKey(), Split.NONE);
                if (split == Split.NONE) {
                    none.add(e.getKey());
                }
                images.add(new ImageCaptions(e.getKey(), split, texts));
            }
            if (!none.isEmpty()) {
                warnings.add(none.size() + " of " + images.size()
                        + " images are in no split file and get split NONE: " + CaptionDataset.preview(none));
            }
            DatasetReport report = new DatasetReport(layout, files, imageDir, splitSource, repaired,
                    none, List.of(), warnings);
            return new CaptionDataset(images, report);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Original layout

    private Parse readToken(Path file) {
        Parse p = new Parse();
        p.files.add(file);
        List<String> lines = Utf8Files.readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            String key = tab < 0 ? "" : line.substring(0, tab).strip();
            int hash = key.lastIndexOf('#');
            if (tab < 0 || hash <= 0 || hash == key.length() - 1) {
                throw TextFiles.error(file, lineNo, "expected '<image>#<n><TAB><caption>'", line);
            }
            String id = key.substring(0, hash);
            String number = key.substring(hash + 1);
            if (!number.chars().allMatch(ch -> ch >= '0' && ch <= '9') || number.length() > 9) {
                throw TextFiles.error(file, lineNo,
                        "expected '<image>#<n><TAB><caption>' with a decimal caption number n", line);
            }
            checkId(file, lineNo, id, line);
            int n = Integer.parseInt(number);
            if (n >= maxCaptionsPerImage) {
                throw TextFiles.error(file, lineNo, "caption number " + n + " out of range 0.."
                        + (maxCaptionsPerImage - 1), line);
            }
            String caption = TextFiles.cleanCaption(line.substring(tab + 1));
            if (caption.isEmpty()) {
                throw TextFiles.error(file, lineNo, "empty caption for " + key, line);
            }
            Entry previous = p.captions.computeIfAbsent(id, k -> new TreeMap<>())
                    .putIfAbsent(n, new Entry(caption, lineNo));
            if (previous != null) {
                throw TextFiles.error(file, lineNo, "duplicate caption " + key + " (first at line "
                        + previous.line() + ")", line);
            }
        }
        repairTypoIds(p, file);
        checkContiguous(p, file);
        return p;
    }

    private static void checkId(Path file, int lineNo, String id, String line) {
        if (!isFileNameId(id)) {
            throw TextFiles.error(file, lineNo,
                    "image id must be a file name without blanks at its ends, '#', tab or line break", line);
        }
    }

    /** The rule of {@link ImageCaptions#imageId()}, checked here so bad data fails as data. */
    private static boolean isFileNameId(String id) {
        return !id.isBlank() && id.equals(id.strip()) && id.indexOf('#') < 0 && id.indexOf('\t') < 0
                && id.indexOf('\n') < 0 && id.indexOf('\r') < 0;
    }

    /** Merges ids like {@code X.jpg.1} into {@code X.jpg} when their caption numbers fit together. */
    private static void repairTypoIds(Parse p, Path file) {
        for (String id : new ArrayList<>(p.captions.keySet())) {
            Matcher m = TYPO_ID.matcher(id);
            if (!m.matches()) {
                continue;
            }
            String base = m.group(1);
            TreeMap<Integer, Entry> odd = p.captions.get(id);
            TreeMap<Integer, Entry> target = p.captions.get(base);
            int firstLine = odd.firstEntry().getValue().line();
            if (target == null) {
                p.warnings.add(file.getFileName() + " line " + firstLine + ": image id " + id
                        + " looks like a typo but " + base + " does not occur; kept as an image of its own");
                continue;
            }
            boolean fits = true;
            for (Integer n : odd.keySet()) {
                fits &= !target.containsKey(n);
            }
            int total = odd.size() + target.size();
            fits &= target.size() > 0 && odd.lastKey() < total && target.lastKey() < total;
            if (!fits) {
                p.warnings.add(file.getFileName() + " line " + firstLine + ": image id " + id
                        + " looks like a typo of " + base + " but its caption numbers " + odd.keySet()
                        + " do not complete " + base + "'s " + target.keySet() + "; kept as an image of its own");
                continue;
            }
            List<String> numbers = new ArrayList<>();
            for (Integer n : odd.keySet()) {
                numbers.add("#" + n);
            }
            p.warnings.add(file.getFileName() + " line " + firstLine + ": repaired image id " + id
                    + ": merged its caption " + String.join(", ", numbers) + " into " + base
                    + ", which has captions " + target.keySet() + " otherwise");
            target.putAll(odd);
            p.captions.remove(id);
            p.repaired.put(id, base);
        }
    }

    private static void checkContiguous(Parse p, Path file) {
        for (Map.Entry<String, TreeMap<Integer, Entry>> e : p.captions.entrySet()) {
            TreeMap<Integer, Entry> numbered = e.getValue();
            if (numbered.lastKey() != numbered.size() - 1) {
                int missing = 0;
                while (numbered.containsKey(missing)) {
                    missing++;
                }
                int line = numbered.firstEntry().getValue().line();
                throw new CaptionerException(file + " line " + line + ": caption numbers of image "
                        + e.getKey() + " must run from #0 without gaps; found " + numbered.keySet()
                        + ", missing #" + missing);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Split files

    private void applySplitFiles(Parse p, Path captionFile, List<Path> files) {
        Split[] order = {Split.TRAIN, Split.DEV, Split.TEST};
        Map<String, String> seenIn = new HashMap<>();
        for (int s = 0; s < order.length; s++) {
            Path file = files.get(s);
            p.files.add(file);
            List<String> lines = Utf8Files.readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String raw = lines.get(i);
                String name = raw.strip();
                int lineNo = i + 1;
                if (name.isEmpty()) {
                    continue;
                }
                if (name.indexOf('#') >= 0 || name.indexOf('\t') >= 0) {
                    throw TextFiles.error(file, lineNo, "expected one image file name per line", raw);
                }
                String id = p.captions.containsKey(name) ? name : p.repaired.get(name);
                if (id == null) {
                    throw TextFiles.error(file, lineNo, "image is not in " + captionFile.getFileName(), raw);
                }
                String where = file.getFileName() + " line " + lineNo;
                String before = seenIn.putIfAbsent(id, where);
                if (before != null) {
                    throw TextFiles.error(file, lineNo, "image already listed at " + before, raw);
                }
                p.splits.put(id, order[s]);
            }
        }
        p.splitSource = "split files " + files.get(0).getFileName() + ", " + files.get(1).getFileName()
                + ", " + files.get(2).getFileName();
    }

    private void deriveSplit(Parse p) {
        List<String> ids = new ArrayList<>(p.captions.keySet());
        Collections.sort(ids);
        Collections.shuffle(ids, new Random(splitSeed));
        int k = Math.min(DERIVED_SPLIT_MAX, ids.size() / 8);
        for (int i = 0; i < ids.size(); i++) {
            p.splits.put(ids.get(i), i < k ? Split.DEV : i < 2 * k ? Split.TEST : Split.TRAIN);
        }
        p.splitSource = "derived split (no split files): sorted ids shuffled with seed " + splitSeed
                + ", " + k + " dev, " + k + " test, " + (ids.size() - 2 * k) + " train";
        p.warnings.add("no split files beside " + KAGGLE_FILE + "; using a " + p.splitSource);
    }

    // ----------------------------------------------------------------------------------------
    // Kaggle layout

    private Parse readKaggle(Path file) {
        Parse p = new Parse();
        p.files.add(file);
        List<CsvRecords.Row> rows = CsvRecords.parse(file, Utf8Files.readString(file));
        if (rows.isEmpty()) {
            throw new CaptionerException(file + " line 1: expected header 'image,caption'; found an empty file");
        }
        CsvRecords.Row header = rows.get(0);
        if (header.fields().size() != 2
                || !header.fields().get(0).strip().equalsIgnoreCase("image")
                || !header.fields().get(1).strip().equalsIgnoreCase("caption")) {
            throw TextFiles.error(file, header.line(), "expected header 'image,caption'",
                    String.join(",", header.fields()));
        }
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            String text = String.join(",", row.fields());
            if (row.fields().size() != 2) {
                throw TextFiles.error(file, row.line(), "expected 2 fields 'image,caption' (quote captions "
                        + "that contain commas), found " + row.fields().size(), text);
            }
            String id = row.fields().get(0).strip();
            checkId(file, row.line(), id, text);
            String caption = TextFiles.cleanCaption(row.fields().get(1));
            if (caption.isEmpty()) {
                throw TextFiles.error(file, row.line(), "empty caption for " + id, text);
            }
            TreeMap<Integer, Entry> numbered = p.captions.computeIfAbsent(id, k -> new TreeMap<>());
            if (numbered.size() >= maxCaptionsPerImage) {
                throw TextFiles.error(file, row.line(), "caption number " + numbered.size() + " of " + id
                        + " out of range 0.." + (maxCaptionsPerImage - 1), text);
            }
            numbered.put(numbered.size(), new Entry(caption, row.line()));
        }
        return p;
    }

    // ----------------------------------------------------------------------------------------
    // Karpathy layout

    private Parse readKarpathy(Path file) {
        Parse p = new Parse();
        p.files.add(file);
        JsonElement root;
        try {
            root = JsonParser.parseString(Utf8Files.readString(file));
        } catch (JsonParseException e) {
            throw new CaptionerException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("images")
                || !root.getAsJsonObject().get("images").isJsonArray()) {
            throw new CaptionerException(file + ": expected a top-level object with an array field "
                    + "'images'; found " + TextFiles.truncate(root.toString()));
        }
        JsonArray images = root.getAsJsonObject().getAsJsonArray("images");
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            String where = "images[" + i + "]";
            JsonElement element = images.get(i);
            if (!element.isJsonObject()) {
                throw jsonError(file, where, "must be an object", element);
            }
            JsonObject image = element.getAsJsonObject();
            String id = string(file, image, where, "filename");
            if (!isFileNameId(id)) {
                throw jsonError(file, where + ".filename",
                        "must be a file name without blanks at its ends, '#', tab or line break",
                        image.get("filename"));
            }
            Integer before = indexOf.putIfAbsent(id, i);
            if (before != null) {
                throw jsonError(file, where + ".filename", "repeats the filename of images[" + before + "]",
                        image.get("filename"));
            }
            String splitName = string(file, image, where, "split");
            Split split;
            switch (splitName) {
                case "train":
                case "restval":
                    split = Split.TRAIN;
                    break;
                case "val":
                    split = Split.DEV;
                    break;
                case "test":
                    split = Split.TEST;
                    break;
                default:
                    throw jsonError(file, where + ".split", "must be one of train, restval, val, test",
                            image.get("split"));
            }
            if (!image.has("sentences") || !image.get("sentences").isJsonArray()) {
                throw jsonError(file, where + ".sentences", "must be an array of sentence objects",
                        image.get("sentences"));
            }
            JsonArray sentences = image.getAsJsonArray("sentences");
            if (sentences.isEmpty()) {
                throw jsonError(file, where + ".sentences", "must not be empty", sentences);
            }
            if (sentences.size() > maxCaptionsPerImage) {
                throw jsonError(file, where + ".sentences", "has more than " + maxCaptionsPerImage
                        + " sentences", new JsonPrimitive(sentences.size()));
            }
            TreeMap<Integer, Entry> numbered = new TreeMap<>();
            for (int j = 0; j < sentences.size(); j++) {
                String sw = where + ".sentences[" + j + "]";
                if (!sentences.get(j).isJsonObject()) {
                    throw jsonError(file, sw, "must be an object", sentences.get(j));
                }
                JsonObject sentence = sentences.get(j).getAsJsonObject();
                String raw = string(file, sentence, sw, "raw");
                if (!sentence.has("tokens") || !sentence.get("tokens").isJsonArray()) {
                    throw jsonError(file, sw + ".tokens", "must be an array of strings", sentence.get("tokens"));
                }
                String caption = TextFiles.cleanCaption(raw);
                if (caption.isEmpty()) {
                    throw jsonError(file, sw + ".raw", "must not be an empty caption", sentence.get("raw"));
                }
                numbered.put(j, new Entry(caption, i));
            }
            p.captions.put(id, numbered);
            p.splits.put(id, split);
        }
        p.splitSource = "Karpathy split field (train and restval as TRAIN, val as DEV, test as TEST)";
        return p;
    }

    private static String string(Path file, JsonObject object, String where, String field) {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new CaptionerException(file + ": " + where + " has no field '" + field + "'");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw jsonError(file, where + "." + field, "must be a string", value);
        }
        return value.getAsString();
    }

    private static CaptionerException jsonError(Path file, String where, String rule, JsonElement found) {
        String text = found == null ? "nothing" : "'" + TextFiles.truncate(found.toString()) + "'";
        return new CaptionerException(file + ": " + where + " " + rule + "; found " + text);
    }

    /**
     * Options of a {@link Flickr8kReader}; every setter is optional and order does not matter.
     * Not thread-safe; {@link #build()} validates and copies.
     */
    public static final class Builder {
        private DatasetLayout layout;
        private Path captionFile;
        private List<Path> splitFiles;
        private Path imageDir;
        private boolean verifyImages;
        private boolean skipMissingImages;
        private int maxCaptionsPerImage = DEFAULT_MAX_CAPTIONS_PER_IMAGE;
        private long splitSeed = DEFAULT_SPLIT_SEED;

        private Builder() {}

        /**
         * Forces a layout instead of detecting one (default: detect).
         *
         * @param layout ORIGINAL, KAGGLE or KARPATHY
         * @return this builder
         */
        public Builder optLayout(DatasetLayout layout) {
            this.layout = layout;
            return this;
        }

        /**
         * Reads this caption file instead of looking in the dataset directory. Its layout is
         * {@link #optLayout(DatasetLayout)} if set, else inferred from the name ({@code .json}
         * Karpathy, {@code captions.txt} or {@code .csv} Kaggle, anything else original). Split
         * files are then looked for beside it.
         *
         * @param file the token, CSV or JSON file
         * @return this builder
         */
        public Builder optCaptionFile(Path file) {
            this.captionFile = file;
            return this;
        }

        /**
         * Uses these split files instead of the three beside the caption file (original and
         * Kaggle layouts only).
         *
         * @param train the file of training image names
         * @param dev the file of development image names
         * @param test the file of test image names
         * @return this builder
         */
        public Builder optSplitFiles(Path train, Path dev, Path test) {
            if (train == null || dev == null || test == null) {
                throw new IllegalArgumentException("all three split files must be given");
            }
            this.splitFiles = List.of(train, dev, test);
            return this;
        }

        /**
         * Resolves image ids against this directory (default: see
         * {@link Flickr8kReader#resolveImageDir(Path)}).
         *
         * @param dir the image directory
         * @return this builder
         */
        public Builder optImageDir(Path dir) {
            this.imageDir = dir;
            return this;
        }

        /**
         * Fails the read if any image file is missing (default false: images are not touched).
         *
         * @param verify whether to check every image file
         * @return this builder
         */
        public Builder optVerifyImages(boolean verify) {
            this.verifyImages = verify;
            return this;
        }

        /**
         * Drops images whose file is missing and lists them in the report (default false).
         * Takes precedence over {@link #optVerifyImages(boolean)}.
         *
         * @param skip whether to drop missing images
         * @return this builder
         */
        public Builder optSkipMissingImages(boolean skip) {
            this.skipMissingImages = skip;
            return this;
        }

        /**
         * Sets the largest number of captions an image may have (default 5); caption numbers must
         * lie in 0..max-1.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder optMaxCaptionsPerImage(int max) {
            this.maxCaptionsPerImage = max;
            return this;
        }

        /**
         * Sets the seed of the derived split used when a Kaggle file has no split files (default 8).
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSplitSeed(long seed) {
            this.splitSeed = seed;
            return this;
        }

        /**
         * Validates the options and creates the reader.
         *
         * @return the reader
         * @throws IllegalArgumentException if the layout is IN_MEMORY or the caption maximum is below 1
         */
        public Flickr8kReader build() {
            if (layout == DatasetLayout.IN_MEMORY) {
                throw new IllegalArgumentException("layout IN_MEMORY cannot be read from files");
            }
            if (maxCaptionsPerImage < 1) {
                throw new IllegalArgumentException("maxCaptionsPerImage must be at least 1; found "
                        + maxCaptionsPerImage);
            }
            return new Flickr8kReader(this);
        }
    }
}
