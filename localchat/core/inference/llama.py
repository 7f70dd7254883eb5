"""Every touch of llama-cpp-python beyond its public ``Llama`` API, in one place.

The engine needs a few things the public API does not give: the load progress callback (to
cancel a load), the KV cache's token list and a partial cache removal (to reuse the last turn),
the vocabulary's end-of-generation test, a token's text, the size of a saved context state
(to bound the one slot a conversation's cache is kept in), and llama.cpp's log callback; and it
keeps the model's chat templates from llama-cpp-python's own Jinja environment. Each is
used here only and has its own test in tests/core/inference/test_llama.py, and pyproject.toml
bounds llama-cpp-python to the versions those tests passed with: a new version that moves one
of them fails a named test instead of a chat.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import time
from typing import TYPE_CHECKING, Callable

from localchat.core.errors import LoadCancelledError
from localchat.core.inference.cpu_check import amx_usable

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)

_log_callback = None  # kept alive: llama.cpp holds a pointer to it


def route_logs() -> None:
    """Send llama.cpp's own warnings and errors to our log file instead of the terminal."""
    global _log_callback
    if _log_callback is not None:
        return
    import llama_cpp

    native = logging.getLogger("localchat.llama_cpp")
    levels = {3: logging.WARNING, 4: logging.ERROR}  # ggml_log_level: 2 info, 3 warn, 4 error

    @llama_cpp.llama_log_callback
    def callback(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        if level in levels:
            native.log(levels[level], "%s", text.decode("utf-8", "replace").rstrip())

    _log_callback = callback
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


# -- loading -----------------------------------------------------------------------------------
class _Progress:
    """The load progress callback of one load: asks ``cancelled`` at every step and aborts the
    load when it says so. ``c_callback`` must outlive the load: llama.cpp holds its address."""

    def __init__(self, cancelled: Callable[[], bool] | None):
        import llama_cpp

        self._cancelled = cancelled
        self.steps = 0  # times llama.cpp reported progress
        self.aborted_at: float | None = None  # the progress (0..1) at which the load was aborted
        self.c_callback = llama_cpp.llama_progress_callback(self._on_progress)

    def _on_progress(self, progress: float, _user_data) -> bool:
        self.steps += 1
        try:
            stop = self._cancelled is not None and self._cancelled()
        except Exception:  # an exception cannot cross into C; a broken check must not end the load
            log.exception("the load's cancel check failed")
            stop = False
        if stop:
            self.aborted_at = progress
        return not stop


@functools.cache
def _cancellable_llama() -> type:
    """``Llama`` with our progress callback in its model parameters, and without the model's chat
    templates in its metadata.

    ``Llama.__init__`` builds ``self.model_params`` from llama.cpp's defaults and loads the model
    with it at once, with no argument for a progress callback. A property catches that
    assignment and sets the callback into the parameters before the load reads them: per
    instance, with nothing of llama_cpp patched for other loads.

    ``Llama.__init__`` then compiles every ``tokenizer.chat_template*`` of ``self.metadata`` in
    its own Jinja environment (for ``create_chat_completion``, which localchat never calls),
    whatever ``chat_format`` says: a template that does not compile fails the load, and one
    built to be slow to compile stalls it. A second property leaves the templates out of that
    dictionary; localchat reads the template from the file's header and renders it in its own
    sandbox (core/chat/sandbox)."""
    import llama_cpp

    class CancellableLlama(llama_cpp.Llama):
        def __init__(self, *args, progress: _Progress, **kwargs):
            self._localchat_progress = progress  # read by the model_params setter below
            super().__init__(*args, **kwargs)

        @property
        def model_params(self):
            return self.__dict__["model_params"]

        @model_params.setter
        def model_params(self, params) -> None:
            params.progress_callback = self._localchat_progress.c_callback
            if not amx_usable():  # llama.cpp's AMX path faults on this machine
                params.use_extra_bufts = False
            self.__dict__["model_params"] = params

        @property
        def metadata(self):
            return self.__dict__["metadata"]

        @metadata.setter
        def metadata(self, values) -> None:
            self.__dict__["metadata"] = {key: value for key, value in values.items()
                                         if not key.startswith("tokenizer.chat_template")}

    return CancellableLlama


def open_model(path: str, *, cancelled: Callable[[], bool] | None = None, **options) -> "Llama":
    """``llama_cpp.Llama(model_path=path, **options)``, aborted between tensors as soon as
    ``cancelled()`` is true: raises ``LoadCancelledError`` then, with nothing left allocated
    (llama.cpp frees a model whose load was aborted)."""
    progress = _Progress(cancelled)
    try:
        llm = _cancellable_llama()(model_path=path, progress=progress, **options)
    except Exception:  # llama-cpp-python says ValueError("Failed to load model from file")
        if progress.aborted_at is None:
            raise
        log.info("load of %s aborted at %.0f%% after %d progress steps",
                 path, progress.aborted_at * 100, progress.steps)
        raise load_cancelled() from None
    return llm


def load_cancelled() -> LoadCancelledError:
    return LoadCancelledError("The model load was cancelled.", "Pick the model again to load it.")


# -- the KV cache and the vocabulary -----------------------------------------------------------
def cached_tokens(llm: "Llama") -> list[int]:
    """The tokens whose keys and values are in the KV cache, in order."""
    return llm.input_ids[: llm.n_tokens].tolist()


def keep_cached_prefix(llm: "Llama", n: int) -> int:
    """Drop the KV cache past its first ``n`` tokens, so evaluation continues after them.
    Returns the number kept: ``n``, or 0 where the cache cannot drop a tail (then it is cleared
    and everything is evaluated again)."""
    if n > 0 and not llm._ctx.kv_cache_seq_rm(-1, n, -1):
        n = 0
    if n == 0:
        llm.reset()
    llm.n_tokens = n
    return n


def vocabulary(llm: "Llama"):
    """The model's ``llama_vocab`` pointer, for llama.cpp's ``llama_vocab_*`` functions."""
    return llm._model.vocab


def end_of_generation(llm: "Llama") -> Callable[[int], bool]:
    """A test of whether a token ends the model's turn (EOS, EOT, <|im_end|>, ...)."""
    import llama_cpp

    vocab = vocabulary(llm)
    return lambda token: bool(llama_cpp.llama_vocab_is_eog(vocab, token))


def control_token(llm: "Llama") -> Callable[[int], bool]:
    """A test of whether a token is a control token (BOS, ``<|im_start|>``): one the template
    writes, never text."""
    import llama_cpp

    vocab = vocabulary(llm)
    return lambda token: bool(llama_cpp.llama_vocab_is_control(vocab, token))


def token_text(llm: "Llama", token: int) -> str:
    """A token's text as the vocabulary spells it (``"<s>"``, ``"<|im_end|>"``); "" for none."""
    return llm._model.token_get_text(token) if token >= 0 else ""


def last_logits(llm: "Llama"):
    """The logits of the last evaluated position, as a NumPy view (no copy) of llama.cpp's own
    buffer (``llama_get_logits_ith(ctx, -1)``): valid until the next evaluation. A context
    without ``logits_all`` keeps only this row, which is all the token probabilities need."""
    import llama_cpp
    import numpy as np

    pointer = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    if not pointer:
        raise RuntimeError("llama.cpp holds no logits: nothing was evaluated yet")
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),))


# -- a conversation's cache saved aside ------------------------------------------------------
def cache_state_size(llm: "Llama") -> int:
    """Bytes ``save_cache`` would copy now (llama.cpp's own count), without copying them."""
    import llama_cpp

    return int(llama_cpp.llama_state_get_size(llm._ctx.ctx))


def save_cache(llm: "Llama"):
    """The context's state (KV cache, token list) as a ``llama_cpp.LlamaState`` for the public
    ``Llama.load_state``, and the seconds it took.

    ``Llama.save_state`` would also copy its logits buffer, ``n_batch`` rows of the vocabulary
    (128 × 262,144 floats, 134 MB, for a Gemma 3 model), which ``load_state`` writes back and
    the next decode overwrites unread: one row stands in for it (it is broadcast on load)."""
    import llama_cpp
    import numpy as np

    started = time.perf_counter()
    ctx = llm._ctx.ctx
    size = llama_cpp.llama_state_get_size(ctx)
    buffer = (ctypes.c_uint8 * int(size))()
    written = int(llama_cpp.llama_state_get_data(ctx, buffer, size))
    if written > int(size):
        raise RuntimeError("llama.cpp wrote more state than it said it would")
    state = llama_cpp.LlamaState(
        input_ids=llm.input_ids.copy(), scores=np.zeros((1, llm.n_vocab()), dtype=np.single),
        n_tokens=llm.n_tokens, llama_state=bytes(memoryview(buffer)[:written]),
        llama_state_size=written, seed=llm._seed)
    return state, time.perf_counter() - started


def restore_cache(llm: "Llama", state) -> float:
    """Put back a state from ``save_cache``; the next prompt's shared prefix is not evaluated
    again. Returns the seconds it took."""
    started = time.perf_counter()
    llm.load_state(state)
    return time.perf_counter() - started


# -- threads -----------------------------------------------------------------------------------
def set_threads(llm: "Llama", decode: int, batch: int) -> None:
    """Decode one token at a time with ``decode`` threads and the prompt's batches with
    ``batch`` from the next evaluation on (llama.cpp's ``llama_set_n_threads``)."""
    import llama_cpp

    llama_cpp.llama_set_n_threads(llm._ctx.ctx, decode, batch)


def thread_counts(llm: "Llama") -> tuple[int, int]:
    """(decode threads, batch threads) as the context reports them now."""
    import llama_cpp

    ctx = llm._ctx.ctx
    return int(llama_cpp.llama_n_threads(ctx)), int(llama_cpp.llama_n_threads_batch(ctx))


# -- sampling under a grammar ------------------------------------------------------------------
def grammar_parses(gbnf: str) -> bool:
    """Whether llama.cpp's own parser accepts ``gbnf`` (root rule ``root``), without a model:
    a grammar sampler is built for no vocabulary and freed. llama.cpp prints why it refused one
    on stderr. Check a grammar with ``grammar.gbnf_problems`` first: some it refuses hang this
    parser ({2,1})."""
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(None, gbnf.encode("utf-8"), b"root")
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


class GrammarSampler:
    """llama.cpp's samplers, chained as llama-cpp-python's ``Llama.generate`` chains them
    (penalties, then greedy at temperature 0, else top-k, typical, top-p, min-p, temperature,
    a seeded draw), with a grammar sampler kept beside the chain rather than in it.

    ``sample()`` draws from the last evaluated token's logits. ``grammar_first=False`` (the fast
    path, as llama.cpp's own ``common_sampler``): draw as without a grammar, ask the grammar about
    that one token, and only on a miss mask the whole vocabulary with the grammar and draw again.
    ``grammar_first=True`` masks the whole vocabulary at every token, as llama-cpp-python does.
    At temperature 0 both give the same tokens. Close it once (``close``)."""

    def __init__(self, llm: "Llama", gbnf: str, *, temperature: float, top_k: int, top_p: float,
                 min_p: float, repeat_penalty: float, presence_penalty: float, frequency_penalty: float,
                 seed: int, penalty_last_n: int = 64, grammar_first: bool = False):
        import llama_cpp
        import numpy as np

        self._lib = llama_cpp
        self._ctx = llm._ctx.ctx
        self._n_vocab = llm.n_vocab()
        self.grammar_first = grammar_first
        self.misses = 0  # tokens the grammar refused and that were drawn again
        self._grammar = llama_cpp.llama_sampler_init_grammar(vocabulary(llm), gbnf.encode("utf-8"), b"root")
        if not self._grammar:
            raise ValueError("llama.cpp refused the grammar")
        chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
        self._chain = chain
        add = functools.partial(llama_cpp.llama_sampler_chain_add, chain)
        add(llama_cpp.llama_sampler_init_penalties(self._n_vocab, penalty_last_n, repeat_penalty,
                                                   frequency_penalty, presence_penalty))
        if temperature <= 0:
            add(llama_cpp.llama_sampler_init_greedy())
        else:
            add(llama_cpp.llama_sampler_init_top_k(top_k))
            add(llama_cpp.llama_sampler_init_typical(1.0, 1))
            add(llama_cpp.llama_sampler_init_top_p(top_p, 1))
            add(llama_cpp.llama_sampler_init_min_p(min_p, 1))
            add(llama_cpp.llama_sampler_init_temp(temperature))
            add(llama_cpp.llama_sampler_init_dist(seed))
        dtype = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)
        if dtype.itemsize != ctypes.sizeof(llama_cpp.llama_token_data):
            raise RuntimeError("llama_token_data changed its layout")
        self._template = np.zeros(self._n_vocab, dtype=dtype)
        self._template["id"] = np.arange(self._n_vocab, dtype=np.intc)
        self._all = self._template.copy()
        self._one = np.zeros(1, dtype=dtype)
        self._all_array = llama_cpp.llama_token_data_array(
            data=self._all.ctypes.data_as(llama_cpp.llama_token_data_p), size=self._n_vocab,
            selected=-1, sorted=False)
        self._one_array = llama_cpp.llama_token_data_array(
            data=self._one.ctypes.data_as(llama_cpp.llama_token_data_p), size=1, selected=-1, sorted=False)

    def _fill(self) -> None:
        import numpy as np

        logits = self._lib.llama_get_logits_ith(self._ctx, -1)
        self._all[:] = self._template
        self._all["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._all_array.size, self._all_array.selected, self._all_array.sorted = self._n_vocab, -1, False

    def _draw(self, masked: bool) -> int:
        lib = self._lib
        self._fill()
        if masked:
            lib.llama_sampler_apply(self._grammar, ctypes.byref(self._all_array))
        lib.llama_sampler_apply(self._chain, ctypes.byref(self._all_array))
        selected = self._all_array.selected
        if not 0 <= selected < self._all_array.size:
            raise RuntimeError("llama.cpp's sampler chose no token")
        return int(self._all[selected]["id"])

    def allows(self, token: int) -> bool:
        """Whether the grammar lets ``token`` come next (an end-of-generation token: whether
        the grammar is complete)."""
        self._one[0] = (token, 0.0, 0.0)
        self._one_array.size, self._one_array.selected, self._one_array.sorted = 1, -1, False
        self._lib.llama_sampler_apply(self._grammar, ctypes.byref(self._one_array))
        return bool(self._one[0]["logit"] > float("-inf"))

    def sample(self) -> int:
        """The next token, which the grammar allows; accepted into the grammar and the chain.
        Raises RuntimeError when the grammar allows no token at all."""
        token = self._draw(masked=self.grammar_first)
        if not self.grammar_first and not self.allows(token):
            self.misses += 1
            token = self._draw(masked=True)
        if not self.allows(token):  # accepting a refused token would abort inside llama.cpp
            raise RuntimeError("the grammar allows no token here")
        self._lib.llama_sampler_accept(self._grammar, token)
        self._lib.llama_sampler_accept(self._chain, token)
        return token

    def close(self) -> None:
        grammar, chain, self._grammar, self._chain = self._grammar, self._chain, None, None
        if grammar:
            self._lib.llama_sampler_free(grammar)
        if chain:
            self._lib.llama_sampler_free(chain)
