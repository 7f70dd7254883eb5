"""What the inference worker runs and what it says back: its jobs, its events, and how a load is
planned (context, GPU layers, the memory question) before the worker runs it.

Clients build these and ``InferenceWorker.submit`` them (``core/inference/worker.py``); the
worker's listeners receive the events on its thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence, Union

from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.chat.tokens import ReplyTokens, TokenChoice
from localchat.core.models.defaults import defaults_of_file
from localchat.core.models.fit import LowMemoryError
from localchat.core.models.gguf import read_local

if TYPE_CHECKING:
    from localchat.core.documents.embed import EmbeddingModel
    from localchat.core.hardware import Hardware
    from localchat.core.models.calibration import Calibration
    from localchat.core.models.catalog import Catalog
    from localchat.core.models.defaults import ModelDefaults
    from localchat.core.models.gguf import GGUFFacts


BATCH_SECONDS = 0.03  # token text goes to the listeners at most this often
REQUEUE = object()  # a job's answer to "run": put me back in the queue, I begin again later


# -- jobs --------------------------------------------------------------------------------------
@dataclass(eq=False)
class Job:
    """Something for the worker to do. ``done`` is set once its final event has gone out."""

    cancelled: bool = field(default=False, init=False)
    started: bool = field(default=False, init=False)  # taken from the queue (set under the worker's lock)
    done: threading.Event = field(default_factory=threading.Event, init=False, repr=False)


@dataclass(eq=False)
class LoadJob(Job):
    path: str
    n_ctx: int | None = None
    n_threads: int | None = None
    n_gpu_layers: int | None = 0  # None: "Auto", as many layers as the memory-fit plan puts on the GPU
    # the catalog that names this file's defaults (context, sampling); the load reads the file's
    # install record and header on the worker's thread to find them
    catalog: "Catalog | None" = None
    # stop before loading, with a question, when the model needs more RAM than is free now
    ask_first: bool = False
    # set when ask_first stopped the load: what to ask the person ("needs 9.3 GiB, 6.1 GiB free")
    memory_question: LowMemoryError | None = field(default=None, init=False)


@dataclass(eq=False)
class ChatJob(Job):
    messages: Sequence[Message]
    sampling: Sampling = Sampling()
    # keep this conversation's KV cache aside when another prompt comes between two of its turns
    # (the window's and localchat chat's); an API request's is not kept
    keep_cache: bool = True
    # the tokens the reply starts from (a branch from a token of an earlier reply): evaluated
    # after the prompt, their text not sent again
    prefix: ReplyTokens | None = None


@dataclass(eq=False)
class CompletionJob(Job):
    """A raw prompt continued as it is, without the chat template (``/v1/completions``). Its
    events are a chat reply's: ``ReplyDelta`` and ``ReplyFinished``."""

    prompt: str
    sampling: Sampling = Sampling()
    keep_cache: bool = False


@dataclass(eq=False)
class UnloadJob(Job):
    pass


@dataclass(eq=False)
class PromptViewJob(Job):
    """The prompt a reply to ``messages`` would be written from, as the loaded model sees it
    (``ChatSession.prompt_for`` gives the messages). No event is emitted: the client waits on
    ``done`` and reads ``view`` (a ``prompt_view.PromptView``), or ``error``."""

    messages: Sequence[Message]
    sampling: Sampling = Sampling()
    view: object | None = field(default=None, init=False)
    error: str | None = field(default=None, init=False)


@dataclass(eq=False)
class EmbedJob(Job):
    """Texts to embed with ``model`` (each with ``prefix`` in front). No event is emitted: the
    client waits on ``done`` and reads ``vectors``, or ``error`` when it failed."""

    model: "EmbeddingModel"
    texts: Sequence[str]
    prefix: str = ""
    query: bool = False  # a question being asked: before indexing batches
    vectors: list | None = field(default=None, init=False)
    error: str | None = field(default=None, init=False)


@dataclass(eq=False)
class CalibrationJob(Job):
    """Measure this machine for the speed predictions, or read the calibration kept in
    ``data_root`` for it. No event is emitted: the client waits on ``done`` and reads
    ``calibration`` (the measured one, else the assumed figures when it could not be measured)."""

    data_root: Path
    hardware: "Hardware"
    models: Sequence[Path] | None = None  # the models to time: default, the demo models installed
    calibration: "Calibration | None" = field(default=None, init=False)
    interrupted: int = field(default=0, init=False)  # times other work came first and it began again


BACKGROUND_JOBS = (EmbedJob, CalibrationJob)  # they yield to every other job


# -- events (delivered on the worker's thread) ------------------------------------------------
@dataclass(frozen=True)
class ModelLoading:
    job: LoadJob


@dataclass(frozen=True)
class ModelLoaded:
    job: LoadJob
    info: object  # ModelInfo
    defaults: "ModelDefaults"  # the model's context and sampling: its catalog entry's, else the app's


@dataclass(frozen=True)
class ModelFailed:
    job: LoadJob
    message: str
    cancelled: bool = False  # the load was cancelled (another model picked, the app closing)


@dataclass(frozen=True)
class ReplyDelta:
    job: "ChatJob | CompletionJob"
    text: str  # a batch of reply text
    # the tokens of this batch with their probabilities, when the sampling asked for them; a
    # token whose text is held back (part of a character, maybe a stop string) comes before it
    tokens: tuple[TokenChoice, ...] = ()


@dataclass(frozen=True)
class ReplyFinished:
    job: "ChatJob | CompletionJob"
    stats: GenerationStats


@dataclass(frozen=True)
class ModelUnloaded:
    job: UnloadJob


WorkerEvent = Union[ModelLoading, ModelLoaded, ModelFailed, ReplyDelta, ReplyFinished, ModelUnloaded]
Listener = Callable[[WorkerEvent], None]


def planned_gpu_layers(path: str, n_ctx: int | None) -> int:
    """The "Auto" GPU setting: the memory-fit plan for this file on this machine now. A CPU-only
    build of llama.cpp offloads nothing, so it skips the GPU probes."""
    from localchat.core.build_info import build_info
    from localchat.core.models.fit import plan_for_file

    if not build_info().gpu_offload:
        return 0
    return plan_for_file(path, n_ctx=n_ctx).n_gpu_layers


@dataclass(frozen=True)
class LoadPlan:
    """How a load job runs: the model's defaults, its context and its GPU layers."""

    defaults: "ModelDefaults"
    n_ctx: int
    n_gpu_layers: int
    facts: "GGUFFacts"  # the file's header, read once for the plan and the memory question


def plan_load(job: LoadJob) -> LoadPlan:
    """The context and GPU layers ``job`` loads with: the person's settings, else the model's
    defaults (catalog entry, else the app's) and the memory-fit plan. Reads the file's header
    and install record, so it runs off the GUI thread."""
    facts = read_local(job.path)
    defaults = defaults_of_file(job.path, job.catalog, facts=facts)
    n_ctx = defaults.context_for(job.n_ctx or 0)
    n_gpu_layers = job.n_gpu_layers
    if n_gpu_layers is None:
        n_gpu_layers = planned_gpu_layers(job.path, n_ctx)
    return LoadPlan(defaults, n_ctx, n_gpu_layers, facts)


def memory_question(job: LoadJob, plan: LoadPlan | None = None) -> LowMemoryError | None:
    """What to ask before loading ``job`` when it needs more RAM than is free now; None when it
    fits. The estimate is the engine's own (``check_memory``), read against free memory now."""
    import psutil

    from localchat.core.build_info import build_info
    from localchat.core.models.fit import estimate_memory, low_memory

    plan = plan or plan_load(job)
    info = build_info()
    estimate = estimate_memory(plan.facts, n_ctx=plan.n_ctx,
                               n_gpu_layers=plan.n_gpu_layers if info.gpu_offload else 0,
                               unified=info.variant == "Metal")
    vm = psutil.virtual_memory()
    return low_memory(Path(job.path).name, estimate.ram_bytes, free=vm.available, total=vm.total)
