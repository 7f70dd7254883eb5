"""llama.cpp behind one small interface: load a model, stream a chat reply, cancel it.

``Engine`` owns at most one ``llama_cpp.Llama``. It is not thread-safe except for ``cancel()``,
which any thread may call: the GUI keeps the engine on one worker thread.
"""

from __future__ import annotations

import codecs
import logging
import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from localchat.core.build_info import build_info
from localchat.core.chat.budget import fit_to_context
from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.prompt import PromptFormat
from localchat.core.chat.stats import GenerationStats, StopReason, StreamEvent, TokenEvent
from localchat.core.errors import ModelLoadError, ModelTooLargeError
from localchat.core.models.gguf import GGUFFacts, read_local

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 4096




@dataclass(frozen=True)
class ModelInfo:
    """What the GUI needs to know about the loaded model."""

    path: str
    name: str
    architecture: str
    file_size: int
    n_params: int
    n_ctx: int
    n_ctx_train: int | None
    n_threads: int
    n_gpu_layers: int
    n_layers: int | None
    is_base_model: bool
    load_s: float
    device: str = "CPU"  # where the offloaded layers run: "CPU", or the build's "CUDA", "Metal", ...
    offload_note: str | None = None  # why fewer layers than asked went to the GPU

    @property
    def device_summary(self) -> str:
        """For the status bar: ``"CPU"`` or ``"CUDA · 20/33 layers"``."""
        if self.n_gpu_layers <= 0:
            return "CPU"
        total = (self.n_layers or 0) + 1
        return f"{self.device} · {min(self.n_gpu_layers, total)}/{total} layers"


_llama_log_callback = None  # kept alive: llama.cpp holds a pointer to it


def _route_llama_logs() -> None:
    """Send llama.cpp's own messages to our log file instead of the terminal."""
    global _llama_log_callback
    if _llama_log_callback is not None:
        return
    import ctypes

    import llama_cpp

    native = logging.getLogger("localchat.llama_cpp")
    levels = {3: logging.WARNING, 4: logging.ERROR}  # ggml_log_level: 2 info, 3 warn, 4 error

    @llama_cpp.llama_log_callback
    def callback(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        if level in levels:
            native.log(levels[level], "%s", text.decode("utf-8", "replace").rstrip())

    _llama_log_callback = callback
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


def default_threads() -> int:
    """Physical cores: hyper-threads only add contention (bench/threads.py measures it)."""
    import psutil

    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)




KV_CACHE_TYPES = ("f16", "q8_0")  # q8_0 holds a context in about half the memory


def llama_options(*, n_ctx: int, n_threads: int, n_gpu_layers: int, cache_type: str = "f16") -> dict:
    """The ``llama_cpp.Llama`` arguments the engine loads a model with (bench/ measures them)."""
    import llama_cpp

    from localchat.core.models.fit import engine_ubatch

    kv = {}
    if cache_type == "q8_0":  # llama.cpp quantizes the V cache only with flash attention
        kv = dict(type_k=llama_cpp.GGML_TYPE_Q8_0, type_v=llama_cpp.GGML_TYPE_Q8_0, flash_attn=True)
    return dict(
        **kv,
        n_ctx=n_ctx,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        n_gpu_layers=n_gpu_layers,
        # The prompt is evaluated a batch at a time and Stop lands between batches. On the CPU,
        # 128 tokens a batch evaluate as fast as 512 (0.95, within the noise) and Stop lands 4×
        # sooner: ~6 s instead of ~25 s for a 7B on 2 cores. GPUs want the larger batches.
        n_batch=engine_ubatch(n_gpu_layers),
        n_ubatch=engine_ubatch(n_gpu_layers),
        swa_full=True,  # lets a new turn reuse the cache of sliding-window models
        # Read the file rather than map it, except on Metal, which maps it straight into GPU
        # memory. On x86/ARM CPUs llama.cpp repacks Q4_0/Q4_K/IQ4_NL weights into its own buffer
        # and the mapped originals stay resident too: a 7B Q4_0 took 8.95 GiB mapped, 5.60 GiB
        # read (docs/PERFORMANCE.md), at the same speed.
        use_mmap=build_info().variant == "Metal",
    )


def _usable_gpu_layers(asked: int, n_layers: int | None) -> tuple[int, str | None]:
    """The layer count llama.cpp will really offload (-1 or too many: all, ``n_layers + 1``),
    and a note when that is fewer than asked."""
    if asked == 0:
        return 0, None
    if not build_info().gpu_offload:
        return 0, ("This llama.cpp build runs on the CPU only, so no layer went to the GPU. "
                   "Install a GPU build (README: GPU builds) to use it.")
    if n_layers is None:
        return asked, None
    return (n_layers + 1 if asked < 0 else min(asked, n_layers + 1)), None


def check_memory(facts: GGUFFacts, n_ctx: int, path: Path, n_gpu_layers: int = 0,
                 cache_type: str = "f16") -> None:
    """Refuse a model that cannot fit in memory at all, before llama.cpp tries. Layers on a
    GPU need no RAM, except with unified memory (Metal), where the GPU's memory is the RAM."""
    import psutil

    from localchat.core.models.fit import estimate_memory

    estimate = estimate_memory(facts, n_ctx=n_ctx, n_gpu_layers=n_gpu_layers, cache_type=cache_type,
                               unified=build_info().variant == "Metal")
    vm = psutil.virtual_memory()
    if estimate.ram_bytes > vm.total:
        gib = 1024 ** 3
        raise ModelTooLargeError(
            f"{path.name} needs about {estimate.ram_bytes / gib:.1f} GB of memory; "
            f"this computer has {vm.total / gib:.1f} GB in all.",
            "Pick a smaller model or a smaller quantization (Q4_0, Q4_K_M), or a shorter context.",
        )


@dataclass(frozen=True)
class _LastTurn:
    """The last reply as the next prompt will render it (``text``: the prompt and the reply as
    shown) and as the model read it (``tokens``: the prompt's tokens and the generated ones)."""

    text: str
    tokens: tuple[int, ...]


class Engine:
    def __init__(self) -> None:
        self._llm = None
        self._format: PromptFormat | None = None
        self._info: ModelInfo | None = None
        self._cancel = threading.Event()
        self._last_turn: _LastTurn | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def model(self) -> ModelInfo | None:
        return self._info

    @property
    def prompt_format(self) -> PromptFormat | None:
        return self._format

    def load(
        self,
        path: str | os.PathLike,
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        memory_check: bool = True,
        cache_type: str = "f16",
    ) -> ModelInfo:
        """Check ``path`` and load it with ``n_gpu_layers`` on the GPU (-1: all; the fit's plan
        says how many fit). If the GPU load fails, the model loads on the CPU and
        ``ModelInfo.offload_note`` says why. ``cache_type`` "q8_0" fits a context in about half
        the memory of "f16". Raises a LocalChatError with a human message on
        failure; the previous model is closed first either way."""
        if cache_type not in KV_CACHE_TYPES:
            raise ValueError(f"unknown KV cache type {cache_type!r}; one of {KV_CACHE_TYPES}")
        path = Path(path)
        facts = read_local(path)  # refuses what could crash llama.cpp
        n_ctx_train = facts.context_length
        if n_ctx is None:
            n_ctx = min(n_ctx_train or DEFAULT_CONTEXT, DEFAULT_CONTEXT)
        n_gpu_layers, note = _usable_gpu_layers(n_gpu_layers, facts.n_layers)
        if memory_check:
            check_memory(facts, n_ctx, path, n_gpu_layers, cache_type)
        n_threads = n_threads or default_threads()
        self.close()

        from llama_cpp import Llama

        _route_llama_logs()
        started = time.perf_counter()
        try:
            try:
                llm = Llama(model_path=str(path), verbose=False,
                            **llama_options(n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=n_gpu_layers,
                                            cache_type=cache_type))
            except (ValueError, RuntimeError, OSError) as exc:
                if n_gpu_layers == 0:
                    raise
                log.warning("loading %s with %d GPU layers failed (%s); loading on the CPU",
                            path, n_gpu_layers, exc)
                note = (f"Loading {n_gpu_layers} layers on the GPU failed ({exc}), so the model runs "
                        "on the CPU. Its memory may be taken by other apps: lower the GPU layers in "
                        "the settings or close them.")
                n_gpu_layers = 0
                if memory_check:
                    check_memory(facts, n_ctx, path, cache_type=cache_type)
                started = time.perf_counter()
                llm = Llama(model_path=str(path), verbose=False,
                            **llama_options(n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=0,
                                            cache_type=cache_type))
        except (ValueError, RuntimeError, OSError) as exc:
            log.warning("llama.cpp refused %s: %s", path, exc)
            raise ModelLoadError(
                f"llama.cpp could not load {path.name}.",
                f"The file may use an architecture this build does not know "
                f"({facts.architecture}), or it may be damaged. Try another model.",
            ) from exc
        load_s = time.perf_counter() - started
        self._llm = llm
        model = llm._model
        self._format = PromptFormat(
            template=facts.chat_template,
            bos_token=model.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else "",
            eos_token=model.token_get_text(llm.token_eos()) if llm.token_eos() >= 0 else "",
        )
        self._info = ModelInfo(
            path=str(path),
            name=facts.name or path.stem,
            architecture=facts.architecture,
            file_size=facts.file_size or 0,
            n_params=facts.n_params,
            n_ctx=llm.n_ctx(),
            n_ctx_train=n_ctx_train,
            n_threads=n_threads,
            n_gpu_layers=n_gpu_layers,
            n_layers=facts.n_layers,
            is_base_model=self._format.is_base_model,
            load_s=load_s,
            device=build_info().variant if n_gpu_layers else "CPU",
            offload_note=note,
        )
        log.info("loaded %s (ctx %d, %d threads, %d GPU layers) in %.2fs",
                 path.name, self._info.n_ctx, n_threads, n_gpu_layers, load_s)
        return self._info

    def close(self) -> None:
        """Free the model; safe to call twice."""
        llm, self._llm, self._info, self._format = self._llm, None, None, None
        self._last_turn = None
        if llm is not None:
            llm.close()

    # -- generation ----------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the current generation within one token. Any thread may call this."""
        self._cancel.set()

    def count_tokens(self, messages: Sequence[Message]) -> int:
        llm, fmt = self._require()
        return len(self._tokenize(fmt.render(messages)))

    def _require(self):
        if self._llm is None or self._format is None:
            raise ModelLoadError("No model is loaded.", "Pick a model first.")
        return self._llm, self._format

    def _tokenize(self, prompt: str) -> list[int]:
        llm, fmt = self._require()
        # A template that writes the BOS token itself must not get a second one.
        add_bos = not (fmt.bos_token and prompt.startswith(fmt.bos_token))
        return llm.tokenize(prompt.encode("utf-8"), add_bos=add_bos, special=True)

    def _prompt_tokens(self, prompt: str) -> list[int]:
        """The tokens of ``prompt``, keeping the last reply's tokens as they were generated.

        A reply read back as text does not always tokenize to the tokens that were generated
        (" Paris" may come back as " Par" "is"), and from the first token that differs the
        KV cache is of no use: the whole reply would be evaluated again. When the prompt is the
        last prompt and reply followed by new text, the new text alone is tokenized and put
        after the tokens the model already read, as long as it tokenizes alone as it does at the
        end of the whole prompt (it does when it starts with a template's control token)."""
        llm, _ = self._require()
        tokens = self._tokenize(prompt)
        last = self._last_turn
        if last is None or not prompt.startswith(last.text):
            return tokens
        rest = llm.tokenize(prompt[len(last.text):].encode("utf-8"), add_bos=False, special=True)
        if not rest or tokens[len(tokens) - len(rest):] != rest:
            return tokens
        return [*last.tokens, *rest]

    def _eval_prompt(self, tokens: list[int]) -> tuple[int, bool]:
        """Evaluate only the part of ``tokens`` not already in the KV cache, a batch at a time so
        a cancel lands between batches. Returns (tokens evaluated, cancelled)."""
        llm = self._llm
        cached = llm.input_ids[: llm.n_tokens].tolist()
        prefix = 0
        for a, b in zip(cached, tokens):
            if a != b:
                break
            prefix += 1
        prefix = min(prefix, len(tokens) - 1)  # the last token is re-evaluated for its logits
        if prefix > 0 and not llm._ctx.kv_cache_seq_rm(-1, prefix, -1):
            prefix = 0
        if prefix == 0:
            llm.reset()
        llm.n_tokens = prefix
        todo = tokens[prefix:]
        for start in range(0, len(todo), llm.n_batch):
            if self._cancel.is_set():
                return start, True
            llm.eval(todo[start:start + llm.n_batch])
        return len(todo), False

    def stream_chat(self, messages: Sequence[Message], sampling: Sampling = Sampling()) -> Iterator[StreamEvent]:
        """Yield TokenEvents as the reply grows, then one GenerationStats.

        Never raises for a generation problem: the final record says ``error`` and why."""
        llm, fmt = self._require()
        self._cancel.clear()
        started = time.perf_counter()
        n_ctx = llm.n_ctx()
        reserve = min(sampling.max_tokens, n_ctx // 4)
        budget = fit_to_context(messages, self.count_tokens, n_ctx, reserve)
        prompt = fmt.render(budget.messages)
        tokens = self._prompt_tokens(prompt)
        self._last_turn = None
        if len(tokens) + 8 > n_ctx:
            yield GenerationStats(
                StopReason.ERROR, prompt_tokens=len(tokens), dropped_messages=budget.dropped,
                error=(f"Your message is too long for this model's context window "
                       f"({len(tokens)} tokens; the window holds {n_ctx}). "
                       f"Shorten it or raise the context length in the settings."),
            )
            return
        max_new = min(sampling.max_tokens, n_ctx - len(tokens))
        llm.set_seed(sampling.seed if sampling.seed is not None else random.randrange(2 ** 31))

        evaluated, completion = 0, 0
        first_at: float | None = None
        stop_reason, error = StopReason.LENGTH, None
        stopper = _StopFilter(fmt.stop_strings)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        generated: list[int] = []
        pieces: list[bytes] = []  # the generated tokens' text
        shown: list[str] = []  # the reply as the person sees it
        try:
            evaluated, cancelled = self._eval_prompt(tokens)
            if cancelled:
                stop_reason = StopReason.CANCELLED
            else:
                import llama_cpp

                vocab = llm._model.vocab
                for token in llm.generate(
                    tokens, temp=sampling.temperature, top_p=sampling.top_p, top_k=sampling.top_k,
                    min_p=sampling.min_p, repeat_penalty=sampling.repeat_penalty, reset=True,
                ):
                    if first_at is None:
                        first_at = time.perf_counter()
                    if self._cancel.is_set():
                        stop_reason = StopReason.CANCELLED
                        break
                    if llama_cpp.llama_vocab_is_eog(vocab, token):
                        stop_reason = StopReason.EOS
                        break
                    piece = llm.detokenize([token], prev_tokens=tokens + generated)
                    generated.append(token)
                    pieces.append(piece)
                    completion += 1
                    text, hit = stopper.feed(decoder.decode(piece))
                    if not shown:
                        text = text.lstrip()  # "Assistant:" is followed by a space; not shown
                    if text:
                        shown.append(text)
                        yield TokenEvent(text)
                    if hit:
                        stop_reason = StopReason.EOS
                        break
                    if completion >= max_new:
                        break
        except Exception as exc:  # llama.cpp errors must not reach the person raw
            log.exception("generation failed")
            stop_reason, error = StopReason.ERROR, f"Generation failed: {exc}"
        if stop_reason is not StopReason.EOS:
            tail = stopper.flush(decoder.decode(b"", final=True))
            if tail:
                shown.append(tail)
                yield TokenEvent(tail)
        reply = "".join(shown)
        # Only a reply shown as it was generated (no stop string cut off) is the text the next
        # prompt holds for these tokens.
        if error is None and reply and reply == b"".join(pieces).decode("utf-8", "replace").lstrip():
            self._last_turn = _LastTurn(prompt + reply, (*tokens, *generated))
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
            dropped_messages=budget.dropped,
            error=error,
        )


class _StopFilter:
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
