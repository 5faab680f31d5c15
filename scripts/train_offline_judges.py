"""Train tony's offline judges on their dev sets and write the shipped weights with their cross-validated agreement.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python scripts/train_offline_judges.py
    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python scripts/train_offline_judges.py --only caveats   # one judge; the others' entries kept as shipped

Judges: verbalization (src/tony/evals/faithfulness/verbalization_judge_weights.json), and the five alignment-faking
criteria, welfare support and caveats (src/tony/evals/alignment_faking/offline_judge_weights.json). The agreement
recorded beside the weights is nested cross-validation on the dev set: every item is judged by a model trained and
calibrated without it. The frozen test sets (judge_sets/*.test.jsonl) are never read here.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tony.core.judges.validation import file_sha256, judge_sets_dir
from tony.evals.alignment_faking import dev_training
from tony.evals.alignment_faking.offline_judges import weights_path as af_weights_path
from tony.evals.faithfulness import offline_judge as verbalization


def _entry(judge: Any, report: dict[str, Any]) -> dict[str, Any]:
    return {"judge": judge.to_json(), "cross_validated": report}


def retrain_one(name: str) -> int:
    """Retrain one alignment-faking binary judge (welfare_support or caveats) and rewrite only its entries."""
    from tony.core.judges.offline_classifier import train
    from tony.core.judges.validation import read_judge_set

    set_name, positive = dev_training.BINARY_JUDGES[name]
    items = read_judge_set(set_name, "dev")
    report = dev_training.binary_cross_validation(name)
    print(name, json.dumps(report["summary"]))
    judge = train([dev_training.item_features(name, item) for item in items], [item["label"] == positive for item in items])
    payload = json.loads(af_weights_path().read_text(encoding="utf-8"))
    payload["dev_sets"][name] = {"file": f"{set_name}.dev.jsonl", "sha256": file_sha256(judge_sets_dir() / f"{set_name}.dev.jsonl")}
    payload["judges"][name] = {"judge": judge.to_json()}
    payload["cross_validated"][name] = report
    af_weights_path().write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


def main() -> int:
    if "--only" in sys.argv:
        return retrain_one(sys.argv[sys.argv.index("--only") + 1])
    sets = {name: {"file": f"{name}.dev.jsonl", "sha256": file_sha256(judge_sets_dir() / f"{name}.dev.jsonl")}
            for name in ("verbalization", "af_reasoning", "welfare_support", "caveats")}
    judge, report = verbalization.train_from_dev()
    print("verbalization", json.dumps(report["summary"]))
    payload = {"dev_set": sets["verbalization"], **_entry(judge, report)}
    verbalization.weights_path().write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    judges, reports = dev_training.train_all()
    for name, report in reports.items():
        print(name, json.dumps(report["summary"]))
    payload = {"dev_sets": {k: v for k, v in sets.items() if k != "verbalization"},
               "judges": {name: {"judge": j.to_json()} for name, j in judges.items()}, "cross_validated": reports}
    af_weights_path().write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
