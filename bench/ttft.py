"""Time to first token on turn 8 of a conversation against turn 1, with the same new message
length: with the KV cache reused, a later turn evaluates only its new tokens, so it should start
about as fast as the first. The same turn 8 from an empty cache shows what the reuse saves.

Runs through ``Engine.stream_chat``, the app's own path, with replies of a few tokens each.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.common import median

TOPICS = ("rivers", "castles", "gardens", "trains", "islands", "forests", "bridges", "deserts", "harbours",
          "mountains", "meadows", "lakes")


@dataclass(frozen=True)
class TurnTimes:
    ttft_first: float
    ttft_last: float
    ttft_last_cold: float  # the last turn again, from an empty cache
    evaluated_first: int
    evaluated_last: int
    prompt_last: int
    turns: int

    @property
    def ratio(self) -> float:
        return self.ttft_last / self.ttft_first if self.ttft_first else 0.0


def _same_length_messages(engine, n: int) -> list[str]:
    """``n`` different user messages that tokenize to the same length."""
    from localchat.core.chat.messages import USER, Message

    def length(text: str) -> int:
        return engine.count_tokens([Message(USER, text)])

    candidates = [f"Tell me one short fact about {t}." for t in TOPICS]
    want = length(candidates[0])
    same = [c for c in candidates if length(c) == want]
    return [same[i % len(same)] for i in range(n)]


def turn_times(model, *, turns: int = 8, reply_tokens: int = 12, rounds: int = 2, n_ctx: int = 2048,
               log=print) -> TurnTimes:
    from localchat.core.chat.messages import ASSISTANT, USER, Message, Sampling
    from localchat.core.chat.stats import GenerationStats, TokenEvent
    from localchat.core.inference.engine import Engine

    engine = Engine()
    first, last, cold, evaluated = [], [], [], []

    def reply(messages, seed):
        text, stats = [], None
        for event in engine.stream_chat(messages, Sampling(max_tokens=reply_tokens, seed=seed)):
            if isinstance(event, TokenEvent):
                text.append(event.text)
            elif isinstance(event, GenerationStats):
                stats = event
        return "".join(text), stats

    try:
        for r in range(rounds):
            engine.load(model, n_ctx=n_ctx, memory_check=False)
            texts = _same_length_messages(engine, turns)
            messages: list[Message] = []
            stats = None
            for turn in range(turns):
                messages.append(Message(USER, texts[turn]))
                answer, stats = reply(messages, seed=100 * r + turn)
                if turn == 0:
                    first.append(stats.time_to_first_token_s)
                    first_evaluated = stats.evaluated_prompt_tokens
                messages.append(Message(ASSISTANT, answer or "..."))
            last.append(stats.time_to_first_token_s)
            evaluated.append((first_evaluated, stats.evaluated_prompt_tokens, stats.prompt_tokens))
            engine.load(model, n_ctx=n_ctx, memory_check=False)  # an empty cache
            _, cold_stats = reply(messages[:-1], seed=100 * r + turns - 1)
            cold.append(cold_stats.time_to_first_token_s)
            log(f"    round {r + 1}: TTFT turn 1 {first[-1] * 1000:.0f} ms ({first_evaluated} tokens evaluated), "
                f"turn {turns} {last[-1] * 1000:.0f} ms ({stats.evaluated_prompt_tokens} of "
                f"{stats.prompt_tokens} evaluated), turn {turns} from an empty cache {cold[-1] * 1000:.0f} ms")
    finally:
        engine.close()
    e_first, e_last, p_last = evaluated[-1]
    return TurnTimes(median(first), median(last), median(cold), e_first, e_last, p_last, turns)
