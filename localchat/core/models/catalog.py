"""The curated model catalog (``models.json``, schema in docs/CATALOG.md) .

Loading validates every entry on its own: a bad entry becomes a ``CatalogEntryError`` that
names the entry and the field, and the good entries load all the same. Only a file that is not
a catalog at all (bad JSON, wrong schema version, a bad ``published`` date) raises.

An entry may name the app versions it is for (``min_app_version``, ``removed_in``): outside that
range it is left out of ``Catalog.entries`` (kept in ``Catalog.hidden``), so every reader of the
entries sees only what this app may offer. A downloaded catalog is held to more than this (every
entry valid, new files pinned): ``catalog_update`` checks that before adopting one.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from localchat import __version__
from localchat.core.errors import CatalogError, LocalChatError
from localchat.core.models.facts import ModelFacts, swa_layers
from localchat.core.units import size_text

SCHEMA = 1  # the newest catalog schema this app reads
KINDS = ("chat", "embedding")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# average bits per weight of a whole file of each quantization (llama.cpp's mixes, measured on
# 7B files): estimates a file's size before the Hub says it
BITS_PER_WEIGHT = {
    "F32": 32.0, "F16": 16.0, "BF16": 16.0, "Q8_0": 8.5, "Q6_K": 6.56, "Q5_K_M": 5.67,
    "Q5_K_S": 5.52, "Q5_0": 5.54, "Q4_K_M": 4.85, "Q4_K_S": 4.58, "Q4_0": 4.55, "IQ4_XS": 4.32,
    "Q3_K_M": 3.91, "Q3_K_L": 4.27, "Q2_K": 3.35,
}
# how close a quantization stays to the full model, for ranking equal-size models
QUANT_QUALITY = {
    "F32": 1.0, "F16": 1.0, "BF16": 1.0, "Q8_0": 0.99, "Q6_K": 0.97, "Q5_K_M": 0.95,
    "Q5_K_S": 0.94, "Q5_0": 0.94, "Q4_K_M": 0.92, "Q4_K_S": 0.9, "IQ4_XS": 0.9, "Q4_0": 0.88,
    "Q3_K_L": 0.86, "Q3_K_M": 0.84, "Q2_K": 0.7,
}


class CatalogSchemaError(CatalogError):
    """The catalog's schema is newer than this app reads."""


class CatalogEntryError(CatalogError):
    """One entry of the catalog is unusable; the others still load."""

    def __init__(self, entry: str, field_name: str, problem: str, source: str = "models.json"):
        super().__init__(f"{source}: model {entry!r}, field {field_name!r}: {problem}.",
                         "The entry is left out; fix it in the catalog file.")
        self.entry = entry
        self.field = field_name


@dataclass(frozen=True)
class ModelFile:
    """Where the model's GGUF file is on Hugging Face, and what it must be."""

    repo_id: str
    filename: str
    revision: str = "main"
    size_bytes: int | None = None  # exact; None: the Hub says at download time
    sha256: str | None = None  # what the download is checked against; None: the Hub's LFS sha256


@dataclass(frozen=True)
class Architecture:
    """The published shape of the model: what the memory fit needs before a download."""

    family: str
    layers: int
    embedding: int
    feed_forward: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    context: int  # training context
    sliding_window: int = 0  # the window llama.cpp applies; 0: full attention everywhere
    full_attention_every: int = 0  # with a window: every Nth layer sees the whole context
    tied_embeddings: bool = False


@dataclass(frozen=True)
class SamplingDefaults:
    """The sampling the model's authors recommend; None: the app's default for that one."""

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    repeat_penalty: float | None = None

    def given(self) -> dict[str, float]:
        """The values the entry sets, as ``Sampling`` field names."""
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    quant: str
    kind: str
    params_b: float
    license: str
    description: str
    homepage: str
    file: ModelFile
    arch: Architecture
    default_context: int
    sampling: SamplingDefaults = SamplingDefaults()
    min_app_version: str | None = None  # offered from this app version on
    removed_in: str | None = None  # no longer offered from this app version on

    def offered_to(self, app_version: str) -> bool:
        """Whether an app of ``app_version`` offers this entry (GPT4All's requires/removedIn)."""
        version = Version(app_version)
        if self.min_app_version is not None and version < Version(self.min_app_version):
            return False
        return self.removed_in is None or version < Version(self.removed_in)

    @property
    def display_name(self) -> str:
        return f"{self.name} {self.quant}"

    @property
    def size_is_exact(self) -> bool:
        return self.file.size_bytes is not None

    @property
    def size_text(self) -> str:
        """The download's size as every view shows it: ``"4.1 GiB"``, ``"~4.1 GiB"`` estimated."""
        return size_text(self.size_bytes) if self.size_is_exact else f"~{size_text(self.size_bytes)}"

    @property
    def size_bytes(self) -> int:
        """The file's size: exact when the catalog knows it, else estimated from the
        parameter count and the quantization."""
        if self.file.size_bytes is not None:
            return self.file.size_bytes
        return int(self.params_b * 1e9 * BITS_PER_WEIGHT.get(self.quant.upper(), 8.5) / 8)

    @property
    def capability(self) -> float:
        """Bigger models answer better; a coarser quantization costs a little of that."""
        return self.params_b * QUANT_QUALITY.get(self.quant.upper(), 0.85)

    def model_facts(self) -> ModelFacts:
        """The facts the fit needs, before the file is here: the weights are split between
        embedding, blocks and head from the shape (the file's own header, once read, is exact)."""
        a = self.arch
        embed_params = a.vocab * a.embedding
        bits = BITS_PER_WEIGHT.get(self.quant.upper(), 8.5)
        input_bytes = int(embed_params * bits / 8)
        # llama.cpp's quantizations keep the output head at 6 bits or more
        output_bytes = int(embed_params * max(bits, 6.56) / 8) if not a.tied_embeddings else input_bytes
        blocks = max(0, self.size_bytes - input_bytes - (0 if a.tied_embeddings else output_bytes))
        window = swa_layers(a.layers, a.full_attention_every) if a.sliding_window else frozenset()
        return ModelFacts(
            n_layers=a.layers, n_embd=a.embedding, n_head=a.heads, n_head_kv=a.kv_heads,
            key_length=a.head_dim, value_length=a.head_dim, n_ff=a.feed_forward, n_vocab=a.vocab,
            n_ctx_train=a.context, layer_bytes=(blocks // a.layers,) * a.layers,
            input_bytes=input_bytes, output_bytes=output_bytes, output_tied=a.tied_embeddings,
            sliding_window=a.sliding_window, window_layers=window,
            has_kv_cache=self.kind == "chat", name=self.display_name,
        )


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    problems: tuple[CatalogEntryError, ...] = ()
    source: str = "models.json"
    published: datetime | None = None  # when its maintainers published it (aware, UTC or not)
    hidden: tuple[CatalogEntry, ...] = ()  # valid entries for other app versions

    @property
    def published_text(self) -> str:
        """The date as views show it: ``"2 December 2026"``; ``"undated"`` without one."""
        if self.published is None:
            return "undated"
        return f"{self.published.day} {self.published:%B %Y}"

    def get(self, entry_id: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def of_kind(self, kind: str) -> list[CatalogEntry]:
        return [e for e in self.entries if e.kind == kind]

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


# -- loading ------------------------------------------------------------------------------------------
def shipped_catalog_text() -> str:
    """The catalog inside the installed package (``localchat/data/models.json``)."""
    return resources.files("localchat").joinpath("data", "models.json").read_text(encoding="utf-8")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The shipped catalog, or the one at ``path``. Raises CatalogError only when the file is
    not a catalog at all; bad entries are in ``Catalog.problems``."""
    if path is None:
        return parse_catalog(shipped_catalog_text(), source="models.json")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The model catalog {path} cannot be read: {exc}.",
                           "Reinstall localchat, or point to another catalog file.") from exc
    return parse_catalog(text, source=path.name)


def parse_catalog(text: str, source: str = "models.json", *, app_version: str = __version__) -> Catalog:
    """The catalog in ``text``; entries not offered to ``app_version`` go to ``Catalog.hidden``."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"The model catalog {source} is not valid JSON ({exc}).",
                           "Reinstall localchat, or fix the file.") from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise CatalogSchemaError(
            f"{source} is a version {schema} model catalog, newer than this localchat reads "
            f"(version {SCHEMA}).", "Update localchat to see its models; the catalog you have is kept.")
    if not isinstance(data, dict) or schema != SCHEMA or not isinstance(data.get("models"), list):
        raise CatalogError(
            f"{source} is not a version {SCHEMA} model catalog (it needs \"schema\": {SCHEMA} and "
            "a \"models\" list).",
            "It may come from a newer localchat; update localchat or use its own catalog.")
    published = _published(data.get("published"), source)
    entries: list[CatalogEntry] = []
    hidden: list[CatalogEntry] = []
    problems: list[CatalogEntryError] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["models"]):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
        try:
            entry = _entry(raw, _Reader(label, source))
            if entry.id in seen:
                raise CatalogEntryError(label, "id", "the same id appears twice", source)
        except CatalogEntryError as exc:
            problems.append(exc)
            continue
        seen.add(entry.id)
        (entries if entry.offered_to(app_version) else hidden).append(entry)
    return Catalog(tuple(entries), tuple(problems), source, published, tuple(hidden))


def _published(value: Any, source: str) -> datetime | None:
    if value is None:
        return None
    try:
        published = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        published = None
    if published is None or published.tzinfo is None:
        raise CatalogError(f"{source}: \"published\" must be a date and time with its time zone "
                           f"(\"2026-12-02T00:00:00+00:00\"), not {value!r}.",
                           "Fix the file; the catalog is not used.")
    return published


@dataclass
class _Reader:
    """Typed field access that names the entry and field in its error."""

    entry: str
    source: str
    prefix: str = ""
    _data: dict = field(default_factory=dict)

    def on(self, data: Any, prefix: str = "") -> _Reader:
        if not isinstance(data, dict):
            self.fail(prefix.rstrip(".") or "entry", "must be a JSON object")
        return _Reader(self.entry, self.source, prefix, data)

    def fail(self, name: str, problem: str):
        raise CatalogEntryError(self.entry, self.prefix + name, problem, self.source)

    def get(self, name: str, kind: type | tuple, *, required: bool = True, default: Any = None) -> Any:
        if name not in self._data or self._data[name] is None:
            if required:
                self.fail(name, "is missing")
            return default
        value = self._data[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            self.fail(name, f"must be {' or '.join(k.__name__ for k in kinds)}, not {type(value).__name__}")
        return value

    def text(self, name: str, *, required: bool = True, default: str | None = None) -> str | None:
        value = self.get(name, str, required=required, default=default)
        if value is not None and not value.strip():
            self.fail(name, "is empty")
        return value

    def count(self, name: str, *, minimum: int = 1, required: bool = True, default: int | None = None) -> int | None:
        value = self.get(name, int, required=required, default=default)
        if value is not None and value < minimum:
            self.fail(name, f"must be at least {minimum}, not {value}")
        return value

    def number(self, name: str, low: float, high: float, *, required: bool = True) -> float | None:
        value = self.get(name, (int, float), required=required)
        if value is None:
            return None
        value = float(value)
        if not math.isfinite(value) or not low <= value <= high:
            self.fail(name, f"must be between {low:g} and {high:g}, not {value:g}")
        return value


def _entry(raw: Any, r: _Reader) -> CatalogEntry:
    r = r.on(raw)
    entry_id = r.text("id")
    if not _ID.match(entry_id):
        r.fail("id", "must be lower-case letters, digits, '.', '_' and '-'")
    kind = r.text("kind")
    if kind not in KINDS:
        r.fail("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
    homepage = r.text("homepage")
    if not homepage.startswith("https://") or len(homepage) <= len("https://"):
        r.fail("homepage", f"must be an https:// address, not {homepage!r}")
    arch = _architecture(r.on(r.get("architecture", dict), "architecture."))
    defaults = r.on(r.get("defaults", dict), "defaults.")
    context = defaults.count("context", minimum=256)
    if context > arch.context:
        defaults.fail("context", f"is larger than the model's training context ({arch.context})")
    since, until = _version(r, "min_app_version"), _version(r, "removed_in")
    if since is not None and until is not None and Version(since) >= Version(until):
        r.fail("removed_in", f"must be a later version than min_app_version ({since}), not {until}")
    return CatalogEntry(
        id=entry_id, name=r.text("name"), quant=r.text("quant").upper(), kind=kind,
        params_b=r.number("params_b", 0.001, 10_000), license=r.text("license"),
        description=r.text("description"), homepage=homepage,
        file=_model_file(r.on(r.get("file", dict), "file.")), arch=arch,
        default_context=context, sampling=_sampling(defaults),
        min_app_version=since, removed_in=until,
    )


def _version(r: _Reader, name: str) -> str | None:
    value = r.text(name, required=False)
    if value is not None:
        try:
            Version(value)
        except InvalidVersion:
            r.fail(name, f"must be a version such as \"0.2.0\", not {value!r}")
    return value


def _sampling(r: _Reader) -> SamplingDefaults:
    """The ranges are those the conversation settings panel offers."""
    return SamplingDefaults(
        temperature=r.number("temperature", 0.0, 2.0, required=False),
        top_p=r.number("top_p", 0.0, 1.0, required=False),
        top_k=r.count("top_k", minimum=0, required=False),
        min_p=r.number("min_p", 0.0, 1.0, required=False),
        repeat_penalty=r.number("repeat_penalty", 0.5, 2.0, required=False),
    )


def _model_file(r: _Reader) -> ModelFile:
    repo_id = r.text("repo_id")
    if not _REPO.match(repo_id) or ".." in repo_id:
        r.fail("repo_id", f"must be OWNER/NAME on Hugging Face, not {repo_id!r}")
    filename = r.text("filename")
    if "/" in filename or "\\" in filename:
        r.fail("filename", f"must be a plain file name (no folders), not {filename!r}")
    # the download's own rules (no '..', no name Windows refuses, .gguf): a catalog entry that
    # could not be downloaded is refused when the catalog loads, not when it is shown
    from localchat.core.downloads.hub import check_repo_filename, check_repo_id

    for field_name, check, value in (("repo_id", check_repo_id, repo_id),
                                     ("filename", check_repo_filename, filename)):
        try:
            check(value)
        except CatalogError:
            raise
        except LocalChatError as exc:
            r.fail(field_name, exc.message[0].lower() + exc.message[1:].rstrip("."))
    revision = r.text("revision", required=False, default="main")
    if re.search(r"\s|\.\.|^/", revision):
        r.fail("revision", f"is not a branch, tag or commit: {revision!r}")
    size = r.count("size_bytes", minimum=1, required=False)
    sha256 = r.text("sha256", required=False)
    if sha256 is not None and not _SHA256.match(sha256.lower()):
        r.fail("sha256", "is not a sha256 hex digest")
    return ModelFile(repo_id, filename, revision, size, sha256.lower() if sha256 else None)


def _architecture(r: _Reader) -> Architecture:
    heads, kv_heads = r.count("heads"), r.count("kv_heads")
    if heads % kv_heads:
        r.fail("kv_heads", f"must divide heads ({heads}), not {kv_heads}")
    return Architecture(
        family=r.text("family"), layers=r.count("layers"), embedding=r.count("embedding"),
        feed_forward=r.count("feed_forward"), heads=heads, kv_heads=kv_heads,
        head_dim=r.count("head_dim"), vocab=r.count("vocab"), context=r.count("context", minimum=256),
        sliding_window=r.count("sliding_window", minimum=0, required=False, default=0),
        full_attention_every=r.count("full_attention_every", minimum=0, required=False, default=0),
        tied_embeddings=r.get("tied_embeddings", bool, required=False, default=False),
    )
