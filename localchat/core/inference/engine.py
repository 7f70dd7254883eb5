"""llama.cpp behind one small interface: load a model, stream a chat reply, cancel either.

``Engine`` owns at most one ``llama_cpp.Llama``. It is not thread-safe except for ``cancel()``,
which any thread may call: the inference worker keeps the engine on its one thread. The stream
loop is in ``generate``; every touch of llama-cpp-python's internals is in ``llama``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from localchat.core.build_info import build_info
from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.prompt import PromptFormat
from localchat.core.chat.stats import StreamEvent, TokenEvent
from localchat.core.chat.tokens import ReplyTokens
from localchat.core.errors import ModelLoadError, ModelTooLargeError
from localchat.core.inference import llama as native
from localchat.core.inference.generate import ReplyGenerator
from localchat.core.inference.threads import MachineLoad, MachineState, ThreadChoice, choose_threads
from localchat.core.models.defaults import default_context
from localchat.core.models.gguf import GGUFFacts, read_local
from localchat.core.units import size_text

log = logging.getLogger(__name__)

# Tokens between two looks at how busy the machine is during a reply: a look costs two small
# reads from the kernel (tens of microseconds), a token tens of milliseconds.
RECHECK_TOKENS = 16


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
    template_note: str | None = None  # how its prompts are written when its chat template fails
    adaptive_threads: bool = False  # n_threads is the most: fewer run while other programs are busy

    @property
    def device_summary(self) -> str:
        """For the status bar: ``"CPU"`` or ``"CUDA · 20/33 layers"``."""
        if self.n_gpu_layers <= 0:
            return "CPU"
        total = (self.n_layers or 0) + 1
        return f"{self.device} · {min(self.n_gpu_layers, total)}/{total} layers"


def default_threads() -> int:
    """Physical cores: hyper-threads only add contention (bench/threads.py measures it). The
    most a reply uses; ``threads.choose_threads`` takes fewer while other programs are busy."""
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
        raise ModelTooLargeError(
            f"{path.name} needs about {size_text(estimate.ram_bytes)} of memory; "
            f"this computer has {size_text(vm.total)} in all.",
            "Pick a smaller model or a smaller quantization (Q4_0, Q4_K_M), or a shorter context.",
        )


def prompt_format(llm, template: str | None) -> PromptFormat:
    """The prompt format of a loaded model: its chat template, and for when that fails, the
    built-in format its special tokens name."""

    def is_special(text: str) -> bool:
        # one token when special tokens are parsed, several when the text is read as text
        data = text.encode("utf-8")
        return (len(llm.tokenize(data, add_bos=False, special=True)) == 1
                and len(llm.tokenize(data, add_bos=False, special=False)) > 1)

    return PromptFormat(
        template,
        bos_token=native.token_text(llm, llm.token_bos()),
        eos_token=native.token_text(llm, llm.token_eos()),
        special_tokens=is_special,
        n_ctx=llm.n_ctx(),
    )


class Engine:
    def __init__(self, machine_state: Callable[[], MachineState] | None = None) -> None:
        """``machine_state``: how busy the machine is now, apart from us, asked before each reply
        and every ``RECHECK_TOKENS`` tokens; by default sampled with psutil while a model is
        loaded (``threads.MachineLoad``)."""
        self._llm = None
        self._format: PromptFormat | None = None
        self._info: ModelInfo | None = None
        self._replies: ReplyGenerator | None = None
        self._cancel = threading.Event()
        self._given_state = machine_state
        self._machine: MachineLoad | None = None  # sampling while a model with adaptive threads is loaded
        self._threads: ThreadChoice | None = None  # what the context runs with now

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
        cancelled: Callable[[], bool] | None = None,
    ) -> ModelInfo:
        """Check ``path`` and load it with ``n_gpu_layers`` on the GPU (-1: all; the fit's plan
        says how many fit). If the GPU load fails, the model loads on the CPU and
        ``ModelInfo.offload_note`` says why. ``cache_type`` "q8_0" fits a context in about half
        the memory of "f16". Raises a LocalChatError with a human message on failure; the
        previous model is closed first either way. The load stops between two tensors once
        ``cancelled()`` is true or ``cancel()`` is called, and raises ``LoadCancelledError``."""
        self._cancel.clear()
        if cache_type not in KV_CACHE_TYPES:
            raise ValueError(f"unknown KV cache type {cache_type!r}; one of {KV_CACHE_TYPES}")
        path = Path(path)
        facts = read_local(path)  # refuses what could crash llama.cpp
        n_ctx_train = facts.context_length
        if n_ctx is None:
            n_ctx = default_context(n_ctx_train)
        n_gpu_layers, note = _usable_gpu_layers(n_gpu_layers, facts.n_layers)
        if memory_check:
            check_memory(facts, n_ctx, path, n_gpu_layers, cache_type)
        adaptive = not n_threads  # a thread count the person set is kept as it is
        n_threads = n_threads or default_threads()
        self.close()

        def stop() -> bool:
            return self._cancel.is_set() or (cancelled is not None and cancelled())

        def open_with(gpu_layers: int):
            options = llama_options(n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=gpu_layers,
                                    cache_type=cache_type)
            return native.open_model(str(path), cancelled=stop, verbose=False, **options)

        native.route_logs()
        started = time.perf_counter()
        try:
            try:
                llm = open_with(n_gpu_layers)
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
                llm = open_with(0)
        except (ValueError, RuntimeError, OSError) as exc:
            log.warning("llama.cpp refused %s: %s", path, exc)
            raise ModelLoadError(
                f"llama.cpp could not load {path.name}.",
                f"The file may use an architecture this build does not know "
                f"({facts.architecture}), or it may be damaged. Try another model.",
            ) from exc
        load_s = time.perf_counter() - started
        if stop():  # cancelled after the weights were read, while llama.cpp made the context
            llm.close()
            raise native.load_cancelled()
        self._llm = llm
        self._format = prompt_format(llm, facts.chat_template)
        template_note = self._format.check()  # a broken template is found now, not at the first message
        if template_note:
            log.warning("%s: %s", path.name, template_note)
        self._replies = ReplyGenerator(llm, self._format)
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
            template_note=template_note,
            adaptive_threads=adaptive,
        )
        self._threads = ThreadChoice(n_threads, n_threads)
        if adaptive and self._given_state is None:
            self._machine = MachineLoad()
        log.info("loaded %s (ctx %d, %s%d threads, %d GPU layers) in %.2fs", path.name, self._info.n_ctx,
                 "up to " if adaptive else "", n_threads, n_gpu_layers, load_s)
        return self._info

    def close(self) -> None:
        """Free the model; safe to call twice."""
        llm, self._llm, self._info, self._format, self._replies = self._llm, None, None, None, None
        machine, self._machine, self._threads = self._machine, None, None
        if machine is not None:
            machine.close()
        if llm is not None:
            llm.close()

    @property
    def threads(self) -> ThreadChoice | None:
        """The thread counts the loaded model runs with now (decode, prompt batches)."""
        return self._threads

    def _adapt_threads(self) -> None:
        """Set the thread counts for what comes next from how busy the machine is now."""
        info = self._info
        if info is None or not info.adaptive_threads or self._llm is None:
            return
        try:
            state = self._given_state() if self._given_state is not None else self._machine.state()
        except Exception:  # a failed look keeps the counts the reply runs with
            log.exception("could not tell how busy the machine is")
            return
        choice = choose_threads(state)
        choice = ThreadChoice(min(choice.decode, info.n_threads), min(choice.batch, info.n_threads))
        if choice != self._threads:
            native.set_threads(self._llm, choice.decode, choice.batch)
            log.debug("threads: %d decode, %d batch (others busy: %.2f CPUs)", choice.decode, choice.batch,
                      state.others_busy)
            self._threads = choice

    def _adapting(self, events: Iterator[StreamEvent]) -> Iterator[StreamEvent]:
        """``events``, with the thread counts chosen before the prompt and every few dozen tokens."""
        try:
            self._adapt_threads()
            tokens = 0
            for event in events:
                yield event
                if isinstance(event, TokenEvent):
                    tokens += 1
                    if tokens % RECHECK_TOKENS == 0:
                        self._adapt_threads()
        finally:
            events.close()

    # -- generation ----------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the current load or generation: a generation within one token or one prompt
        batch, a load between two tensors. Any thread may call this; a cancel with nothing
        running is forgotten when the next one starts (pass ``cancelled`` to keep it)."""
        self._cancel.set()

    def _require(self) -> ReplyGenerator:
        if self._replies is None:
            raise ModelLoadError("No model is loaded.", "Pick a model first.")
        return self._replies

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return self._require().count_tokens(messages)

    def prompt_view(self, messages: Sequence[Message], sampling: Sampling = Sampling()):
        """The prompt a reply to ``messages`` would be written from, as the model sees it
        (``prompt_view.PromptView``): the template's text, its tokens, the count per message,
        the context used and what the budget would leave out next."""
        return self._require().prompt_view(messages, sampling)

    def stream_chat(self, messages: Sequence[Message], sampling: Sampling = Sampling(),
                    cancelled: Callable[[], bool] | None = None,
                    keep_cache: bool = True, prefix: "ReplyTokens | None" = None) -> Iterator[StreamEvent]:
        """Yield TokenEvents as the reply grows, then one GenerationStats. The reply stops once
        ``cancelled()`` is true or ``cancel()`` is called; ``cancelled`` is the caller's own
        flag, so a cancel asked for before the stream starts is not lost. ``keep_cache``: the
        conversation's KV cache is kept aside when another prompt comes between two of its
        turns (the window's are; an API request's are not). With ``sampling.logprobs``, each
        token's ``TokenChoice`` comes before its text. ``prefix``: tokens the reply starts from (a
        branch from a token of an earlier reply), not streamed again.

        Never raises for a generation problem: the final record says ``error`` and why."""
        replies = self._require()
        self._cancel.clear()
        yield from self._adapting(replies.stream(messages, sampling, self._stop_check(cancelled), keep_cache,
                                                 prefix))

    def stream_text(self, prompt: str, sampling: Sampling = Sampling(),
                    cancelled: Callable[[], bool] | None = None,
                    keep_cache: bool = False) -> Iterator[StreamEvent]:
        """As ``stream_chat``, for a raw prompt continued without the chat template."""
        replies = self._require()
        self._cancel.clear()
        events = replies.stream_text(prompt, sampling, self._stop_check(cancelled), keep_cache)
        yield from self._adapting(events)

    def _stop_check(self, cancelled: Callable[[], bool] | None) -> Callable[[], bool]:
        def stop() -> bool:
            return self._cancel.is_set() or (cancelled is not None and cancelled())
        return stop
