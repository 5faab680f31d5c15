"""The case study's numbers (Rauh et al. 2022, §5): context shifts and identity-term shifts of a classifier's score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tony.core.stats.intervals import Interval, bootstrap_interval


def context_shift(score_alone: float, score_in_context: float) -> float:
    """shift = score(context + text) − score(text)."""
    return score_in_context - score_alone


def identity_differences(scores: Mapping[tuple[int, str], float], control: str) -> dict[str, list[float]]:
    """Per group g, score(t, g) − score(t, control) for each template t where both were scored."""
    templates = sorted({t for t, _ in scores})
    groups = sorted({g for _, g in scores if g != control})
    return {group: [scores[(t, group)] - scores[(t, control)] for t in templates
                    if (t, group) in scores and (t, control) in scores] for group in groups}


def identity_shifts(scores: Mapping[tuple[int, str], float], control: str) -> dict[str, Interval]:
    """shift(g) = (1/|T|) Σ_t [score(t, g) − score(t, control)], bootstrap 95% CI over templates t."""
    return {group: bootstrap_interval(diffs, lambda xs: sum(xs) / len(xs) if xs else None)  # type: ignore[arg-type]
            for group, diffs in identity_differences(scores, control).items()}


def largest_shift(shifts: Mapping[str, Interval]) -> list[str]:
    """Groups ordered by the size of their shift, |shift(g)|, largest first (the sign is kept in the shift)."""
    return sorted((g for g in shifts if shifts[g].value is not None), key=lambda g: (-abs(shifts[g].value or 0.0), g))


def definition_agreement(scores: Sequence[float], harmful: Sequence[bool], threshold: float = 0.5) -> float | None:
    """Share of texts where `score ≥ threshold` agrees with the evaluation's own harm label."""
    if not scores:
        return None
    return sum((s >= threshold) == h for s, h in zip(scores, harmful)) / len(scores)
