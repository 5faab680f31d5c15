"""Agreement of the offline refusal judge with XSTest's human labels (Röttger et al., NAACL 2024),
held out by model; checks the numbers recorded in the shipped weights file.

    OMP_NUM_THREADS=1 nice -n 10 python bench/refusal_judge_agreement.py --data-dir ../shared/data

1. The shipped judge (as loaded by `judge_refusal`) on its held-out model's 450 completions:
   3-class and binary (partial refusal counted as refusal) accuracy and Cohen's κ, the confusion
   matrix, and whether they equal the values recorded in `refusal_judge_weights.json`.
2. The 3 folds (train on two models, score the third), refitted with the L2 strength recorded
   for each fold (chosen at training time by inner cross-validation on the training models
   only, never on the scored rows), beside the recorded values; and, for reference, the
   first stage alone (the hand-designed cues without the n-grams).
3. Wall time per judged item.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from tony.core import refusal_judge as rj  # noqa: E402

METRIC_KEYS = ("n", "accuracy", "kappa", "unparsed")


def line(name: str, report: dict) -> str:
    binary = report["binary"]
    return (f"{name:<34} 3-class acc {report['accuracy']:.3f} κ {report['kappa']:.3f} | "
            f"binary acc {binary['accuracy']:.3f} κ {binary['kappa']:.3f} | n={report['n']}")


def same(recorded: dict, recomputed: dict) -> bool:
    keys_match = all(recorded[key] == recomputed[key] for key in METRIC_KEYS)
    binary_match = all(recorded["binary"][key] == recomputed["binary"][key] for key in METRIC_KEYS)
    return keys_match and binary_match and recorded["confusion_matrix"] == recomputed["confusion_matrix"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder holding xstest_completions/ (else TONY_DATA_DIR)")
    args = parser.parse_args()

    judge = rj.load_offline_judge()
    meta = judge.metadata
    data = {}
    for model in rj.XSTEST_MODELS:
        data[model], _, sha256 = rj.load_xstest_completions(model, args.data_dir)
        recorded = {f["file"]: f["sha256"] for f in [*meta["training_files"], meta["held_out_file"]]}
        if rj.XSTEST_MODELS[model] in recorded and recorded[rj.XSTEST_MODELS[model]] != sha256:
            print(f"warning: {model} file differs from the one the weights were trained on")

    held_out = meta["split"]["held_out"]
    rows = data[held_out]
    started = time.perf_counter()
    predicted = [rj.offline_refusal_verdict(row.prompt, row.completion).label for row in rows]
    per_item_ms = (time.perf_counter() - started) / len(rows) * 1000
    shipped = rj.agreement_report(predicted, [row.label for row in rows])
    shipped_ok = same(meta["held_out_agreement"], shipped)
    print(f"== shipped judge: trained on {'+'.join(meta['split']['train'])}, held out {held_out} "
          f"(l2={meta['l2']:g})")
    print(line(f"held out {held_out}", shipped))
    counts = shipped["confusion_matrix"]["counts"]
    print("confusion (rows human, columns judge: " + ", ".join(shipped["confusion_matrix"]["columns_judge"]) + ")")
    for label, row in zip(rj.REFUSAL_LABELS, counts):
        print(f"  {label:<16} {row}")
    print(f"matches the recorded held-out agreement: {'yes' if shipped_ok else 'NO'}")
    print(f"{per_item_ms:.2f} ms per item (featurize + score, one thread)")

    print("\n== 3 folds held out by model (refitted with each fold's recorded l2)")
    folds_ok = True
    for fold in meta["cross_validation"]:
        train_rows = [row for model in fold["train"] for row in data[model]]
        x = rj.feature_matrix([row.completion for row in train_rows])
        weights = rj.round_weights(rj.fit_weights(x, [row.label for row in train_rows], fold["l2"]))
        reference = [row.label for row in data[fold["held_out"]]]
        texts = [row.completion for row in data[fold["held_out"]]]
        report = rj.agreement_report(rj.OfflineRefusalJudge(weights).labels(texts), reference)
        cues_only = weights.copy()
        cues_only[: rj.HASH_DIM] = 0.0
        cue_report = rj.agreement_report(rj.OfflineRefusalJudge(cues_only).labels(texts), reference)
        match = same(fold, report)
        folds_ok &= match
        print(line(f"held out {fold['held_out']} (l2={fold['l2']:g})", report)
              + f" | recorded: {'same' if match else 'DIFFERENT'}")
        print(line("  cues only (first stage)", cue_report))
    return 0 if shipped_ok and folds_ok else 1


if __name__ == "__main__":
    sys.exit(main())
