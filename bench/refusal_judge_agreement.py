"""Agreement of the offline refusal judge with XSTest's human labels (Röttger et al., NAACL 2024),
each XSTest model held out in turn, beside the string-matching baseline; checks the numbers
recorded in the shipped weights file.

    OMP_NUM_THREADS=1 nice -n 10 python bench/refusal_judge_agreement.py --data-dir ../shared/data [--full] [--tiny]

For each held-out model (llama2new and llama2orig are one family, Llama-2-chat, so GPT-4 held out
is the one cross-family check), the judge is refitted without that model: on the other two XSTest
files and tony's dev set, with the hyperparameters, temperature and abstain band recorded for the
fold (`--full` reruns their selection by cross-validation on the training groups too). It prints,
side by side with XSTest's string-matching baseline on the same completions:

- 3-class and binary (partial refusal counted as refusal) accuracy and Cohen's κ, over all items
  (an `uncertain` verdict counting as a disagreement) and over the decided items;
- the refusal rate on the model's 200 unsafe and 250 safe prompts against the human-labelled rate
  (uncertain verdicts left out of the judge's rate and counted);
- whether everything equals what `refusal_judge_weights.json` records.

Then the shipped judge's speed (ms per item) and its files' sha256 against the data registry.
XSTest's own GPT-4 judge is not rerun here (it needs GPT-4); its published agreement is quoted
from the paper only where tony records it (`PUBLISHED_GPT4_JUDGE`).

`--tiny`: the GPT-4 fold only (the cross-family one) and the speed on its first 50 items; it still compares that
fold with the recorded numbers. The XSTest completions must be in the data directory (the bench does not download).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from tony.core.judges import refusal_judge as rj  # noqa: E402
from tony.core.judges import refusal_judge_data as rd  # noqa: E402
from tony.core.judges import refusal_judge_training as rt  # noqa: E402
from tony.core.data import DataError  # noqa: E402

# The XSTest paper's GPT-4 judge agreement with its human labels. Not recorded: the figure could not be
# checked against the paper when this bench was written, and a number that cannot be checked is not printed.
PUBLISHED_GPT4_JUDGE: dict[str, float] | None = None
COMPARED = ("n", "accuracy", "kappa", "uncertain", "confusion_matrix")


def refit_fold(data: rt.TrainingData, fold: dict, full: bool) -> list[str]:
    """The held-out model's labels from a judge fitted without it (recorded settings, or rerun with --full)."""
    if full:
        return rt.held_out_fold(data, fold["held_out"])[1]
    weights = rt.fit(data, fold["train"], fold["l2"], fold["dev_weight"])
    calibration = rt.Calibration(fold["calibration"]["temperature"], fold["calibration"]["band"])
    trained = rt.TrainedJudge(weights, calibration, fold["l2"], fold["dev_weight"], {}, {}, {})
    return rt.predict_labels(trained, data.matrices[fold["held_out"]])


def cells(report: dict) -> str:
    binary = report["binary"]
    return (f"{report['accuracy']:.3f} {report['kappa']:.3f} | {binary['accuracy']:.3f} {binary['kappa']:.3f}")


def rate_cells(rates: dict) -> str:
    return " | ".join(f"{rates[name]['judge_rate']:.3f} ({rates[name]['error']:+.3f})" for name in ("unsafe", "safe"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder holding xstest_completions/ (else TONY_DATA_DIR)")
    parser.add_argument("--full", action="store_true", help="rerun hyperparameter and temperature selection per fold")
    parser.add_argument("--tiny", action="store_true", help="the GPT-4 fold only, speed on 50 items")
    args = parser.parse_args()

    meta = rj.load_offline_judge().metadata
    recorded_files = {entry["file"]: entry["sha256"] for entry in meta["training_files"]}
    xstest = {}
    for model in rd.XSTEST_MODELS:
        try:
            xstest[model], name, sha256 = rd.load_xstest_completions(model, args.data_dir)
        except (DataError, OSError) as error:
            parser.error(f"XSTest completions ({rd.XSTEST_COMPLETIONS}) not usable from --data-dir {args.data_dir} or "
                         f"TONY_DATA_DIR: {error}")
        if recorded_files.get(name) != sha256:
            print(f"warning: {name} differs from the file the weights were trained on")
    data = rt.TrainingData(rt.make_groups(xstest, rd.load_dev_set()))

    print("held out (family)        | judge: 3-class acc κ | binary acc κ | uncertain | decided 3-class, binary acc "
          "|| string match: 3-class acc κ | binary acc κ")
    rate_lines, all_same = [], True
    folds = [fold for fold in meta["cross_validation"] if not args.tiny or fold["held_out"] == "gpt4"]
    for fold in folds:
        rows = data.groups[fold["held_out"]]
        reference = [row.label for row in rows]
        predicted = refit_fold(data, fold, args.full)
        report = rd.agreement_report(predicted, reference)
        rates = rd.rate_report(rows, predicted)
        matched = [rd.string_match_label(row.completion) for row in rows]
        baseline = rd.agreement_report(matched, reference)
        same = all(report[key] == fold[key] for key in COMPARED) and report["binary"] == fold["binary"] \
            and rates == fold["rates"]
        all_same &= same
        label = f"{fold['held_out']} ({fold['family']}{', cross-family' if fold['cross_family'] else ''})"
        print(f"{label:<24} | {cells(report)} | {report['uncertain']:>3} | {report['decided']['accuracy']:.3f}, "
              f"{report['binary']['decided']['accuracy']:.3f} || {cells(baseline)} | recorded: {'same' if same else 'DIFFERENT'}")
        human = " | ".join(f"{rates[name]['human_rate']:.3f}" for name in ("unsafe", "safe"))
        rate_lines.append(f"{fold['held_out']:<11} human {human} || judge {rate_cells(rates)} (uncertain left out: "
                          f"{rates['unsafe']['left_out']}, {rates['safe']['left_out']}) || string match "
                          f"{rate_cells(rd.rate_report(rows, matched))}")
    print("\nrefusal rate on unsafe | safe prompts (error against the human rate)")
    print("\n".join(rate_lines))
    if PUBLISHED_GPT4_JUDGE is None:
        print("\nXSTest's GPT-4 judge: its published agreement is not recorded in tony (see PUBLISHED_GPT4_JUDGE).")

    rows = xstest["gpt4"][:50] if args.tiny else xstest["gpt4"]
    started, cpu_started = time.perf_counter(), time.process_time()
    for row in rows:
        rj.offline_refusal_verdict(row.prompt, row.completion)
    wall_ms = (time.perf_counter() - started) / len(rows) * 1000
    cpu_ms = (time.process_time() - cpu_started) / len(rows) * 1000
    print(f"\nshipped judge (trained on all three XSTest files and the dev set): T={meta['calibration']['temperature']:.3f}, "
          f"band {meta['calibration']['band']:g}; per item {cpu_ms:.2f} ms of CPU, {wall_ms:.2f} ms wall "
          f"(one thread; wall time grows with the machine's load, {os.getloadavg()[0]:.1f} now)")
    print(f"folds match the recorded agreement and rates: {'yes' if all_same else 'NO'}")
    print(f"measured: agreement of the refusal judge refitted without each of {len(folds)} held-out XSTest model(s) "
          f"with the human labels, beside string matching, and ms per item on {len(rows)} items"
          + ("; --tiny: one fold only" if args.tiny else ""))
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
