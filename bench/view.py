"""How long the window is blocked by one batch of a long streaming reply, in the chat view alone.

A reply of Markdown prose, lists and code blocks grows in steps of a few tokens, as the worker's
batches arrive. Each step is the bubble's update and the layout and paint that follow it, timed
from the call until the event loop is idle again: the time the window could not react to a click.
Two ways of showing the growing reply, alternated: ``stream_text`` (the app's: finished paragraphs
laid out once, in blocks) and ``set_text`` (the whole reply rendered again on each batch).

    python bench/view.py [--chars 16000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import alternate, destroy_window, median  # noqa: E402

STEP_CHARS = 24  # about 6 tokens: one 30 ms batch at 200 tok/s


@dataclass(frozen=True)
class ViewResult:
    chars: int
    blocks_longest_ms: float  # the longest step, stream_text
    whole_longest_ms: float  # the longest step, set_text
    blocks_last_ms: float  # the median step over the last tenth of the reply, stream_text
    whole_last_ms: float

    @property
    def ratio(self) -> float:
        return self.blocks_longest_ms / self.whole_longest_ms if self.whole_longest_ms else 0.0


def long_reply(chars: int) -> str:
    """Markdown as an assistant writes it: headings, paragraphs, lists, code blocks."""
    parts, i = [], 0
    while sum(len(p) + 2 for p in parts) < chars:
        parts.append(f"## Step {i}")
        parts.append(f"The keeper of the lighthouse climbed the **{i}th** stair at dusk, trimmed the wick and "
                     f"wound the clockwork that turns the lens. The `beam` swept the water every ten seconds, "
                     f"and ships far out counted its flashes to know which coast they were passing.")
        parts.append("\n".join(f"- item {i}.{k}: oil, glass, brass and patience" for k in range(4)))
        if i % 3 == 0:
            parts.append(f"```python\ndef step_{i}(lamp):\n    lamp.trim()\n    return lamp.light({i})\n```")
        i += 1
    return "\n\n".join(parts)[:chars]


def _show(app, method: str, text: str) -> list[float]:
    """Step times (seconds) of one reply shown with ``method``, in a fresh view."""
    from localchat.gui.chat.bubble import MessageItem
    from localchat.gui.chat.view import ChatView

    view = ChatView()
    view.resize(800, 600)
    view.show()
    app.processEvents()
    bubble = view.append_message(MessageItem(1, "assistant", ""))
    show = getattr(bubble, method)
    steps = []
    for end in range(STEP_CHARS, len(text) + STEP_CHARS, STEP_CHARS):
        started = time.perf_counter()
        show(text[:end])
        app.processEvents()
        steps.append(time.perf_counter() - started)
    destroy_window(view)
    return steps


def measure_view(chars: int = 16_000, rounds: int = 3) -> ViewResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from localchat.gui.app import make_application

    app = make_application([])
    text = long_reply(chars)
    got = alternate({"stream_text": lambda: _show(app, "stream_text", text),
                     "set_text": lambda: _show(app, "set_text", text)}, rounds)
    tail = max(1, len(got["set_text"][0]) // 10)

    def longest(runs):
        return median([max(r) for r in runs]) * 1000

    def last(runs):
        return median([median(r[-tail:]) for r in runs]) * 1000

    return ViewResult(len(text), longest(got["stream_text"]), longest(got["set_text"]),
                      last(got["stream_text"]), last(got["set_text"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=16_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    r = measure_view(args.chars, args.rounds)
    print(f"{r.chars}-character reply in {STEP_CHARS}-character steps: longest step {r.blocks_longest_ms:.1f} ms "
          f"in blocks against {r.whole_longest_ms:.1f} ms rendered whole ({r.ratio:.2f}); over the last tenth "
          f"{r.blocks_last_ms:.1f} against {r.whole_last_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    from bench.common import leave

    leave(main())
