"""Prompt log-probabilities from a llama.cpp context that evaluates the shared context once.

log P(c | x) = Σ_{t=1}^{|c|} log softmax(z_{n+t-1})[c_t], where x has n tokens, c_t is the continuation's t-th token
and z_i is the logit row the model outputs at position i (Brown et al. 2020, §2 — scoring a fixed completion by its
conditional likelihood). Every continuation of one call shares the tokens of x, so x is evaluated once (reusing
whatever prefix of it the context's KV cache already holds from the previous call) and each continuation is then
evaluated from n_past = n after its cache entries past n are dropped. The last token of a continuation is never
evaluated: its probability is read from the row before it, so a one-token continuation costs no evaluation at all.
No batch of one token is evaluated (see `_evaluate_from`): that keeps every logit equal to the previous method's.

Tokenisation at the boundary is the same as before prefix reuse: the continuation's tokens are those of
tokenise(x + c) after tokenise(x); where the boundary merged into one token (tokenise(x + c) does not begin with
tokenise(x)), the continuation is tokenised on its own. The scored sequence therefore always begins with exactly
tokenise(x), which is what makes the shared state exact to reuse.

`score_from_scratch` is the previous method (the whole sequence evaluated again for every continuation), kept as the
reference the tests and `bench/likelihood_throughput.py` compare against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

CHAT_MARKER = "<|im_start|>"  # a rendered chat prompt carries the template's special tokens


def _tokens(llama: Any, text: str, special: bool, add_bos: bool) -> list[int]:
    return list(llama.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special))


def split_tokens(llama: Any, context: str, continuations: Sequence[str]) -> tuple[list[int], list[list[int]]]:
    """The context's tokens and each continuation's tokens after them (see the module note on the boundary)."""
    special = CHAT_MARKER in context
    head = _tokens(llama, context, special, add_bos=not special)
    tails = []
    for continuation in continuations:
        whole = _tokens(llama, context + continuation, special, add_bos=not special)
        if whole[: len(head)] != head:  # the boundary merged into one token: score the continuation on its own
            whole = head + _tokens(llama, continuation, special=False, add_bos=False)
        if len(whole) == len(head):
            raise ValueError(f"empty continuation {continuation!r} cannot be scored")
        if len(whole) > llama.n_ctx():
            raise ValueError(f"context and continuation ({len(whole)} tokens) exceed the context window")
        tails.append(whole[len(head):])
    return head, tails


def log_softmax_at(rows: np.ndarray, tokens: Sequence[int]) -> float:
    """Σ_i log softmax(rows_i)[tokens_i] in float64: z[k] − max z − log Σ_j exp(z_j − max z)."""
    logits = np.asarray(rows, dtype=np.float64)
    top = logits.max(axis=1, keepdims=True)
    normaliser = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    return float((logits[np.arange(len(tokens)), list(tokens)] - normaliser).sum())


def _common_prefix(cached: np.ndarray, tokens: list[int]) -> int:
    limit = min(len(cached), len(tokens))
    differs = np.flatnonzero(cached[:limit] != np.asarray(tokens[:limit], dtype=cached.dtype))
    return int(differs[0]) if differs.size else limit


def _evaluate_from(llama: Any, tokens: list[int], n_past: int) -> None:
    """Evaluate `tokens` at positions n_past…; `Llama.eval` first drops the KV cache from n_past on.

    llama.cpp computes different logits (here up to 1.06 apart, at some positions) when a batch holds a single token;
    batches of two or more give the same logits bit for bit however a sequence is split (checked at every split of
    two contexts). So a batch that would hold one token takes the token before it along, evaluated again.
    """
    tokens, n_past = _no_single_token_batch(llama, tokens, n_past)
    llama.n_tokens = n_past
    llama.eval(tokens)


def _no_single_token_batch(llama: Any, tokens: list[int], n_past: int) -> tuple[list[int], int]:
    if len(tokens) % llama.n_batch == 1 and n_past > 0:
        return [int(llama.input_ids[n_past - 1]), *tokens], n_past - 1
    return tokens, n_past


def _evaluate_context(llama: Any, tokens: list[int], n_past: int) -> None:
    """Evaluate the context's `tokens` at positions n_past… keeping only the logits of its last position.

    The context's other logit rows are never read, so llama.cpp is asked for the last two rows only (it then
    skips the output layer, and the last layer's feed-forward, for the other positions). Two, not one: a matrix
    product over a single row is the path whose results differ (see `_evaluate_from`); with two the logits are
    the same bit for bit as with every row asked for.
    """
    tokens, n_past = _no_single_token_batch(llama, tokens, n_past)
    llama._ctx.kv_cache_seq_rm(-1, n_past, -1)
    llama.n_tokens = n_past
    for start in range(0, len(tokens), llama.n_batch):
        chunk = tokens[start : start + llama.n_batch]
        llama._batch.set_batch(batch=chunk, n_past=llama.n_tokens, logits_all=False)  # marks the chunk's last row
        outputs = 2 if start + llama.n_batch >= len(tokens) and len(chunk) > 1 else 1
        if outputs == 2:
            llama._batch.batch.logits[len(chunk) - 2] = True
        llama._ctx.decode(llama._batch)
        llama.input_ids[llama.n_tokens : llama.n_tokens + len(chunk)] = chunk
        llama.n_tokens += len(chunk)
    rows = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(outputs * llama.n_vocab(),))
    llama.scores[llama.n_tokens - outputs : llama.n_tokens, :].reshape(-1)[:] = rows


def score_with_shared_prefix(llama: Any, context: str, continuations: Sequence[str]) -> list[float]:
    """log P(c | context) for each continuation c, the context evaluated once. `llama` needs logits for all tokens."""
    head, tails = split_tokens(llama, context, continuations)
    n = len(head)
    try:
        # Reuse what the cache holds of the context, but evaluate at least its last token: its logit row scores
        # every continuation's first token.
        reused = min(_common_prefix(llama.input_ids[: llama.n_tokens], head), n - 1)
        _evaluate_context(llama, head[reused:], reused)
        first = np.array(llama.scores[n - 1 : n], dtype=np.float64)
        totals = []
        for tail in tails:
            total = log_softmax_at(first, tail[:1])
            if len(tail) > 1:
                _evaluate_from(llama, tail[:-1], n)
                total += log_softmax_at(llama.scores[n : n + len(tail) - 1], tail[1:])
            totals.append(total)
        return totals
    except BaseException:
        llama.reset()  # the cache may hold a half-evaluated batch: the next call starts from scratch
        raise


def score_from_scratch(llama: Any, context: str, continuations: Sequence[str]) -> list[float]:
    """The previous method, unchanged: context + continuation evaluated from an empty cache for every continuation."""
    head, tails = split_tokens(llama, context, continuations)
    totals = []
    for tail in tails:
        whole = head + tail
        llama.reset()
        llama.eval(whole)
        logits = np.asarray(llama.scores[: len(whole)], dtype=np.float64)
        total = 0.0
        for position in range(len(head), len(whole)):
            row = logits[position - 1]
            top = row.max()
            total += float(row[whole[position]] - top - np.log(np.exp(row - top).sum()))
        totals.append(total)
    return totals
