"""``localchat chat --top-logprobs N``: each token of a reply with its probability.

On a terminal the reply streams as usual, each token coloured by the probability the model gave
it (a legend goes to stderr once). Into a pipe or a file, each token is a plain line: its
probability, the token, then the step's alternatives. With ``--jsonl``, one JSON object a line
per token: ``index``, ``id``, ``text``, ``bytes``, ``logprob``, ``probability``,
``sampled_probability`` (after the sampling settings; null for a token a person chose),
``entropy`` (nats) and ``top_logprobs`` (``id``, ``text``, ``bytes``, ``logprob``), the shape
the API server's ``logprobs`` use. A remote backend's tokens have no ``id`` (a server names
tokens by their text), ``sampled_probability`` nor ``entropy``: null, as the server gave none.
"""

from __future__ import annotations

import json
import math
from typing import Sequence, TextIO

from localchat.core.chat.tokens import TokenChoice

# background colours (256-colour ANSI) from unlikely to sure, readable with dark or light text
BANDS = ((0.9, 22, "≥ 90%"), (0.6, 28, "≥ 60%"), (0.3, 100, "≥ 30%"), (0.1, 130, "≥ 10%"), (0.0, 88, "< 10%"))
RESET = "\x1b[0m"


def band(probability: float) -> int:
    return next(colour for floor, colour, _ in BANDS if probability >= floor)


def legend() -> str:
    return "token probability: " + " ".join(
        f"\x1b[48;5;{colour}m\x1b[97m {label} {RESET}" for _, colour, label in BANDS)


def token_json(choice: TokenChoice) -> dict:
    remote = choice.from_server  # its ids are the reply's own: not said

    def known(value: float) -> float | None:
        return None if math.isnan(value) else value

    return {
        "index": choice.index, "id": None if remote else choice.id, "text": choice.text,
        "bytes": list(choice.piece), "logprob": choice.logprob, "probability": choice.probability,
        "sampled_probability": known(choice.sampled), "entropy": known(choice.entropy),
        "top_logprobs": [{"id": None if remote else a.id, "text": a.text, "bytes": list(a.piece),
                          "logprob": a.logprob} for a in choice.alternatives],
    }


def percent(p: float) -> str:
    return f"{p * 100:.1f}%"


class TokenPrinter:
    """Writes a reply's tokens as they come (``feed``) in one of three shapes: ``"color"``,
    ``"plain"`` or ``"jsonl"``."""

    def __init__(self, out: TextIO, mode: str, err: TextIO | None = None):
        self.out = out
        self.mode = mode
        self._legend_to = err if mode == "color" else None
        self._started = False  # a reply's first text: its leading spaces are not shown

    def begin(self) -> None:
        if self._legend_to is not None:
            print(legend(), file=self._legend_to)
            self._legend_to = None
        self._started = False

    def feed(self, tokens: Sequence[TokenChoice]) -> None:
        for choice in tokens:
            self.out.write(self.line(choice))
        self.out.flush()

    def line(self, choice: TokenChoice) -> str:
        if self.mode == "jsonl":
            return json.dumps(token_json(choice), ensure_ascii=False) + "\n"
        if self.mode == "plain":
            others = ", ".join(f"{json.dumps(a.text, ensure_ascii=False)} {percent(a.probability)}"
                               for a in choice.alternatives if a.id != choice.id)
            return (f"{percent(choice.probability):>6}\t{json.dumps(choice.text, ensure_ascii=False)}"
                    f"\t{others}\n")
        text = choice.text
        if not self._started:
            text = text.lstrip()
            self._started = bool(text)
        if not text:
            return ""
        return f"\x1b[48;5;{band(choice.probability)}m\x1b[97m{text}{RESET}"

    def end(self) -> None:
        if self.mode == "color":
            self.out.write("\n")
            self.out.flush()
