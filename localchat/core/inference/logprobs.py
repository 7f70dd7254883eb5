"""Each sampled token's probability, read from the step's logits without slowing the reply.

After a token is drawn, the logits it was drawn from are still in the context (llama.cpp keeps
the last evaluated position's row; ``llama.last_logits`` views it without a copy): one pass over
the vocabulary gives the log-softmax normaliser and the entropy, and a partial sort (NumPy
``argpartition``) the k most likely tokens. Nothing is kept per position, so the context is
never created with ``logits_all`` (which holds n_ctx × n_vocab floats: 8 GiB for Gemma 3 at 8k).

The probability after the sampling settings is the one the token was drawn with, computed as
llama-cpp-python's sampler chain computes it (``Llama._init_sampler`` and
``llama.GrammarSampler``): the penalties over this reply's last ``penalty_last_n`` tokens
(repeat: a positive logit divided by it, a negative one multiplied; then minus count × frequency
and presence once), top-k, softmax, top-p (the smallest most likely set whose mass reaches p,
at least one token), min-p (tokens at least min_p × the best one's probability), then the
temperature: softmax(logit / T) over what is left. At temperature 0 the token is the argmax:
probability 1. Under a response format the grammar's mask is not counted (the fast path draws
without it first and masks only on a miss).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from typing import TYPE_CHECKING

import numpy as np

from localchat.core.chat.messages import Sampling
from localchat.core.chat.tokens import Alternative, TokenChoice
from localchat.core.inference import llama as native

if TYPE_CHECKING:
    from llama_cpp import Llama


def step_distribution(logits: np.ndarray) -> tuple[float, float]:
    """(log of the softmax's normaliser, entropy in nats) of one step's logits."""
    top = float(logits.max())
    weights = np.exp(logits - top)
    total = float(weights.sum())
    lse = top + math.log(total)
    # H = lse - E[logit]: one dot product instead of a second pass of logs
    entropy = lse - float(np.dot(weights, logits)) / total
    return lse, max(0.0, entropy)


def top_k(logits: np.ndarray, k: int) -> np.ndarray:
    """The ids of the ``k`` largest logits, largest first (a partial sort: O(vocabulary))."""
    k = min(k, len(logits))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    ids = np.argpartition(logits, -k)[-k:]
    return ids[np.argsort(-logits[ids], kind="stable")]


def candidates(logits: np.ndarray, k: int, sampling: Sampling, recent: "deque[int]") -> np.ndarray:
    """The ids, most likely first, that hold both the step's ``k`` alternatives and every token
    the sampling's top-k could keep once the penalties moved the recent tokens: one partial sort
    serves both."""
    if not 0 < sampling.top_k < len(logits) or sampling.temperature <= 0:
        return top_k(logits, k)
    return top_k(logits, max(k, sampling.top_k + len(recent)))


def sampled_probability(logits: np.ndarray, token: int, sampling: Sampling, recent: "deque[int]",
                        ranked: np.ndarray | None = None) -> float:
    """``token``'s probability under ``sampling`` (see the module's text); 0.0 when the
    settings left it out, which happens only when something else (a grammar) chose it.
    ``ranked``: ``candidates(...)`` when it was computed already."""
    penalized = bool(recent) and (sampling.repeat_penalty != 1.0 or sampling.frequency_penalty != 0
                                  or sampling.presence_penalty != 0)
    if sampling.temperature <= 0:
        if penalized:
            logits = _penalized(logits, None, sampling, recent)
        return 1.0 if int(np.argmax(logits)) == token else 0.0
    if 0 < sampling.top_k < len(logits):
        if ranked is None:
            ranked = top_k(logits, sampling.top_k + len(recent))
        # a recent token may sit below the cut until its penalty (a negative one) lifts it
        ids = ranked
        if penalized:
            ids = np.unique(np.concatenate([ranked, np.fromiter(recent, np.int64, len(recent))]))
    else:
        ids = np.arange(len(logits))
    values = _penalized(logits, ids, sampling, recent) if penalized else logits[ids]
    order = np.argsort(-values, kind="stable")
    if 0 < sampling.top_k < len(order):
        order = order[:sampling.top_k]
    ids, kept = ids[order], values[order].astype(np.float64)
    p = np.exp(kept - kept[0])
    p /= p.sum()
    if sampling.top_p < 1.0:
        reach = int(np.searchsorted(np.cumsum(p), sampling.top_p)) + 1  # the token that crosses p is kept
        ids, kept, p = ids[:reach], kept[:reach], p[:reach]
    if sampling.min_p > 0.0:
        keep = max(1, int(np.count_nonzero(p >= sampling.min_p * p[0])))
        ids, kept = ids[:keep], kept[:keep]
    where = np.flatnonzero(ids == token)
    if not len(where):
        return 0.0
    scaled = kept / sampling.temperature
    q = np.exp(scaled - scaled.max())
    return float(q[where[0]] / q.sum())


def _penalized(logits: np.ndarray, ids: np.ndarray | None, sampling: Sampling,
               recent: "deque[int]") -> np.ndarray:
    """``logits[ids]`` (None: all of them) after llama.cpp's penalties over the ``recent``
    tokens; a copy: the context's logits stay as they are."""
    counts = Counter(recent)
    if ids is None:
        values, position = logits.copy(), None
    else:
        values, position = logits[ids].astype(np.float32), {int(t): i for i, t in enumerate(ids)}
    for token, count in counts.items():
        i = token if position is None else position.get(token)
        if i is None:
            continue
        v = values[i]
        v = v * sampling.repeat_penalty if v <= 0 else v / sampling.repeat_penalty
        values[i] = v - count * sampling.frequency_penalty - sampling.presence_penalty
    return values


class TokenScorer:
    """Scores the tokens of one reply as they are drawn: ``score(token, piece)`` right after
    ``token`` was sampled and before it is evaluated (the context's logits are still the step's).
    ``k``: the alternatives kept a step."""

    def __init__(self, llm: "Llama", sampling: Sampling, k: int, start: int = 0):
        self._llm = llm
        self._sampling = sampling
        self._k = k
        self._index = start  # the reply's position of the next token (a branch starts after its prefix)
        self._recent: deque[int] = deque(maxlen=max(0, llm.last_n_tokens_size))
        self._pieces: dict[int, bytes] = {}  # alternatives' bytes, read once each

    def _piece(self, token: int) -> bytes:
        piece = self._pieces.get(token)
        if piece is None:
            piece = self._pieces[token] = self._llm.detokenize([token], special=True)
        return piece

    def score(self, token: int, piece: bytes) -> TokenChoice:
        logits = native.last_logits(self._llm)
        lse, entropy = step_distribution(logits)
        ranked = candidates(logits, self._k, self._sampling, self._recent)
        alternatives = tuple(Alternative(t, self._piece(t), float(logits[t]) - lse)
                             for t in ranked[:self._k].tolist())
        sampled = sampled_probability(logits, token, self._sampling, self._recent, ranked)
        self._recent.append(token)
        choice = TokenChoice(self._index, token, piece, float(logits[token]) - lse, sampled, entropy,
                             alternatives)
        self._index += 1
        return choice
