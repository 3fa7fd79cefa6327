"""Corpus BLEU-1..4 with NLTK, for the cross-check in BleuNltkCrossCheckTest.

Input (argv[1]): UTF-8 text, one image per line: the hypothesis tokens, then a TAB and each
reference's tokens, TAB-separated; tokens are separated by single spaces (already tokenised).
Output (stdout): one JSON object with NLTK's version, its corpus_bleu for weights (1/k,)*k,
k = 1..4 (no smoothing), and the counts NLTK pools: per order the summed numerators and
denominators of modified_precision, the summed hypothesis lengths and closest reference lengths.
"""
import json
import sys
import warnings

import nltk
from nltk.translate.bleu_score import closest_ref_length, corpus_bleu, modified_precision


def main(path):
    hyps, refs = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            hyps.append(fields[0].split())
            refs.append([r.split() for r in fields[1:]])

    numerators, denominators = [0] * 4, [0] * 4
    hyp_len, ref_len = 0, 0
    for references, hypothesis in zip(refs, hyps):
        for n in range(1, 5):
            p = modified_precision(references, hypothesis, n)
            numerators[n - 1] += p.numerator
            denominators[n - 1] += p.denominator
        hyp_len += len(hypothesis)
        ref_len += closest_ref_length(references, len(hypothesis))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NLTK warns when an order has no match
        bleu = [float(corpus_bleu(refs, hyps, weights=(1.0 / k,) * k)) for k in range(1, 5)]

    json.dump({
        "nltk": nltk.__version__,
        "images": len(hyps),
        "bleu": bleu,
        "numerators": numerators,
        "denominators": denominators,
        "hyp_len": hyp_len,
        "ref_len": ref_len,
    }, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
