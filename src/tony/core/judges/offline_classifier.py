"""A small calibrated binary classifier with an abstain band, shared by tony's trained offline judges.

Each judge turns an item into hand-designed cue values (`dense`) and hashed word n-grams (`hashed`); this module
fits a logistic regression on them in two stages, as the refusal judge does (`tony.core.judges.refusal_judge.fit_weights`):
the cues first, then the n-grams as a correction with a stronger penalty, so that text in a style never seen in
training falls back to the cues. Raw scores are calibrated by Platt scaling fitted on out-of-fold scores of the
dev set, and a calibrated probability inside the abstain band (`ABSTAIN_BAND`) gives no verdict: the judge
reports it as uncertain instead of deciding it.

Cross-validation (`cross_validated_probabilities`) is nested: the model that scores a fold, and the calibration
applied to it, are both fitted on the other folds only, so agreement figures are never on items a model saw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import sparse

from tony.core.judges.refusal_judge import _fit_logistic, _hash, _tokens, decode_weights, encode_weights

HASH_DIM = 1 << 14  # the refusal judge's hash space (`_hash` reduces crc32 modulo it)
ABSTAIN_BAND = (0.3, 0.7)  # calibrated P(positive) strictly inside this band: uncertain
NGRAM_L2 = 3e-2
CUE_L2 = 1e-2
FOLDS = 5


@dataclass(frozen=True)
class Features:
    """One item: hashed n-gram values by index, and the dense cue values (the last one is the bias, 1.0)."""

    hashed: dict[int, float]
    dense: np.ndarray


def hashed_ngrams(tokens: Sequence[str], namespace: str, bigrams: bool = True) -> dict[int, float]:
    """Unigrams (and bigrams) of `tokens` hashed into `namespace`, scaled to unit norm."""
    grams = set(tokens) | ({f"{a} {b}" for a, b in zip(tokens, tokens[1:])} if bigrams else set())
    if not grams:
        return {}
    value = 1.0 / math.sqrt(len(grams))
    out: dict[int, float] = {}
    for gram in grams:
        index = _hash(f"{namespace}|{gram}")
        out[index] = out.get(index, 0.0) + value
    return out


def words(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped), as the refusal judge splits text."""
    return [token for token in _tokens(text) if token[0].isalnum()]


def merge(*parts: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for part in parts:
        for index, value in part.items():
            out[index] = out.get(index, 0.0) + value
    return out


def design_matrix(rows: Sequence[Features]) -> sparse.csr_matrix:
    n_dense = len(rows[0].dense)
    r, c, v = [], [], []
    for i, row in enumerate(rows):
        r.extend([i] * (len(row.hashed) + n_dense))
        c.extend(list(row.hashed) + list(range(HASH_DIM, HASH_DIM + n_dense)))
        v.extend(list(row.hashed.values()) + row.dense.tolist())
    return sparse.csr_matrix((v, (r, c)), shape=(len(rows), HASH_DIM + n_dense))


def _binary_logistic(x: sparse.csr_matrix, y: np.ndarray, penalty: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Logit weights of a binary logistic regression (the refusal judge's softmax fit with two classes)."""
    onehot = np.eye(2)[y.astype(int)]
    offsets = np.column_stack([np.zeros_like(offset), offset])
    w = _fit_logistic(x, onehot, penalty, offsets, max_iter=500)
    return w[:, 1] - w[:, 0]


def fit_linear(rows: Sequence[Features], y: np.ndarray, ngram_l2: float = NGRAM_L2, cue_l2: float = CUE_L2) -> np.ndarray:
    """Two-stage fit: cues (bias unpenalised), then n-grams with the cue score as a fixed offset."""
    x = design_matrix(rows)
    dense, hashed = x[:, HASH_DIM:], x[:, :HASH_DIM]
    penalty = np.full((dense.shape[1], 1), cue_l2)
    penalty[-1] = 0.0
    cue_w = _binary_logistic(dense, y, penalty, np.zeros(len(y)))
    used = np.unique(sparse.csr_matrix(hashed).indices)  # columns no row touches keep weight 0: leave them out of the fit
    ngram_w = np.zeros(HASH_DIM)
    ngram_w[used] = _binary_logistic(hashed[:, used], y, np.full((len(used), 1), ngram_l2), np.asarray(dense @ cue_w).ravel())
    return np.concatenate([ngram_w, cue_w])


def raw_scores(weights: np.ndarray, rows: Sequence[Features]) -> np.ndarray:
    return np.asarray(design_matrix(rows) @ weights).ravel()


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) of P = sigmoid(a·score + b), fitted by logistic regression on held-out scores."""
    x = sparse.csr_matrix(np.column_stack([scores, np.ones_like(scores)]))
    w = _binary_logistic(x, y, np.array([[1e-3], [0.0]]), np.zeros(len(y)))
    return float(w[0]), float(w[1])


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def stratified_folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A fold number per item, each class spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    folds = np.empty(len(y), dtype=int)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        folds[members] = np.arange(len(members)) % k
    return folds


def _out_of_fold_scores(rows: Sequence[Features], y: np.ndarray, k: int, seed: int) -> np.ndarray:
    folds = stratified_folds(y, k, seed)
    scores = np.empty(len(y))
    for fold in range(k):
        train = np.flatnonzero(folds != fold)
        weights = fit_linear([rows[i] for i in train], y[train])
        scores[folds == fold] = raw_scores(weights, [rows[i] for i in np.flatnonzero(folds == fold)])
    return scores


@dataclass(frozen=True)
class CalibratedJudge:
    """Linear weights over `HASH_DIM` hashed features plus the dense cues, a Platt calibration and the band."""

    weights: np.ndarray
    platt: tuple[float, float]
    band: tuple[float, float] = ABSTAIN_BAND

    @cached_property
    def _hashed_weights(self) -> list[float]:
        """The n-gram weights as Python floats: the same float64 products and sums as numpy scalars, faster."""
        return self.weights[:HASH_DIM].tolist()

    def probability(self, row: Features) -> float:
        weights = self._hashed_weights
        score = sum(weights[i] * v for i, v in row.hashed.items()) + float(row.dense @ self.weights[HASH_DIM:])
        return float(sigmoid(self.platt[0] * score + self.platt[1]))

    def decide(self, probability: float) -> bool | None:
        """True or False, or None inside the abstain band."""
        low, high = self.band
        if probability >= high:
            return True
        if probability <= low:
            return False
        return None

    def to_json(self) -> dict[str, Any]:
        nonzero = np.flatnonzero(self.weights[:HASH_DIM])
        return {"hashed_indices": nonzero.tolist(), "hashed_f16_b64": encode_weights(self.weights[nonzero]),
                "dense_f16_b64": encode_weights(self.weights[HASH_DIM:]), "n_dense": len(self.weights) - HASH_DIM,
                "platt": list(self.platt), "band": list(self.band)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CalibratedJudge":
        weights = np.zeros(HASH_DIM + data["n_dense"])
        indices = np.array(data["hashed_indices"], dtype=int)
        weights[indices] = decode_weights(data["hashed_f16_b64"], [len(indices)])
        weights[HASH_DIM:] = decode_weights(data["dense_f16_b64"], [data["n_dense"]])
        return cls(weights, (float(data["platt"][0]), float(data["platt"][1])), (float(data["band"][0]), float(data["band"][1])))


def train(rows: Sequence[Features], y: Sequence[bool], k: int = FOLDS, seed: int = 0) -> CalibratedJudge:
    """Weights fitted on all rows; the calibration on their out-of-fold scores; weights rounded as shipped."""
    target = np.asarray(y, dtype=int)
    platt = fit_platt(_out_of_fold_scores(rows, target, k, seed), target)
    weights = fit_linear(rows, target).astype(np.float16).astype(np.float64)
    return CalibratedJudge(weights, platt)


def cross_validated_probabilities(rows: Sequence[Features], y: Sequence[bool], folds: np.ndarray,
                                  trainer: Callable[..., CalibratedJudge] = train) -> np.ndarray:
    """Calibrated P(positive) of every row from a judge trained, and calibrated, without the row's fold."""
    target = np.asarray(y, dtype=int)
    out = np.empty(len(target))
    for fold in np.unique(folds):
        train_idx = np.flatnonzero(folds != fold)
        judge = trainer([rows[i] for i in train_idx], target[train_idx], k=FOLDS - 1)
        for i in np.flatnonzero(folds == fold):
            out[i] = judge.probability(rows[i])
    return out


def decide(probability: float, band: tuple[float, float] = ABSTAIN_BAND) -> bool | None:
    """The verdict of a calibrated probability: True, False, or None inside the abstain band."""
    return CalibratedJudge(np.zeros(0), (1.0, 0.0), band).decide(probability)


def agreement_summary(verdicts: Sequence[bool | None], y: Sequence[bool], groups: Sequence[str] | None = None) -> dict[str, Any]:
    """Agreement of verdicts (None = uncertain) with labels: accuracy and Cohen's κ over all items (an uncertain
    verdict counting as a disagreement), accuracy over the decided ones, the uncertain count; per group if given."""
    from tony.core.stats.intervals import agreement  # local: stats is only needed when measuring

    def one(indices: list[int]) -> dict[str, Any]:
        predicted = ["uncertain" if verdicts[i] is None else str(bool(verdicts[i])) for i in indices]
        reference = [str(bool(y[i])) for i in indices]
        decided = [i for i in indices if verdicts[i] is not None]
        overall = agreement(predicted, reference)
        return {"n": len(indices), "uncertain": len(indices) - len(decided), "accuracy": overall["accuracy"],
                "kappa": overall["kappa"],
                "accuracy_decided": (sum(bool(verdicts[i]) == bool(y[i]) for i in decided) / len(decided)) if decided else None}

    everything = list(range(len(y)))
    result = {"summary": one(everything)}
    if groups is not None:
        result["by_group"] = {g: one([i for i in everything if groups[i] == g]) for g in sorted(set(groups))}
    return result


def held_out_groups(rows: Sequence[Features], y: Sequence[bool], groups: Sequence[str]) -> dict[str, Any]:
    """Agreement on each group of items (e.g. hand-written ones) by a judge trained on the other groups only:
    a check on writing the judge has not seen, where folds of composed items share their sentences."""
    target = np.asarray(y, dtype=int)
    out = {}
    for group in sorted(set(groups)):
        inside = [i for i, g in enumerate(groups) if g == group]
        outside = [i for i, g in enumerate(groups) if g != group]
        if len(set(target[outside])) < 2:
            continue
        judge = train([rows[i] for i in outside], target[outside])
        verdicts = [judge.decide(judge.probability(rows[i])) for i in inside]
        out[group] = agreement_summary(verdicts, [y[i] for i in inside])["summary"]
    return out
