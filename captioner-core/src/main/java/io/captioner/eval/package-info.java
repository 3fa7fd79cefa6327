/**
 * Caption evaluation metrics computed as coco-caption (pycocoevalcap) computes them, so that
 * scores can be compared with published numbers: {@link io.captioner.eval.Bleu} (BLEU-1..4),
 * {@link io.captioner.eval.RougeL} (ROUGE-L) and {@link io.captioner.eval.CiderD} (CIDEr-D), all
 * three behind {@link io.captioner.eval.CaptionEvaluator}; {@link io.captioner.eval.CocoResults}
 * reads and writes COCO results files and {@link io.captioner.eval.EvaluationReport} writes a
 * Markdown report.
 *
 * <h2>Scales</h2>
 * BLEU and ROUGE-L are in [0, 1], not percentages. CIDEr-D is multiplied by 10, as coco-caption
 * prints it (so 1.0 is not a maximum). Papers usually print all of them × 100: a BLEU-4 of 0.27 is
 * written 27.0 and a CIDEr-D of 0.85 is written 85.0. Corpus BLEU pools counts over images (it is
 * not a mean of sentence BLEU); ROUGE-L and CIDEr-D are means over images.
 *
 * <h2>Tokenisation</h2>
 * coco-caption tokenises hypotheses and references with the Stanford PTB tokenizer (lowercasing)
 * and then drops tokens that are punctuation ({@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : -
 * -- ... ;}). This package uses {@link io.captioner.text.Tokenizer#standard()} instead: lowercase,
 * every punctuation character deleted, split on whitespace. The two agree on plain words and on
 * standalone punctuation; they differ where punctuation is inside a word:
 * <ul>
 *   <li>Clitics: PTB splits {@code dog's} into {@code dog 's} and {@code don't} into
 *       {@code do n't}; here they become {@code dogs} and {@code dont}. Flickr8k captions are
 *       already split ({@code dog 's}), which gives {@code dog s} here against PTB's
 *       {@code dog 's}: a one-to-one renaming of the token, so n-gram matches and scores are the
 *       same.</li>
 *   <li>Hyphens: PTB keeps {@code t-shirt} as one token; here it becomes {@code tshirt} (also one
 *       token, so again the same matches, as long as hypothesis and references write it the same
 *       way). {@code t - shirt} with spaces is three tokens for PTB, of which {@code -} is dropped,
 *       and two here: the same.</li>
 *   <li>Other symbols: PTB keeps tokens such as {@code &}, {@code $}, {@code #} and {@code /}, and
 *       numbers such as {@code 3.5}; here the symbols are deleted ({@code 35} for the number).</li>
 * </ul>
 * On Flickr8k these differences change no score in practice; on other data a few tokens may
 * differ. Metrics called directly ({@code Bleu.score}, {@code RougeL.score}, {@code CiderD.score},
 * {@code CaptionEvaluator.evaluateTokens}) take tokens as given.
 *
 * <h2>Evaluated set</h2>
 * The evaluated images are those with a hypothesis; every one must have at least one reference
 * (otherwise {@link io.captioner.CaptionerException} names the image). CIDEr-D's document
 * frequencies come from the evaluated images' references only, as in coco-caption, so an image's
 * CIDEr-D depends on which other images are evaluated with it.
 *
 * <p>All classes are stateless or immutable and thread-safe.
 */
package io.captioner.eval;
