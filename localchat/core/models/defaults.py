"""The context, sampling and system prompt a model starts with: its catalog entry's (or its demo
model's), else the app's.

``DEFAULT_CONTEXT`` is the app's one default context. A model the catalog knows starts at the
entry's ``defaults.context`` (what the recommendation judged it at) and with the sampling its
authors recommend (``defaults.temperature`` …); any other model at its training context, at most
``DEFAULT_CONTEXT``, with ``Sampling()``. The person's own context setting wins over both.

Which entry a file is: the install record names the catalog entry it was downloaded for; a
record without one (a catalog file found on the Search tab) is matched by repository and file
name, and a file added by hand by its file name, unless its size or checksum says otherwise.
The demo models (``demo.DEMO_MODELS``) keep their defaults with them, as a catalog entry does,
and are known by their file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from localchat.core.chat.messages import Sampling

if TYPE_CHECKING:  # catalog imports fit, which imports this module
    from localchat.core.models.catalog import Catalog, CatalogEntry
    from localchat.core.models.demo import DemoModel
    from localchat.core.models.gguf import GGUFFacts
    from localchat.core.models.inventory import InstallRecord

DEFAULT_CONTEXT = 4096  # tokens, for a model the catalog does not know


def default_context(n_ctx_train: int | None) -> int:
    """The app's context for a model the catalog does not know: its training context, at most
    ``DEFAULT_CONTEXT``."""
    return min(n_ctx_train or DEFAULT_CONTEXT, DEFAULT_CONTEXT)


@dataclass(frozen=True)
class ModelDefaults:
    context: int
    sampling: Sampling
    entry: "CatalogEntry | None" = None  # where they come from; None: the app's defaults
    system_prompt: str = ""  # what a new chat with this model starts with
    demo: "DemoModel | None" = None  # the demo model they come from, when the file is one

    @property
    def source(self) -> str:
        """Who recommends them, for a tooltip: "Llama 3.2 1B Instruct Q4_0's authors"; "" for
        the app's own."""
        if self.entry is not None:
            return f"{self.entry.display_name}'s authors"
        if self.demo is not None:
            return f"localchat, for the demo model {self.demo.name}"
        return ""

    def context_for(self, setting: int = 0) -> int:
        """The context to load with: the person's setting (``Settings.context_length``) when
        they set one, else this default."""
        return setting if setting and setting > 0 else self.context


def catalog_entry_for(path: str | Path, record: "InstallRecord | None",
                      catalog: "Catalog | None") -> "CatalogEntry | None":
    """The catalog entry a model file is, from its install record or its name; None: not one
    of the catalog's."""
    if catalog is None:
        return None
    if record is not None and record.model_id:
        entry = catalog.get(record.model_id)
        if entry is not None:
            return entry
    if record is not None and record.repo_id:
        return next((e for e in catalog if e.file.repo_id == record.repo_id
                     and e.file.filename == record.repo_filename), None)
    name = Path(path).name
    for entry in catalog:
        if entry.file.filename != name:
            continue
        if record is not None and entry.file.size_bytes is not None and record.size != entry.file.size_bytes:
            continue  # the same name, another file
        if record is not None and record.sha256 and entry.file.sha256 and record.sha256 != entry.file.sha256:
            continue
        return entry
    return None


def model_defaults(path: str | Path, catalog: "Catalog | None", record: "InstallRecord | None" = None, *,
                   n_ctx_train: int | None = None) -> ModelDefaults:
    """The defaults of the model file at ``path``: from its catalog entry when it is one (found
    through its install ``record``), else its demo model's (sampling and system prompt) when it
    is one, else the app's. ``n_ctx_train``, the context the file was
    trained for (its header says), caps the context. Pure: reads nothing."""
    from localchat.core.models.demo import demo_of

    entry = catalog_entry_for(path, record, catalog)
    demo = demo_of(path) if entry is None else None
    if demo is not None and (record is None or record.model_id is None):
        context = min(demo.default_context, n_ctx_train) if n_ctx_train else demo.default_context
        return ModelDefaults(context, Sampling().with_(**demo.sampling.given()), None,
                             demo.system_prompt, demo)
    if entry is None:
        return ModelDefaults(default_context(n_ctx_train), Sampling())
    context = min(entry.default_context, n_ctx_train) if n_ctx_train else entry.default_context
    return ModelDefaults(context, Sampling().with_(**entry.sampling.given()), entry)


def defaults_of_file(path: str | Path, catalog: "Catalog | None", *,
                     facts: "GGUFFacts | None" = None) -> ModelDefaults:
    """``model_defaults`` for a file on disk: its install record from the models folder it is
    in, its training context from its header (``facts``, when the caller has read it already).
    Disk work: call it where the model loads."""
    from localchat.core.models.gguf import read_local
    from localchat.core.models.inventory import ModelInventory

    path = Path(path)
    record = ModelInventory(path.parent).record_for(path)
    facts = facts or read_local(path)
    return model_defaults(path, catalog, record, n_ctx_train=facts.context_length)
