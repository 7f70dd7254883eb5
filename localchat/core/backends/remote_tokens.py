"""A remote reply's tokens with their probabilities, as an OpenAI-compatible server gives them.

Asked with ``logprobs`` and ``top_logprobs``, a server streams with each chunk
``choices[0].logprobs.content[]``: per token its text (``token``), its UTF-8 ``bytes`` (some
servers, llama-cpp-python's, send none: then the text's bytes), its natural log-probability
(``logprob``) and the step's most likely tokens (``top_logprobs``, each with the same fields).
They become the ``TokenChoice``s the local engine streams, so the reply's tokens are kept, shown
and exported like a local reply's, with two differences:

- a server names a token by its text, not by an id of its vocabulary: the ids here are the
  reply's own, numbered as distinct pieces first appear (the same piece keeps its id within the
  reply, so the token drawn is still found among its step's alternatives). They mean nothing to
  a model, so a branch from one of these tokens cannot be written here
  (``ReplyTokens.from_server``).
- what the server does not say stays unknown rather than made up: the probability after the
  sampling settings and the step's entropy are NaN (``TokenChoice.entropy`` NaN marks a token
  whose step's distribution was not seen).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from localchat.core.chat.tokens import Alternative, ReplyTokens, TokenChoice

MAX_TOP_LOGPROBS = 20  # OpenAI's bound on top_logprobs; servers that follow it refuse more


def logprobs_arguments(k: int | None) -> dict:
    """The request's fields for ``Sampling.logprobs = k`` (None: nothing asked)."""
    if k is None:
        return {}
    return {"logprobs": True, "top_logprobs": min(k, MAX_TOP_LOGPROBS)}


def _piece(item) -> bytes:
    raw = getattr(item, "bytes", None)
    if raw:
        try:
            return bytes(raw)
        except (TypeError, ValueError):
            pass
    return (getattr(item, "token", None) or "").encode("utf-8")


def _logprob(item) -> float:
    value = getattr(item, "logprob", None)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


class RemoteTokens:
    """The tokens of one remote reply, fed the ``logprobs`` of each chunk as it comes.
    ``k``: the alternatives kept a step (the sampling's ``logprobs``)."""

    def __init__(self, k: int):
        self.k = k
        self.choices: list[TokenChoice] = []
        self._ids: dict[bytes, int] = {}

    def _id(self, piece: bytes) -> int:
        found = self._ids.get(piece)
        if found is None:
            found = self._ids[piece] = len(self._ids)
        return found

    def feed(self, logprobs) -> list[TokenChoice]:
        """The ``TokenChoice``s of one chunk's ``choices[i].logprobs`` (None or no content:
        none), in the reply's order; they are kept for ``reply_tokens``."""
        content: Iterable = getattr(logprobs, "content", None) or ()
        new: list[TokenChoice] = []
        for item in content:
            piece = _piece(item)
            top = sorted(getattr(item, "top_logprobs", None) or (), key=_logprob, reverse=True)
            alternatives = tuple(Alternative(self._id(p), p, _logprob(alt))
                                 for alt in top[:self.k] for p in (_piece(alt),))
            choice = TokenChoice(len(self.choices), self._id(piece), piece, _logprob(item),
                                 sampled=math.nan, entropy=math.nan, alternatives=alternatives)
            self.choices.append(choice)
            new.append(choice)
        return new

    def reply_tokens(self) -> ReplyTokens | None:
        """What is kept with the reply; None when the server gave no token's probabilities (a
        server that ignores the request's logprobs: nothing to show, nothing invented)."""
        return ReplyTokens.build(self.choices, self.k) if self.choices else None

