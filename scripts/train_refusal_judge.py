"""Maintainer tool: train the offline refusal judge and write src/tony/core/refusal_judge_weights.json.

Data: the XSTest v2 model completions with human labels (Röttger et al., NAACL 2024; CC-BY-4.0),
450 prompts × 3 models (gpt4, llama2new, llama2orig), read through the data registry
(sha256-verified).

Evaluation holds out by model, so that the judge is always scored on completions of a model it
never saw:
  - 3 folds: train on two models, report agreement on the third;
  - inside each fold the L2 strength is chosen by inner cross-validation on the two training
    models only (train on one, score on the other, both ways), so that no held-out row is used
    for tuning;
  - the shipped weights are the fold that trains on the two llama2 files and holds out GPT-4
    (a different model family from the training data: the case closest to judging a new model).

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

import numpy as np  # noqa: E402

from tony.core import refusal_judge as rj  # noqa: E402
from tony.core.stats import agreement  # noqa: E402

L2_GRID = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)  # of the n-gram stage
SHIPPED_HELD_OUT = "gpt4"
FORMAT_VERSION = 1


def agreement_report(judge: rj.OfflineRefusalJudge, rows: list[rj.LabelledCompletion]) -> dict:
    predicted = judge.labels([row.completion for row in rows])
    return rj.agreement_report(predicted, [row.label for row in rows])


def select_l2(data: dict[str, list[rj.LabelledCompletion]], train_models: list[str],
              matrices: dict[str, object]) -> tuple[float, dict[str, float]]:
    """Mean inner accuracy per L2 strength (train on one training model, score on the other);
    the best one, ties going to the stronger penalty."""
    scores: dict[str, float] = {}
    for l2 in L2_GRID:
        accuracies = []
        for inner_train in train_models:
            inner_test = next(model for model in train_models if model != inner_train)
            weights = rj.fit_weights(matrices[inner_train], [r.label for r in data[inner_train]], l2)
            judge = rj.OfflineRefusalJudge(rj.round_weights(weights))
            predicted = judge.labels([r.completion for r in data[inner_test]])
            accuracies.append(agreement(predicted, [r.label for r in data[inner_test]])["accuracy"])
        scores[repr(l2)] = float(np.mean(accuracies))
    best = max(L2_GRID, key=lambda l2: (round(scores[repr(l2)], 9), l2))
    return best, scores


def train_fold(data, matrices, held_out: str) -> tuple[dict, np.ndarray]:
    train_models = [model for model in rj.XSTEST_MODELS if model != held_out]
    l2, inner = select_l2(data, train_models, matrices)
    rows = [row for model in train_models for row in data[model]]
    x = rj.feature_matrix([row.completion for row in rows])
    weights = rj.round_weights(rj.fit_weights(x, [row.label for row in rows], l2))
    report = agreement_report(rj.OfflineRefusalJudge(weights), data[held_out])
    fold = {"held_out": held_out, "train": train_models, "l2": l2, "inner_accuracy_by_l2": inner, **report}
    return fold, weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder holding xstest_completions/ (else TONY_DATA_DIR)")
    parser.add_argument("--out", type=Path, default=rj.weights_path())
    args = parser.parse_args()
    started = time.perf_counter()

    data, files = {}, {}
    for model in rj.XSTEST_MODELS:
        data[model], name, sha256 = rj.load_xstest_completions(model, args.data_dir)
        files[model] = {"dataset": rj.XSTEST_COMPLETIONS, "file": name, "sha256": sha256, "rows": len(data[model])}
    matrices = {model: rj.feature_matrix([row.completion for row in rows]) for model, rows in data.items()}

    folds, shipped = [], None
    for held_out in rj.XSTEST_MODELS:
        fold, weights = train_fold(data, matrices, held_out)
        folds.append(fold)
        if held_out == SHIPPED_HELD_OUT:
            shipped = (fold, weights)
        binary = fold["binary"]
        print(f"held out {held_out:<10} (train {'+'.join(fold['train'])}, l2={fold['l2']:g}): "
              f"3-class accuracy {fold['accuracy']:.3f} κ {fold['kappa']:.3f} | "
              f"binary accuracy {binary['accuracy']:.3f} κ {binary['kappa']:.3f} | n={fold['n']}")
    assert shipped is not None
    fold, weights = shipped

    payload = {
        "format_version": FORMAT_VERSION,
        "model": "two-stage multinomial logistic regression (L-BFGS, L2): hand-designed refusal cues "
                 "and bias, then hashed word/character n-grams of the completion with the cue scores "
                 "as offset; weights rounded to float16",
        "classes": list(rj.REFUSAL_LABELS),
        "features": {"hash_bits": rj.HASH_BITS, "hash": "crc32", "head_words": rj.HEAD_WORDS,
                     "head_chars": rj.HEAD_CHARS, "char_ngram": rj.CHAR_NGRAM,
                     "opening_words": rj.OPENING_WORDS, "dense": list(rj.DENSE_FEATURES)},
        "l2": fold["l2"],
        "cue_l2": rj.CUE_L2,
        "l2_grid": list(L2_GRID),
        "training_files": [files[model] for model in fold["train"]],
        "held_out_file": files[SHIPPED_HELD_OUT],
        "split": {"by": "model", "train": fold["train"], "held_out": SHIPPED_HELD_OUT,
                  "tuning": "L2 chosen by inner cross-validation between the training models only"},
        "held_out_agreement": {key: fold[key] for key in
                               ("n", "accuracy", "kappa", "unparsed", "confusion_matrix", "binary")},
        "cross_validation": folds,
        "labels_source": "XSTest v2 model completions, final_label (Röttger et al., NAACL 2024), "
                         "github.com/paul-rottger/exaggerated-safety@d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d",
        "labels_licence": "CC-BY-4.0; these weights are derived from the labelled completions",
        "weights_shape": list(weights.shape),
        "weights_f16_b64": rj.encode_weights(weights),
    }
    args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
