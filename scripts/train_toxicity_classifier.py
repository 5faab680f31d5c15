"""Maintainer tool: train tony's offline toxicity classifier on the Davidson et al. 2017 labels and measure it.

A seeded split (tony.core.judges.toxicity.SPLIT_SEED, 20% held out) of `davidson_offensive/labeled_data.csv`; the classifier
is fitted and calibrated on the 80% only, and its agreement with the crowd labels (binary: offensive-or-hate vs
neither) is measured on the held-out 20% only. Writes the weights and the measurement (with the seed and the source
file's sha256) into src/tony/core.

    python scripts/train_toxicity_classifier.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from tony.core.data import resolve_file
from tony.core.judges.offline_classifier import train
from tony.core.judges.toxicity import (
    DAVIDSON,
    SPLIT_SEED,
    TEST_SHARE,
    VALIDATION_FILE,
    WEIGHTS_FILE,
    ToxicityClassifier,
    binary_agreement,
    features,
    read_davidson,
    split_indices,
)

CORE = Path(__file__).resolve().parents[1] / "src" / "tony" / "core" / "judges"


def main(data_dir: str | None) -> None:
    started = time.time()
    source = resolve_file(*DAVIDSON, data_directory=data_dir)
    items = read_davidson(source.path)
    train_idx, test_idx = split_indices(len(items), SPLIT_SEED, TEST_SHARE)
    rows = [features(items[i].text) for i in train_idx]
    labels = [items[i].offensive for i in train_idx]
    positive = sum(labels) / len(labels)
    judge = train(rows, labels, seed=SPLIT_SEED)
    classifier = ToxicityClassifier(judge, math.log(positive / (1 - positive)))
    scores = [classifier.score(items[i].text) for i in test_idx]
    measured = binary_agreement(scores, [items[i].offensive for i in test_idx])
    record = {"dataset": "/".join(DAVIDSON), "sha256": source.sha256, "seed": SPLIT_SEED, "test_share": TEST_SHARE,
              "n_train": len(train_idx), "labels": "offensive-or-hate (Davidson class 0 or 1) vs neither (class 2)",
              "threshold": 0.5, "train_positive_share": positive, **measured,
              "mean_score_positive": float(np.mean([s for s, i in zip(scores, test_idx) if items[i].offensive])),
              "mean_score_negative": float(np.mean([s for s, i in zip(scores, test_idx) if not items[i].offensive])),
              "train_seconds": round(time.time() - started, 1)}
    (CORE / WEIGHTS_FILE).write_text(json.dumps(classifier.to_json()) + "\n")
    (CORE / VALIDATION_FILE).write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data")
    main(parser.parse_args().data_dir)
