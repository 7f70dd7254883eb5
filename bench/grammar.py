"""Replies under a JSON schema: decode speed against free text, and how often replies follow it.

Speed: decode tokens/s of the engine's own loop under a JSON schema (the fast path: each token
drawn as without the grammar, the grammar asked about that token alone, the whole vocabulary
masked only when it refuses) ÷ the same loop without one (target ≥ 0.85); the same schema with
the whole vocabulary masked at every token, and through llama-cpp-python's own grammar sampling
(``Llama.generate(grammar=...)``, which masks the whole vocabulary too), alternated in one run on
the same model and prompt. Models: the demo instruct model (SmolLM2-135M, 49,152 tokens) and,
with ``--7b``, the random-weight Llama-2-7B-shaped Q4_0 of ``bench.make_model`` (32,000 real
SentencePiece pieces; its random choices break the grammar at almost every token, the worst
case for the fast path).

Compliance (``--compliance``): the demo model's replies to the tests' 20 prompts under their 4
schemas: how many parse and validate with the grammar, without it, and without it but with the
schema described in the system prompt.

    python bench/grammar.py [--rounds 3] [--tokens 64] [--7b] [--compliance]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report, Row, alternate, demo_bench_start, markdown_table, median, open_llama  # noqa: E402
from localchat.core.chat.messages import USER, FormatKind, Message, ResponseFormat, Sampling  # noqa: E402

LIST_SCHEMA = {  # long enough that every variant decodes the same number of tokens
    "type": "array", "minItems": 60,
    "items": {"type": "object", "properties": {"name": {"type": "string"}, "year": {"type": "integer"}},
              "required": ["name", "year"], "additionalProperties": False},
}
QUESTION = "List famous inventions and the year each was made, as JSON."
SEED = 7


def decode_rows(path: Path, label: str, *, rounds: int, tokens: int) -> list[Row]:
    from llama_cpp.llama_grammar import LlamaGrammar

    from localchat.core.inference import llama as native
    from localchat.core.inference.engine import prompt_format
    from localchat.core.inference.generate import ReplyGenerator
    from localchat.core.inference.grammar import compile_format
    from localchat.core.models.gguf import read_local

    llm = open_llama(path, n_ctx=1024)
    template = prompt_format(llm, read_local(path).chat_template)
    replies = ReplyGenerator(llm, template)
    fmt = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(LIST_SCHEMA))
    gbnf = compile_format(fmt).gbnf
    messages = [Message(USER, QUESTION)]
    misses: list[float] = []
    # the time the fast path's sampling takes per token, all of it (draws, the grammar's
    # answers, masks on a miss): on a loaded machine this is steadier than a ratio of speeds
    spent = {"s": 0.0, "n": 0}
    sample = native.GrammarSampler.sample

    def timed_sample(self) -> int:
        started = time.perf_counter()
        token = sample(self)
        if not self.grammar_first:
            spent["s"] += time.perf_counter() - started
            spent["n"] += 1
        return token

    def engine(response_format: ResponseFormat, grammar_first: bool = False) -> float:
        replies.grammar_first = grammar_first
        sampling = Sampling(seed=SEED, max_tokens=tokens, response_format=response_format)
        *_, stats = replies.stream(messages, sampling, lambda: False, keep_cache=False)
        if stats.completion_tokens < tokens:
            print(f"    note: {stats.completion_tokens} tokens ({stats.stop_reason.value})")
        if response_format.is_structured and not grammar_first:
            misses.append(replies.grammar_misses / max(1, stats.completion_tokens))
        return stats.tokens_per_s

    prompt = replies.tokenize(template.prompt(messages).text)

    def llama_cpp_python() -> float:
        llm.reset()
        llm.set_seed(SEED)
        grammar = LlamaGrammar.from_string(gbnf, verbose=False)
        n, first = 0, None
        for _token in llm.generate(prompt, temp=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1,
                                   grammar=grammar, reset=True):
            n += 1
            if first is None:
                first = time.perf_counter()
            if n >= tokens:
                break
        return (n - 1) / (time.perf_counter() - first)

    native.GrammarSampler.sample = timed_sample
    try:
        engine(fmt)  # warm up
        got = alternate({
            "free": lambda: engine(ResponseFormat()),
            "fast": lambda: engine(fmt),
            "whole": lambda: engine(fmt, grammar_first=True),
            "llama-cpp-python": llama_cpp_python,
        }, rounds)
    finally:
        native.GrammarSampler.sample = sample
        llm.close()
    per_token_ms = spent["s"] / max(1, spent["n"]) * 1000
    free, fast, whole, lcp = (median(got[k]) for k in ("free", "fast", "whole", "llama-cpp-python"))

    def paired(a: str, b: str) -> float:
        """The median of each round's own ratio: a round's two runs are seconds apart, so a burst
        of load elsewhere hits both."""
        return median([x / y for x, y in zip(got[a], got[b]) if y])

    section = f"grammar · {label}"
    return [
        Row(section, "free text", free, "tok/s"),
        Row(section, "JSON schema, fast path", fast, "tok/s", paired("fast", "free"), "÷ free text", "≥ 0.85",
            f"{median(misses):.0%} of tokens drawn again"),
        Row(section, "fast path's sampling per token", per_token_ms, "ms", per_token_ms * free / 1000,
            "of a free-text token's time", "≤ 0.15", "drawing, asking the grammar, masking on a miss"),
        Row(section, "JSON schema, whole vocabulary masked", whole, "tok/s", paired("whole", "free"),
            "÷ free text"),
        Row(section, "llama-cpp-python's grammar sampling", lcp, "tok/s", paired("fast", "llama-cpp-python"),
            "fast path ÷ this"),
    ]


def compliance_rows(path: Path) -> list[Row]:
    from localchat.core.chat.structured import check_reply, with_description
    from localchat.core.inference.engine import Engine
    from tests.core.inference.test_structured_generation import PROMPTS, SCHEMAS

    engine = Engine()
    engine.load(path, n_ctx=1024)
    counts = {"grammar": 0, "no grammar": 0, "no grammar, schema in the system prompt": 0}
    try:
        for name, schema in SCHEMAS.items():
            fmt = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(schema), describe=True)
            for prompt in PROMPTS:
                for variant in counts:
                    messages = [Message(USER, prompt)]
                    if variant == "no grammar, schema in the system prompt":
                        messages = with_description(messages, fmt)
                    given = fmt if variant == "grammar" else ResponseFormat()
                    events = list(engine.stream_chat(messages, Sampling(temperature=0, max_tokens=64,
                                                                        response_format=given)))
                    text = "".join(e.text for e in events[:-1])
                    if check_reply(text, fmt).valid:
                        counts[variant] += 1
            print(f"    {name}: {counts}", flush=True)
    finally:
        engine.close()
    total = len(SCHEMAS) * len(PROMPTS)
    return [Row("compliance · demo model", variant, n, f"of {total}", n / total, "valid")
            for variant, n in counts.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/grammar.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--7b", dest="seven_b", action="store_true", help="also the Llama-2-7B-shaped model")
    parser.add_argument("--compliance", action="store_true", help="also count replies that validate")
    args = parser.parse_args(argv)
    demo = demo_bench_start()
    if demo is None:
        return 1
    report = Report()
    report.add(*decode_rows(demo, "SmolLM2-135M-Instruct", rounds=args.rounds, tokens=args.tokens))
    if args.seven_b:
        from bench.make_model import make_models

        (seven_b,) = make_models("llama2-7b", ("Q4_0",))
        report.add(*decode_rows(seven_b, "Llama-2-7B shape, Q4_0", rounds=args.rounds,
                                tokens=max(8, args.tokens // 4)))
    if args.compliance:
        report.add(*compliance_rows(demo))
    print()
    print(markdown_table(report.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
