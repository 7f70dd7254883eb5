"""What the rendering budget costs per turn (not a test: it prints a table).

A turn renders the model's chat template for the whole conversation. Here a 50-message
conversation (with a system prompt) is rendered by real templates two ways, alternated in the
same run: plain, in Jinja's ImmutableSandboxedEnvironment as localchat rendered before it had a
budget, and budgeted, by ``ChatTemplate.render`` (the guarded sandbox and the trace function of
the time budget). The figure that matters is the time added per render (target: at most 5 ms)
and the ratio of the two.

    python bench/template_budget.py [--rounds 15] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message  # noqa: E402
from localchat.core.chat.prompt import output_limit  # noqa: E402
from localchat.core.chat.sandbox import ChatTemplate  # noqa: E402
from localchat.core.testing.chat_templates import REAL_TEMPLATES  # noqa: E402
from localchat.core.testing.tiny_model import CHATML_TEMPLATE  # noqa: E402

TARGET_ADDED_MS = 5.0
N_CTX = 8192


def conversation(n: int = 50) -> list[Message]:
    """A system prompt, then user and assistant turns of a few sentences each."""
    words = ("the capital of France is Paris and the river that runs through it is the Seine, "
             "which the city has crossed with thirty-seven bridges over the centuries").split()
    messages = [Message(SYSTEM, "You are a helpful assistant. Answer briefly and precisely.")]
    for i in range(n - 1):
        text = " ".join(words[(i + k) % len(words)] for k in range(40 + i % 30))
        messages.append(Message(USER if i % 2 == 0 else ASSISTANT, text))
    if messages[-1].role != USER:
        messages.append(Message(USER, "And what about Italy?"))
    return messages


def plain_renderer(source: str):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = lambda message: None
    template = env.from_string(source)
    return lambda **context: template.render(**context)


def budgeted_renderer(source: str, limit: int):
    template = ChatTemplate(source)
    return lambda **context: template.render(limit, **context)


def timed(render, context: dict, repeat: int) -> float:
    """Milliseconds per render, the median of ``repeat`` renders."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        render(**context)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    messages = conversation()
    templates = {"ChatML (tiny model)": CHATML_TEMPLATE,
                 **{t.family: t.source for t in REAL_TEMPLATES.values()}}
    print(f"{len(messages)} messages, {sum(len(m.content) for m in messages):,} characters; "
          f"{args.rounds} alternated rounds of {args.repeat} renders each\n")
    header = f"{'template':22} {'plain ms':>9} {'budget ms':>10} {'added ms':>9} {'ratio':>6}  target"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for family, source in templates.items():
        given = [m for m in messages if m.role != SYSTEM] if family in ("Gemma 2", "Mistral") else messages
        context = dict(messages=[{"role": m.role, "content": m.content} for m in given],
                       add_generation_prompt=True, bos_token="<s>", eos_token="</s>")
        plain = plain_renderer(source)
        budgeted = budgeted_renderer(source, output_limit(N_CTX, given))
        if plain(**context) != budgeted(**context):
            print(f"{family}: the budgeted render differs from the plain one", file=sys.stderr)
            return 1
        plain_ms, budget_ms = [], []
        for r in range(args.rounds):  # alternated, so a change in the machine's load hits both
            pair = [(plain, plain_ms), (budgeted, budget_ms)]
            for render, out in (pair if r % 2 == 0 else pair[::-1]):
                out.append(timed(render, context, args.repeat))
        p, b = statistics.median(plain_ms), statistics.median(budget_ms)
        added = b - p
        worst = max(worst, added)
        verdict = "ok" if added <= TARGET_ADDED_MS else "MISSED"
        print(f"{family:22} {p:9.3f} {b:10.3f} {added:9.3f} {b / p:6.2f}  ≤ {TARGET_ADDED_MS:g} ms {verdict}")
    print(f"\nworst time added per render: {worst:.3f} ms (a turn renders once: the stream reuses the "
          "render its context budget counted)")
    return 0 if worst <= TARGET_ADDED_MS else 1


if __name__ == "__main__":
    sys.exit(main())
