"""The stream loop of one loaded model: the prompt evaluated in batches with what the KV cache
already holds reused, tokens sampled and shown as text, stop strings held back.

One conversation's cache outlives a prompt that does not continue it (an API request between two
turns of the window): before such a prompt, the cache of a conversation that asked to keep it is
saved in one slot (``KeptCache``), and put back when a later prompt continues it, so the next
turn evaluates only its new tokens. An API request's own cache is not kept, so requests never
push the window's conversation out of the slot.

A reply with a response format (JSON, a JSON schema, a grammar: ``Sampling.response_format``)
is sampled in this loop under its grammar, the fast way: each token is drawn as without one and
the grammar is asked about that token alone; only when it refuses is the whole vocabulary masked
and the token drawn again (``llama.GrammarSampler``). The token limit reached inside the
structure ends the reply as ``StopReason.INCOMPLETE``; the finished reply is checked against the
format (``chat.structured``) and the check goes with its stats.

With ``Sampling.logprobs`` set, each token's probabilities are read from the step's logits right
after it is drawn (``logprobs.TokenScorer``) and streamed as a ``TokenChoice`` before its text;
the final stats carry them all (``GenerationStats.tokens``). Off, nothing of it runs.

A reply may start from tokens already chosen (``prefix``: a branch from one token of an earlier
reply): they follow the prompt, their text is not streamed again (the reply writer starts from
it), and the KV cache holds them already when the earlier reply was the last one written, so
only the chosen token is evaluated."""

from __future__ import annotations

import codecs
import logging
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from localchat.core.chat.budget import fit_to_context
from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.prompt import PromptFormat
from localchat.core.chat.stats import GenerationStats, StopReason, StreamEvent, TokenEvent
from localchat.core.chat.structured import check_reply, with_description
from localchat.core.chat.tokens import ReplyTokens, TokenChoice
from localchat.core.inference import llama as native
from localchat.core.inference.grammar import CompiledFormat, ResponseFormatError, compile_format
from localchat.core.inference.logprobs import TokenScorer

if TYPE_CHECKING:
    from llama_cpp import Llama

    from localchat.core.inference.prompt_view import PromptView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LastTurn:
    """The last reply as the next prompt will render it (``text``: the prompt and the reply as
    shown) and as the model read it (``tokens``: the prompt's tokens and the generated ones).
    ``prompt``: the prompt's text alone, whose tokens are ``tokens[:n_prompt]``: the same prompt
    again (a regenerated reply, a branch from one of its tokens) is read as the same tokens."""

    text: str
    tokens: tuple[int, ...]
    prompt: str = ""
    n_prompt: int = 0


@dataclass(frozen=True)
class KeptCache:
    """A conversation's KV cache saved aside: its tokens, the last turn it ended with, the state."""

    tokens: tuple[int, ...]
    turn: LastTurn | None
    state: object  # llama_cpp.LlamaState
    size: int  # bytes


# A shorter cache evaluates again in about the time its state takes to save and restore.
MIN_KEPT_TOKENS = 64
MAX_KEPT_BYTES = 1024 ** 3  # one slot: about 2,000 tokens of a 7B model (0.5 MB a token in f16)


def shared_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class ReplyGenerator:
    """Streams replies from one loaded model and remembers what its KV cache holds between
    turns. Not thread-safe: the engine's owner calls it from one thread."""

    def __init__(self, llm: "Llama", fmt: PromptFormat):
        self._llm = llm
        self._format = fmt
        self._last_turn: LastTurn | None = None
        self._keeps = False  # whether the conversation in the cache asked to keep it
        self._kept: KeptCache | None = None
        # True: mask the whole vocabulary with the grammar at every token (as llama-cpp-python
        # does); the fast path draws first and masks only on a miss. Same tokens at temperature 0.
        self.grammar_first = False
        self.grammar_misses = 0  # the last structured reply's tokens drawn again under the grammar

    def tokenize(self, prompt: str) -> list[int]:
        # A template that writes the BOS token itself must not get a second one.
        bos = self._format.bos_token
        add_bos = not (bos and prompt.startswith(bos))
        return self._llm.tokenize(prompt.encode("utf-8"), add_bos=add_bos, special=True)

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.tokenize(self._format.render(messages)))

    def prompt_view(self, messages: Sequence[Message], sampling: Sampling) -> "PromptView":
        """The prompt a reply to ``messages`` would be written from, as the model sees it."""
        from localchat.core.inference.prompt_view import build_view

        return build_view(self._llm, self._format, lambda text: self._prompt_tokens(text, self._last_turn),
                          self.count_tokens, messages, sampling)

    def _prompt_tokens(self, prompt: str, last: LastTurn | None) -> list[int]:
        """The tokens of ``prompt``, keeping the last reply's tokens as they were generated.

        A reply read back as text does not always tokenize to the tokens that were generated
        (" Paris" may come back as " Par" "is"), and from the first token that differs the
        KV cache is of no use: the whole reply would be evaluated again. When the prompt is the
        last prompt and reply followed by new text, the new text alone is tokenized and put
        after the tokens the model already read, as long as it tokenizes alone as it does at the
        end of the whole prompt (it does when it starts with a template's control token)."""
        if last is not None and last.n_prompt and prompt == last.prompt:
            return list(last.tokens[:last.n_prompt])
        tokens = self.tokenize(prompt)
        if last is None or not prompt.startswith(last.text):
            return tokens
        rest = self._llm.tokenize(prompt[len(last.text):].encode("utf-8"), add_bos=False, special=True)
        if not rest or tokens[len(tokens) - len(rest):] != rest:
            return tokens
        return [*last.tokens, *rest]

    def _switch_cache(self, prompt: str, tokens: list[int], keep: bool,
                      prefix: Sequence[int] = ()) -> list[int]:
        """The prompt's tokens, with the KV cache made the best one for them: the kept
        conversation's put back when the prompt continues it further than the live cache does;
        the live one saved aside first when this prompt would throw it away and it asked to be
        kept."""
        llm = self._llm
        cached = native.cached_tokens(llm)
        live = shared_prefix(cached, tokens)
        kept, last = self._kept, self._last_turn
        restore = None
        if kept is not None:
            theirs = [*self._prompt_tokens(prompt, kept.turn), *prefix]
            if shared_prefix(kept.tokens, theirs) >= live + MIN_KEPT_TOKENS:
                restore, tokens = kept, theirs
        saved = None
        if self._keeps and (restore is not None or len(cached) - live >= MIN_KEPT_TOKENS):
            saved = self._save(cached, last)
        if saved is not None or restore is not None:
            self._kept = saved  # a slot put back is in the live cache now: not held twice
        if restore is not None:
            seconds = native.restore_cache(llm, restore.state)
            log.info("KV cache of %d tokens put back (%.1f MB) in %.1f ms", len(restore.tokens),
                     restore.size / 1e6, seconds * 1000)
            self._last_turn = restore.turn
        self._keeps = keep
        return tokens

    def _save(self, cached: list[int], last: LastTurn | None) -> KeptCache | None:
        if len(cached) < MIN_KEPT_TOKENS:
            return None
        size = native.cache_state_size(self._llm)
        if size > MAX_KEPT_BYTES:
            log.info("KV cache of %d tokens not kept: %.0f MB is more than the slot holds",
                     len(cached), size / 1e6)
            return None
        state, seconds = native.save_cache(self._llm)
        log.info("KV cache of %d tokens kept aside (%.1f MB) in %.1f ms", len(cached), size / 1e6,
                 seconds * 1000)
        return KeptCache(tuple(cached), last, state, size)

    def _eval_prompt(self, tokens: list[int], cancelled: Callable[[], bool]) -> tuple[int, bool]:
        """Evaluate only the part of ``tokens`` not already in the KV cache, a batch at a time so
        a cancel lands between batches. Returns (tokens evaluated, cancelled)."""
        llm = self._llm
        prefix = 0
        for a, b in zip(native.cached_tokens(llm), tokens):
            if a != b:
                break
            prefix += 1
        prefix = min(prefix, len(tokens) - 1)  # the last token is re-evaluated for its logits
        prefix = native.keep_cached_prefix(llm, prefix)
        todo = tokens[prefix:]
        for start in range(0, len(todo), llm.n_batch):
            if cancelled():
                return start, True
            llm.eval(todo[start:start + llm.n_batch])
        return len(todo), False

    def stream(self, messages: Sequence[Message], sampling: Sampling, cancelled: Callable[[], bool],
               keep_cache: bool = True, prefix: ReplyTokens | None = None) -> Iterator[StreamEvent]:
        """Yield TokenEvents as the reply grows, then one GenerationStats. ``cancelled`` is asked
        between prompt batches and between tokens. ``keep_cache``: this conversation's KV cache
        is saved aside when a later prompt does not continue it, and put back when one does.
        ``prefix``: the tokens the reply starts with (a branch from a token), not streamed again.

        Never raises for a generation problem: the final record says ``error`` and why."""
        started = time.perf_counter()
        messages = with_description(messages, sampling.response_format)
        n_ctx = self._llm.n_ctx()
        reserve = min(sampling.max_tokens, n_ctx // 4)
        budget = fit_to_context(messages, self.count_tokens, n_ctx, reserve)
        rendered = self._format.prompt(budget.messages)  # the render the budget counted: not done twice
        note = self._format.take_note()  # a template that failed on this conversation: what was done instead
        yield from self._reply(rendered.text, (*rendered.stop, *sampling.stop), sampling, cancelled,
                               keep_cache, started=started, dropped=budget.dropped, note=note, chat=True,
                               prefix=prefix)

    def stream_text(self, prompt: str, sampling: Sampling, cancelled: Callable[[], bool],
                    keep_cache: bool = False) -> Iterator[StreamEvent]:
        """Continue ``prompt`` as it is, without a chat template (a raw completion): the text
        that follows it, up to ``sampling``'s stop strings or the model's end of text."""
        yield from self._reply(prompt, sampling.stop, sampling, cancelled, keep_cache,
                               started=time.perf_counter(), dropped=0, note=None, chat=False)

    def _reply(self, prompt: str, stops: Sequence[str], sampling: Sampling, cancelled: Callable[[], bool],
               keep_cache: bool, *, started: float, dropped: int, note: str | None,
               chat: bool, prefix: ReplyTokens | None = None) -> Iterator[StreamEvent]:
        llm = self._llm
        n_ctx = llm.n_ctx()
        try:
            compiled = compile_format(sampling.response_format)
        except ResponseFormatError as exc:  # checked before the prompt is evaluated
            yield GenerationStats(StopReason.ERROR, dropped_messages=dropped, template_note=note,
                                  error=str(exc))
            return
        ahead = [int(t) for t in prefix.ids] if prefix is not None else []
        tokens = [*self._prompt_tokens(prompt, self._last_turn), *ahead]
        if len(tokens) + 8 > n_ctx:
            self._last_turn = None
            yield GenerationStats(
                StopReason.ERROR, prompt_tokens=len(tokens), dropped_messages=dropped,
                template_note=note,
                error=(f"Your message is too long for this model's context window "
                       f"({len(tokens)} tokens; the window holds {n_ctx}). "
                       f"Shorten it or raise the context length in the settings."),
            )
            return
        tokens = self._switch_cache(prompt, tokens, keep_cache, ahead)
        n_prompt = len(tokens) - len(ahead)
        self._last_turn = None
        max_new = min(sampling.max_tokens, n_ctx - len(tokens))
        # after the cache is put back: its saved state carries the seed it was saved with
        seed = sampling.seed if sampling.seed is not None else random.randrange(2 ** 31)
        llm.set_seed(seed)

        evaluated, completion = 0, 0
        first_at: float | None = None
        stop_reason, error = StopReason.LENGTH, None
        stopper = StopFilter(stops)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        generated: list[int] = []  # the tokens drawn now (after the prefix)
        pieces = [prefix.piece(t) for t in ahead]  # the reply's tokens' text
        shown: list[str] = []  # the reply as the person sees it
        if pieces:  # shown already: the reply writer starts from it
            start = decoder.decode(b"".join(pieces))
            shown.append(start.lstrip() if chat else start)
        visible = bool(shown and shown[0])  # some text is shown: leading spaces are no longer cut
        scorer = None
        if sampling.logprobs is not None:
            scorer = TokenScorer(llm, sampling, sampling.logprobs, start=len(ahead))
        choices: list[TokenChoice] = []
        sampler: native.GrammarSampler | None = None
        complete = True  # the grammar, if any, reached its end
        try:
            evaluated, was_cancelled = self._eval_prompt(tokens, cancelled)
            if was_cancelled:
                stop_reason = StopReason.CANCELLED
            else:
                ends_turn = native.end_of_generation(llm)
                if compiled is not None:
                    sampler = self._grammar_sampler(compiled, sampling, seed)
                for token in self._sampled(tokens, sampling, sampler):
                    if first_at is None:
                        first_at = time.perf_counter()
                    if cancelled():
                        stop_reason = StopReason.CANCELLED
                        break
                    if ends_turn(token):
                        stop_reason = StopReason.EOS
                        break
                    piece = llm.detokenize([token], prev_tokens=tokens + generated)
                    generated.append(token)
                    pieces.append(piece)
                    completion += 1
                    text, hit = stopper.feed(decoder.decode(piece))
                    if scorer is not None:
                        choice = scorer.score(token, piece)
                        choices.append(choice)
                        yield choice
                    if chat and not visible:
                        text = text.lstrip()  # "Assistant:" is followed by a space; not shown
                    if text:
                        shown.append(text)
                        visible = True
                        yield TokenEvent(text)
                    if hit:
                        stop_reason = StopReason.EOS
                        break
                    if completion >= max_new:
                        break
            if sampler is not None and stop_reason is not StopReason.EOS:
                complete = sampler.allows(llm.token_eos())
                if stop_reason is StopReason.LENGTH and not complete:
                    stop_reason = StopReason.INCOMPLETE
        except Exception as exc:  # llama.cpp errors must not reach the person raw
            log.exception("generation failed")
            stop_reason, error = StopReason.ERROR, f"Generation failed: {exc}"
        finally:
            if sampler is not None:
                self.grammar_misses = sampler.misses
                sampler.close()
        if stop_reason is not StopReason.EOS:
            tail = stopper.flush(decoder.decode(b"", final=True))
            if tail:
                shown.append(tail)
                yield TokenEvent(tail)
        reply = "".join(shown)
        # Only a reply shown as it was generated (no stop string cut off) is the text the next
        # prompt holds for these tokens.
        as_generated = b"".join(pieces).decode("utf-8", "replace")
        if error is None and reply and reply == (as_generated.lstrip() if chat else as_generated):
            self._last_turn = LastTurn(prompt + reply, (*tokens, *generated), prompt, n_prompt)
        validation = None
        if compiled is not None and stop_reason is not StopReason.ERROR:
            validation = check_reply(reply, sampling.response_format, complete=complete)
        reply_tokens = None
        if scorer is not None:
            start = prefix if prefix is not None else ReplyTokens.empty(sampling.logprobs)
            reply_tokens = start.extended(choices)
        ended = time.perf_counter()
        decode_s = ended - first_at if first_at else 0.0
        yield GenerationStats(
            stop_reason=stop_reason,
            prompt_tokens=len(tokens),
            evaluated_prompt_tokens=evaluated,
            completion_tokens=completion,
            time_to_first_token_s=(first_at - started) if first_at else 0.0,
            tokens_per_s=(completion - 1) / decode_s if completion > 1 and decode_s > 0 else 0.0,
            total_s=ended - started,
            dropped_messages=dropped,
            error=error,
            template_note=note,
            validation=validation,
            tokens=reply_tokens,
        )

    def _grammar_sampler(self, compiled: CompiledFormat, sampling: Sampling,
                         seed: int) -> native.GrammarSampler:
        return native.GrammarSampler(
            self._llm, compiled.gbnf, temperature=sampling.temperature, top_k=sampling.top_k,
            top_p=sampling.top_p, min_p=sampling.min_p, repeat_penalty=sampling.repeat_penalty,
            presence_penalty=sampling.presence_penalty, frequency_penalty=sampling.frequency_penalty,
            seed=seed, penalty_last_n=self._llm.last_n_tokens_size, grammar_first=self.grammar_first)

    def _sampled(self, tokens: list[int], sampling: Sampling,
                 sampler: native.GrammarSampler | None) -> Iterator[int]:
        """The reply's tokens, one at a time: llama-cpp-python's own loop for free text; under a
        grammar, ours (the prompt is evaluated already, so the first token is drawn at once)."""
        llm = self._llm
        if sampler is None:
            yield from llm.generate(
                tokens, temp=sampling.temperature, top_p=sampling.top_p, top_k=sampling.top_k,
                min_p=sampling.min_p, repeat_penalty=sampling.repeat_penalty,
                presence_penalty=sampling.presence_penalty,
                frequency_penalty=sampling.frequency_penalty, reset=True)
            return
        while True:
            token = sampler.sample()
            yield token
            llm.eval([token])


class StopFilter:
    """Holds back text that may be the start of a stop string, so none of it is shown."""

    def __init__(self, stops: Sequence[str]):
        self._stops = tuple(s for s in stops if s)
        self._held = ""

    def feed(self, text: str) -> tuple[str, bool]:
        if not self._stops:
            return text, False
        buf = self._held + text
        for stop in self._stops:
            at = buf.find(stop)
            if at >= 0:
                self._held = ""
                return buf[:at], True
        keep = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(buf)), 0, -1):
                if buf.endswith(stop[:n]):
                    keep = max(keep, n)
                    break
        self._held = buf[len(buf) - keep:] if keep else ""
        return buf[: len(buf) - keep], False

    def flush(self, text: str = "") -> str:
        out, self._held = self._held + text, ""
        return out
