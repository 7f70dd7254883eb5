"""A reply's tokens with their probabilities: what the model computed at each step, and how it
is kept with the message.

At each step of a reply the model gives every token of its vocabulary a probability; one token
is drawn. ``ReplyTokens`` keeps, for each token of the reply:

- ``ids``, its bytes (``piece``) and text;
- ``logprobs``: its natural log-probability as the model computed it (a log-softmax of the
  step's logits, before any sampling setting);
- ``sampled``: its probability after the sampling settings (penalties, top-k, top-p, min-p,
  temperature, as ``inference.logprobs`` computes them), the probability it was drawn with;
  NaN for a token a person chose (a branch from an alternative);
- ``entropy``: the entropy of the step's distribution, in nats (0: the model was sure);
- ``alt_ids`` / ``alt_logprobs``: the step's k most likely tokens, most likely first (-1 and
  -inf pad a step with fewer).

A remote server's reply (``backends.remote_tokens``) names its tokens by their text: its ids are
the reply's own, and what the server does not say (``sampled``, ``entropy``) is NaN
(``from_server``).

Stored compactly (``to_blob``): ids as int32 and probabilities as float16 in one BLOB, with the
bytes of every token named once, so a saved reply can be shown after a restart without the
model. About 60 bytes a token for 10 alternatives, plus the distinct pieces.
"""

from __future__ import annotations

import codecs
import math
import struct
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

MAGIC = b"LCTP"
BLOB_VERSION = 1
_HEADER = struct.Struct("<4sBBI")  # magic, version, k, n


@dataclass(frozen=True)
class Alternative:
    """One of the tokens the model weighed at a step."""

    id: int
    piece: bytes  # the token's bytes; a special token as its vocabulary spells it ("<|im_end|>")
    logprob: float

    @property
    def text(self) -> str:
        return self.piece.decode("utf-8", "replace")

    @property
    def probability(self) -> float:
        return math.exp(self.logprob)


@dataclass(frozen=True)
class TokenChoice:
    """One token of a reply, as the model weighed it."""

    index: int  # its position in the reply, from 0
    id: int
    piece: bytes  # the token's bytes (a piece of a UTF-8 character may stand alone)
    logprob: float  # as the model computed it, before the sampling settings
    sampled: float  # its probability after the sampling settings; NaN when a person chose it
    entropy: float  # of the step's distribution, in nats
    alternatives: tuple[Alternative, ...]  # the k most likely tokens of the step, most likely first

    @property
    def text(self) -> str:
        return self.piece.decode("utf-8", "replace")

    @property
    def probability(self) -> float:
        return math.exp(self.logprob)

    @property
    def from_server(self) -> bool:
        """A remote server's token: its step's entropy and its probability after the sampling
        settings are not known (NaN), and its id is the reply's own."""
        return math.isnan(self.entropy)

    @property
    def chosen_by_person(self) -> bool:
        """Put there by a person (a branch from an alternative), not drawn by the model."""
        return math.isnan(self.sampled) and not self.from_server


def _f16(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


class ReplyTokens:
    """The tokens of one reply and what the model computed for each (see the module's text).
    Arrays are read-only views; build one with ``ReplyTokens.build`` or ``from_blob``."""

    def __init__(self, ids, logprobs, sampled, entropy, alt_ids, alt_logprobs,
                 pieces: Mapping[int, bytes]):
        self.ids = np.asarray(ids, dtype=np.int32).reshape(-1)
        n = len(self.ids)
        self.logprobs = _f16(logprobs).reshape(n)
        self.sampled = _f16(sampled).reshape(n)
        self.entropy = _f16(entropy).reshape(n)
        alt_ids = np.asarray(alt_ids, dtype=np.int32)
        self.alt_ids = alt_ids.reshape(n, alt_ids.shape[-1] if alt_ids.ndim == 2 else -1)
        self.alt_logprobs = _f16(alt_logprobs).reshape(n, self.alt_ids.shape[1])
        self.pieces = dict(pieces)

    @classmethod
    def empty(cls, k: int = 0) -> "ReplyTokens":
        return cls([], [], [], [], np.zeros((0, k)), np.zeros((0, k)), {})

    @classmethod
    def build(cls, choices: Sequence[TokenChoice], k: int | None = None) -> "ReplyTokens":
        """From ``TokenChoice``s (the engine's stream, a branch's prefix)."""
        if k is None:
            k = max((len(c.alternatives) for c in choices), default=0)
        alt_ids = np.full((len(choices), k), -1, dtype=np.int32)
        alt_lp = np.full((len(choices), k), -np.inf, dtype=np.float32)
        pieces: dict[int, bytes] = {}
        for row, c in enumerate(choices):
            pieces[c.id] = c.piece
            for col, alt in enumerate(c.alternatives[:k]):
                alt_ids[row, col], alt_lp[row, col] = alt.id, alt.logprob
                pieces.setdefault(alt.id, alt.piece)
        return cls([c.id for c in choices], [c.logprob for c in choices], [c.sampled for c in choices],
                   [c.entropy for c in choices], alt_ids, alt_lp, pieces)

    # -- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    @property
    def k(self) -> int:
        """Alternatives kept a step."""
        return self.alt_ids.shape[1]

    @property
    def from_server(self) -> bool:
        """The tokens came from a remote server: no step's entropy is known (a model run here
        knows each one) and the ids are the reply's own, not a vocabulary's."""
        return len(self) > 0 and bool(np.isnan(self.entropy).all())

    def piece(self, token_id: int) -> bytes:
        return self.pieces.get(int(token_id), b"")

    def __getitem__(self, index: int) -> TokenChoice:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        alternatives = tuple(
            Alternative(int(t), self.piece(t), float(lp))
            for t, lp in zip(self.alt_ids[index], self.alt_logprobs[index]) if t >= 0)
        return TokenChoice(index, int(self.ids[index]), self.piece(self.ids[index]),
                           float(self.logprobs[index]), float(self.sampled[index]),
                           float(self.entropy[index]), alternatives)

    def __iter__(self) -> Iterable[TokenChoice]:
        return (self[i] for i in range(len(self)))

    def text(self, upto: int | None = None) -> str:
        """The text of the first ``upto`` tokens (all by default), as the reply streamed it."""
        return prefix_text([self.piece(t) for t in self.ids[:upto]])

    def __eq__(self, other) -> bool:
        if not isinstance(other, ReplyTokens):
            return NotImplemented
        return self.to_blob() == other.to_blob()

    def __repr__(self) -> str:
        return f"ReplyTokens({len(self)} tokens, k={self.k})"

    # -- building ----------------------------------------------------------------------------------
    def head(self, n: int) -> "ReplyTokens":
        """The first ``n`` tokens."""
        return ReplyTokens(self.ids[:n], self.logprobs[:n], self.sampled[:n], self.entropy[:n],
                           self.alt_ids[:n], self.alt_logprobs[:n], self.pieces)

    def chosen_instead(self, index: int, alternative_id: int) -> "ReplyTokens":
        """The first ``index`` tokens, then ``alternative_id`` at ``index`` in place of the token
        the model drew there, with the step's probabilities kept (``sampled``: NaN, a person's
        choice). Raises ValueError for a token that is not one of the step's alternatives."""
        row = self[index]
        alt = next((a for a in row.alternatives if a.id == alternative_id), None)
        if alt is None:
            raise ValueError(f"token {alternative_id} is not an alternative at position {index}")
        chosen = TokenChoice(index, alt.id, self.piece(alt.id), alt.logprob, math.nan, row.entropy,
                             row.alternatives)
        return self.head(index).extended([chosen])

    def extended(self, choices: Sequence[TokenChoice] | "ReplyTokens") -> "ReplyTokens":
        """These tokens followed by ``choices`` (alternatives cut or padded to this k)."""
        more = choices if isinstance(choices, ReplyTokens) else ReplyTokens.build(choices, self.k)
        k = max(self.k, more.k)
        parts = [_padded(self, k), _padded(more, k)]
        return ReplyTokens(
            np.concatenate([p.ids for p in parts]), np.concatenate([p.logprobs for p in parts]),
            np.concatenate([p.sampled for p in parts]), np.concatenate([p.entropy for p in parts]),
            np.concatenate([p.alt_ids for p in parts]), np.concatenate([p.alt_logprobs for p in parts]),
            {**self.pieces, **more.pieces})

    # -- storing -----------------------------------------------------------------------------------
    def to_blob(self) -> bytes:
        """Header, ids int32, logprobs/sampled/entropy float16, alternatives (int32, float16),
        then the bytes of each distinct token (id int32, length uint16, the bytes)."""
        n, k = len(self), self.k
        used = sorted({int(t) for t in self.ids} | {int(t) for t in self.alt_ids.reshape(-1) if t >= 0})
        pieces = [self.piece(t)[:0xFFFF] for t in used]
        parts = [
            _HEADER.pack(MAGIC, BLOB_VERSION, k, n),
            self.ids.astype("<i4").tobytes(),
            np.stack([self.logprobs, self.sampled, self.entropy]).astype("<f2").tobytes(),
            self.alt_ids.astype("<i4").tobytes(),
            self.alt_logprobs.astype("<f2").tobytes(),
            struct.pack("<I", len(used)),
            np.asarray(used, dtype="<i4").tobytes(),
            np.asarray([len(p) for p in pieces], dtype="<u2").tobytes(),
            b"".join(pieces),
        ]
        return b"".join(parts)

    @classmethod
    def from_blob(cls, blob: bytes) -> "ReplyTokens":
        """Raises ValueError for a blob that is not one (damaged, or a newer version's)."""
        try:
            magic, version, k, n = _HEADER.unpack_from(blob, 0)
            if magic != MAGIC or version != BLOB_VERSION:
                raise ValueError("not a token probabilities blob of a known version")
            at = _HEADER.size

            def take(dtype: str, count: int) -> np.ndarray:
                nonlocal at
                size = np.dtype(dtype).itemsize * count
                if at + size > len(blob):
                    raise ValueError("the token probabilities blob is cut short")
                out = np.frombuffer(blob, dtype=dtype, count=count, offset=at)
                at += size
                return out

            ids = take("<i4", n)
            floats = take("<f2", 3 * n).reshape(3, n).astype(np.float32)
            alt_ids = take("<i4", n * k).reshape(n, k)
            alt_lp = take("<f2", n * k).reshape(n, k).astype(np.float32)
            (m,) = struct.unpack_from("<I", blob, at)
            at += 4
            used = take("<i4", m)
            lengths = take("<u2", m)
            pieces = {}
            for token, length in zip(used.tolist(), lengths.tolist()):
                pieces[token] = bytes(blob[at:at + length])
                at += length
        except struct.error as exc:
            raise ValueError(f"damaged token probabilities blob: {exc}") from None
        return cls(ids, floats[0], floats[1], floats[2], alt_ids, alt_lp, pieces)


def _padded(tokens: ReplyTokens, k: int) -> ReplyTokens:
    extra = k - tokens.k
    if extra <= 0:
        return tokens
    n = len(tokens)
    return ReplyTokens(tokens.ids, tokens.logprobs, tokens.sampled, tokens.entropy,
                       np.hstack([tokens.alt_ids, np.full((n, extra), -1, np.int32)]),
                       np.hstack([tokens.alt_logprobs, np.full((n, extra), -np.inf, np.float32)]),
                       tokens.pieces)


def prefix_text(pieces: Sequence[bytes]) -> str:
    """The text of a reply's first tokens as it streamed: bytes of a character not finished yet
    are held back, as the engine's decoder holds them until the next token."""
    return codecs.getincrementaldecoder("utf-8")(errors="replace").decode(b"".join(pieces))
