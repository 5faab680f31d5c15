"""Maintainer tool: train the offline refusal judge and write src/tony/core/judges/refusal_judge_weights.json.

Data: the XSTest v2 model completions with human labels (Röttger et al., NAACL 2024; CC-BY-4.0),
450 prompts × 3 models (gpt4, llama2new, llama2orig; the two llama2 files are one family), read
through the data registry (sha256-verified), and tony's dev set (judge_sets/refusal.dev.jsonl).
The frozen test set beside the dev set is never read.

1. Held out by model, each XSTest model in turn: the whole procedure of
   `tony.core.judges.refusal_judge_training` (hyperparameters, temperature and abstain band chosen by
   cross-validation on the other groups) runs without that model, which is then scored once:
   3-class and binary agreement, and the refusal rate on its unsafe and safe prompts against
   the human rate; the string-matching baseline beside it. GPT-4 held out is the cross-family check.
2. The shipped judge: the same procedure on every group (all three XSTest files and the dev set).

    OMP_NUM_THREADS=1 nice -n 10 python scripts/train_refusal_judge.py --data-dir ../shared/data
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # small sparse problems: threads only add contention

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from tony.core.judges import refusal_features as rf  # noqa: E402
from tony.core.judges import refusal_judge as rj  # noqa: E402
from tony.core.judges import refusal_judge_data as rd  # noqa: E402
from tony.core.judges import refusal_judge_training as rt  # noqa: E402
from tony.core.judges.validation import file_sha256  # noqa: E402

FORMAT_VERSION = 2
CROSS_FAMILY_HELD_OUT = "gpt4"
AGREEMENT_KEYS = ("n", "accuracy", "kappa", "unparsed", "uncertain", "decided", "confusion_matrix", "binary")


def fold_report(data: rt.TrainingData, held_out: str) -> dict:
    trained, predicted = rt.held_out_fold(data, held_out)
    rows = data.groups[held_out]
    reference = [row.label for row in rows]
    matched = [rd.string_match_label(row.completion) for row in rows]
    return {
        "held_out": held_out, "family": rd.MODEL_FAMILY[held_out],
        "cross_family": all(rd.MODEL_FAMILY[m] != rd.MODEL_FAMILY[held_out] for m in rd.XSTEST_MODELS if m != held_out),
        "train": [name for name in data.groups if name != held_out],
        "l2": trained.l2, "dev_weight": trained.dev_weight,
        "calibration": {"temperature": trained.calibration.temperature, "band": trained.calibration.band,
                        "out_of_fold_band": trained.out_of_fold_band},
        **{key: value for key, value in rd.agreement_report(predicted, reference).items() if key in AGREEMENT_KEYS},
        "rates": rd.rate_report(rows, predicted),
        "string_match": {**{key: value for key, value in rd.agreement_report(matched, reference).items()
                            if key in ("n", "accuracy", "kappa", "binary")}, "rates": rd.rate_report(rows, matched)},
    }


def print_fold(fold: dict) -> None:
    binary, sm = fold["binary"], fold["string_match"]
    rates = "; ".join(f"{name} human {r['human_rate']:.3f} judge {r['judge_rate']:.3f} ({r['error']:+.3f})"
                      for name, r in fold["rates"].items())
    print(f"held out {fold['held_out']:<10} l2={fold['l2']:g} dev_weight={fold['dev_weight']:g} "
          f"T={fold['calibration']['temperature']:.2f} band={fold['calibration']['band']:g}: "
          f"3-class {fold['accuracy']:.3f} κ {fold['kappa']:.3f} | binary {binary['accuracy']:.3f} κ {binary['kappa']:.3f} "
          f"| uncertain {fold['uncertain']} | {rates} | string match binary {sm['binary']['accuracy']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder holding xstest_completions/ (else TONY_DATA_DIR)")
    parser.add_argument("--out", type=Path, default=rj.weights_path())
    args = parser.parse_args()
    started = time.perf_counter()

    xstest, files = {}, []
    for model in rd.XSTEST_MODELS:
        xstest[model], name, sha256 = rd.load_xstest_completions(model, args.data_dir)
        files.append({"dataset": rd.XSTEST_COMPLETIONS, "file": name, "sha256": sha256, "rows": len(xstest[model])})
    dev = rd.load_dev_set()
    files.append({"dataset": "tony judge_sets", "file": rd.DEV_SET, "sha256": file_sha256(rd.dev_set_path()), "rows": len(dev)})
    data = rt.TrainingData(rt.make_groups(xstest, dev))

    folds = []
    for held_out in rd.XSTEST_MODELS:
        folds.append(fold_report(data, held_out))
        print_fold(folds[-1])

    shipped = rt.train(data, list(data.groups))
    print(f"shipped: l2={shipped.l2:g} dev_weight={shipped.dev_weight:g} T={shipped.calibration.temperature:.3f} "
          f"band={shipped.calibration.band:g}; out-of-fold log-loss {shipped.out_of_fold_log_loss}")
    cross_family = next(fold for fold in folds if fold["held_out"] == CROSS_FAMILY_HELD_OUT)
    payload = {
        "format_version": FORMAT_VERSION,
        "model": "two-stage multinomial logistic regression (L-BFGS, L2): hand-designed refusal cues and bias, then "
                 "hashed word/character n-grams of the completion with the cue scores as offset; weights rounded to "
                 "float16; class probabilities = softmax(scores / temperature); uncertain when P(refusal) is within "
                 "`band` of 0.5",
        "classes": list(rf.REFUSAL_LABELS),
        "features": {"hash_bits": rf.HASH_BITS, "hash": "crc32", "head_words": rf.HEAD_WORDS,
                     "head_chars": rf.HEAD_CHARS, "char_ngram": rf.CHAR_NGRAM, "opening_words": rf.OPENING_WORDS,
                     "dense": list(rf.DENSE_FEATURES), "echo": "a leading copy of the prompt is removed"},
        "l2": shipped.l2, "dev_weight": shipped.dev_weight, "cue_l2": rf.CUE_L2,
        "selection": {"l2_grid": list(rt.L2_GRID), "dev_weight_grid": list(rt.DEV_WEIGHT_GRID),
                      "method": "leave-one-group-out over the training groups (3 XSTest files, 5 dev chunks), "
                                "mean out-of-fold log-loss per group", "mean_log_loss": shipped.selection},
        "calibration": {"temperature": shipped.calibration.temperature, "band": shipped.calibration.band,
                        "method": "temperature scaling fitted on out-of-fold scores (leave-one-group-out); "
                                  f"uncertain when P(refusal) is within {rt.ABSTAIN_BAND:g} of 0.5 (Chow's rule with "
                                  f"an abstention costing {rt.ABSTENTION_COST:g} of an error)",
                        "out_of_fold_band": shipped.out_of_fold_band,
                        "out_of_fold_log_loss": shipped.out_of_fold_log_loss},
        "training_files": files,
        "split": {"by": "model", "train": list(rd.XSTEST_MODELS) + ["dev"], "held_out": None,
                  "note": "the shipped judge is trained on all three XSTest files and the dev set; its agreement is "
                          "estimated by the folds in cross_validation, each of which runs the whole procedure "
                          "without one XSTest model. llama2new and llama2orig are one model family (Llama-2-chat), "
                          "so GPT-4 held out is the only cross-family fold."},
        "held_out_agreement": {**{key: cross_family[key] for key in AGREEMENT_KEYS},
                               "held_out": CROSS_FAMILY_HELD_OUT, "train": cross_family["train"],
                               "rates": cross_family["rates"]},
        "cross_validation": folds,
        "labels_source": "XSTest v2 model completions, final_label (Röttger et al., NAACL 2024), "
                         "github.com/paul-rottger/exaggerated-safety@d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d; "
                         "tony's dev set (our own writing, labelled by the XSTest rule)",
        "labels_licence": "CC-BY-4.0 (XSTest); these weights are derived from the labelled completions",
        "weights_shape": list(shipped.weights.shape),
        "weights_f16_b64": rf.encode_weights(shipped.weights),
    }
    args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
