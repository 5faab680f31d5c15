"""Leave-one-source-out check of what the card prints for a judged rate (tony.core.stats.judge_correction).

    .venv/bin/python bench/judge_correction.py [--simulate 200] [--seed 0] [--tiny]

Part 1, real sources: for each judge and each of its sources (frozen blind test files, independent public labels)
held out in turn, the other sources play the judge's validation; the held-out source's items play the card's
replies. Printed per case: human rate, raw judged rate, Rogan–Gladen corrected with the other sources, |error| of
each, the figure the card prints first (policy) and whether its interval covers the human rate. A judge with one
source has no case: nothing is left to validate it with. Totals: cases where the correction / the printed figure is
farther from the human rate than raw, and coverage.

Part 2, simulation with known truth: judges whose Se and Sp vary between sources (logit-normal, τ = 0.6 on the
logit scale) seen through 4 sources of 100 items; the same leave-one-source-out check, beside the old
single-source correction (one set's Se/Sp taken as the truth, Jeffreys-Beta interval).

`--tiny`: part 1 as always, part 2 with 2 simulated judges per setting: it checks that the bench runs; two judges are
too few to read part 2 as a result.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import tony._registry  # noqa: F401  (every judge registers itself)
from tony.core.stats.judge_correction import SourceCounts, correction_interval, judged_rate
from tony.core.judges.judge_sources import TOXICITY_JUDGE, sources_of
from tony.core.judges.validation import corrected_rate, JudgeValidation, registered_judges


def loso_rows(judge: str, sources: list[SourceCounts]) -> list[dict[str, object]]:
    rows = []
    for index, held in enumerate(sources):
        if not (held.tp + held.fn and held.tn + held.fp):
            continue
        others = [s for i, s in enumerate(sources) if i != index]
        events, n = held.tp + held.fp, held.decided
        human, raw = held.human_rate(), events / n
        fix = correction_interval(events, n, others) if others else None
        printed = judged_rate(events, n, others)
        first = printed.first
        rows.append({"judge": judge, "held_out": held.source, "human": human, "raw": raw,
                     "corrected": fix[0].value if fix else None, "printed": first.value,
                     "printed_is_corrected": printed.corrected,
                     "covers": first.low is not None and first.high is not None and first.low <= human <= first.high})
    return rows


def _err(value: float | None, human: float) -> str:
    return "—" if value is None else f"{abs(value - human):.3f}"


def print_table(rows: list[dict[str, object]]) -> None:
    print(f"{'judge':<24} {'held-out source':<34} human   raw  corr |e|raw |e|corr printed covers")
    for r in rows:
        human = float(r["human"])  # type: ignore[arg-type]
        corrected = r["corrected"]
        print(f"{r['judge']:<24} {str(r['held_out'])[:34]:<34} {human:.3f} {float(r['raw']):.3f} "  # type: ignore[arg-type]
              f"{'  —  ' if corrected is None else f'{corrected:.3f}'} {_err(r['raw'], human):>6} "  # type: ignore[arg-type]
              f"{_err(corrected, human):>7} {'corr' if r['printed_is_corrected'] else 'raw ':>7} {'yes' if r['covers'] else 'NO':>6}")


def totals(rows: list[dict[str, object]]) -> str:
    def farther(key: str) -> int:
        return sum(1 for r in rows if r[key] is not None
                   and abs(float(r[key]) - float(r["human"])) > abs(float(r["raw"]) - float(r["human"])) + 1e-12)  # type: ignore[arg-type]
    corrected = sum(1 for r in rows if r["corrected"] is not None)
    return (f"cases {len(rows)}: correction farther than raw in {farther('corrected')} of {corrected}; printed figure "
            f"farther than raw in {farther('printed')}; printed interval covers the human rate in "
            f"{sum(1 for r in rows if r['covers'])} of {len(rows)}")


def real_sources() -> None:
    print("Part 1: real sources (current judge versions)\n")
    rows, single = [], []
    for judge in [*sorted(registered_judges()), TOXICITY_JUDGE]:
        found = sources_of(judge)
        counts = [r.counts() for r in found.records]
        if len(counts) < 2:
            single.append(f"{judge} ({len(counts)})")
            continue
        rows += loso_rows(judge, counts)
    print_table(rows)
    print("\n" + totals(rows))
    print(f"judges with fewer than 2 sources (no leave-one-source-out case yet): {', '.join(single)}\n")


def simulate(judges: int, seed: int, tau: float, count: int) -> None:
    print(f"\nPart 2: simulation, {judges} judges × {count} sources of 100 items, Se/Sp logit-normal over sources "
          f"(τ {tau} on the logit scale)")
    rng = np.random.default_rng(seed)
    rows, old = [], []
    for j in range(judges):
        mu_se, mu_sp = rng.uniform(1.0, 2.5), rng.uniform(1.0, 2.5)
        sources = []
        for s in range(count):
            se = 1 / (1 + np.exp(-rng.normal(mu_se, tau)))
            sp = 1 / (1 + np.exp(-rng.normal(mu_sp, tau)))
            prevalence = rng.uniform(0.2, 0.6)
            positives = rng.binomial(100, prevalence)
            tp = rng.binomial(positives, se)
            tn = rng.binomial(100 - positives, sp)
            sources.append(SourceCounts(f"sim{j}-{s}", int(tp), int(positives - tp), int(tn), int(100 - positives - tn)))
        rows += loso_rows(f"sim{j}", sources)
        for index, held in enumerate(sources):  # the old way: the first other source's Se/Sp as the truth
            other = sources[1] if index == 0 else sources[0]
            record = JudgeValidation("sim", other.source, "", "", other.decided, 0, 0, other.tp, other.fn, other.tn, other.fp,
                                     None, None)
            result = corrected_rate(held.tp + held.fp, held.decided, record, resamples=400).interval
            human = held.human_rate()
            old.append({"judge": "old", "held_out": held.source, "human": human, "raw": held.judged_rate(),
                        "corrected": result.value, "printed": result.value, "printed_is_corrected": True,
                        "covers": result.low is not None and result.high is not None and result.low <= human <= result.high})
    print("new policy:           " + totals(rows))
    print(f"  printed first as corrected in {sum(1 for r in rows if r['printed_is_corrected'])} of {len(rows)} cases")
    print("old single-source RG: " + totals(old))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulate", type=int, default=200, help="simulated judges (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tiny", action="store_true", help="2 simulated judges per setting")
    args = parser.parse_args()
    if args.tiny:
        args.simulate = 2
    if args.simulate < 0:
        parser.error(f"--simulate must be 0 or more, not {args.simulate}")
    real_sources()
    if args.simulate:
        simulate(args.simulate, args.seed, 0.6, 4)  # sources disagree: the correction should not be printed
        simulate(args.simulate, args.seed, 0.6, 6)
        simulate(args.simulate, args.seed, 0.05, 6)  # sources agree: the correction may earn its place
    print(f"measured: leave-one-source-out error and coverage of the printed judged rate on the judges' real sources"
          + (f", and on {args.simulate} simulated judges in 3 settings" if args.simulate else "")
          + ("; --tiny: too few simulated judges to read part 2 as a result" if args.tiny else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
