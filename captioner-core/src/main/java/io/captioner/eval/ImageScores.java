package io.captioner.eval;

/**
 * One image's scores, on coco-caption's scales: its sentence BLEU-1..4 and ROUGE-L in [0, 1],
 * and its CIDEr-D (× 10; it depends on the other images evaluated with it through document
 * frequencies).
 *
 * @param bleu1 sentence BLEU-1
 * @param bleu2 sentence BLEU-2
 * @param bleu3 sentence BLEU-3
 * @param bleu4 sentence BLEU-4
 * @param rougeL ROUGE-L F (β = 1.2)
 * @param cider CIDEr-D × 10
 */
public record ImageScores(double bleu1, double bleu2, double bleu3, double bleu4, double rougeL, double cider) {}
