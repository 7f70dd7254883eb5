"""The model catalog: the shipped file validates, every malformed case is refused by name
while the good entries load, and the catalog reaches a wheel install."""

import copy
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from localchat.core.errors import CatalogError
from localchat.core.models.catalog import (
    BITS_PER_WEIGHT,
    Catalog,
    CatalogEntryError,
    load_catalog,
    parse_catalog,
    shipped_catalog_text,
)
from localchat.core.models.fit import FitLevel, MemoryBudget
from localchat.core.models.recommend import rank_models
from localchat.core.units import GIB

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = load_catalog()


# -- the shipped catalog -----------------------------------------------------------------------------
def test_the_shipped_catalog_validates_completely():
    assert SHIPPED.problems == ()
    assert len(SHIPPED) >= 20


def test_the_repo_root_catalog_is_the_shipped_one():
    assert (ROOT / "models.json").read_text(encoding="utf-8") == shipped_catalog_text(), (
        "models.json and localchat/data/models.json differ: edit models.json, then "
        "cp models.json localchat/data/models.json")


def test_the_catalog_covers_every_machine_size():
    chat = SHIPPED.of_kind("chat")
    small = [e for e in chat if e.params_b <= 4]
    mid = [e for e in chat if 7 <= e.params_b <= 8.1]
    large = [e for e in chat if 12 <= e.params_b <= 15]
    assert len(small) >= 4 and len(mid) >= 6 and len(large) >= 2
    assert {"Q4_0", "Q4_K_M", "Q5_K_M", "Q8_0"} <= {e.quant for e in mid}
    assert len(SHIPPED.of_kind("embedding")) == 1


@pytest.mark.parametrize("entry", SHIPPED.entries, ids=lambda e: e.id)
def test_entries_are_consistent(entry):
    a = entry.arch
    assert a.heads % a.kv_heads == 0
    assert entry.default_context <= a.context
    assert entry.homepage.startswith("https://huggingface.co/")
    assert entry.file.filename.endswith(".gguf") and "/" not in entry.file.filename
    # a known size agrees with the parameter count and the quantization (catches typos)
    if entry.size_is_exact:
        bits = entry.file.size_bytes * 8 / (entry.params_b * 1e9)
        assert abs(bits / BITS_PER_WEIGHT[entry.quant] - 1) < 0.15, bits
    # the split of the weights adds up to the file
    facts = entry.model_facts()
    assert abs(facts.weights_bytes - entry.size_bytes) <= facts.n_layers
    assert min(facts.layer_bytes) > 0


def test_published_architecture_facts_of_well_known_models():
    llama = SHIPPED.get("llama-3.1-8b-instruct-q4_k_m").arch
    assert (llama.layers, llama.heads, llama.kv_heads, llama.head_dim, llama.context) == (32, 32, 8, 128, 131072)
    mistral = SHIPPED.get("mistral-7b-instruct-v0.2-q4_k_m").arch
    assert (mistral.layers, mistral.kv_heads, mistral.context, mistral.sliding_window) == (32, 8, 32768, 0)
    qwen14 = SHIPPED.get("qwen2.5-14b-instruct-q4_k_m").arch
    assert (qwen14.layers, qwen14.heads, qwen14.kv_heads, qwen14.embedding) == (48, 40, 8, 5120)
    gemma = SHIPPED.get("gemma-3-4b-it-q4_k_m").arch
    assert (gemma.sliding_window, gemma.full_attention_every, gemma.head_dim) == (1024, 6, 256)


def test_the_sampling_the_authors_recommend():
    llama = SHIPPED.get("llama-3.1-8b-instruct-q4_k_m").sampling
    assert (llama.temperature, llama.top_p, llama.top_k) == (0.6, 0.9, None)
    qwen = SHIPPED.get("qwen2.5-7b-instruct-q4_k_m").sampling
    assert qwen.given() == {"temperature": 0.7, "top_p": 0.8, "top_k": 20, "repeat_penalty": 1.05}
    gemma = SHIPPED.get("gemma-3-4b-it-q4_k_m").sampling
    assert (gemma.temperature, gemma.top_p, gemma.top_k) == (1.0, 0.95, 64)
    assert SHIPPED.get("nomic-embed-text-v1.5-q8_0").sampling.given() == {}  # it samples nothing


def test_sizes_known_exactly_are_kept_and_the_rest_estimated():
    exact = SHIPPED.get("mistral-7b-instruct-v0.2-q4_0")
    assert exact.size_is_exact is False and 3.9e9 < exact.size_bytes < 4.3e9
    hermes = SHIPPED.get("nous-hermes-2-mistral-7b-dpo-q4_0")
    assert hermes.size_is_exact and hermes.size_bytes == 4108928000


# -- malformed catalogs ------------------------------------------------------------------------------
GOOD = json.loads(shipped_catalog_text())["models"][0]


def catalog_with(*entries) -> Catalog:
    return parse_catalog(json.dumps({"schema": 1, "models": [GOOD, *entries]}), source="test.json")


def broken(path: str, value, *, entry_id: str = "broken") -> dict:
    """GOOD with another id and ``path`` ("file.size_bytes") set to ``value`` (or removed)."""
    entry = copy.deepcopy(GOOD)
    entry["id"] = entry_id
    *parents, last = path.split(".")
    target = entry
    for key in parents:
        target = target[key]
    if value is _MISSING:
        del target[last]
    else:
        target[last] = value
    return entry


_MISSING = object()


@pytest.mark.parametrize("path, value, message", [
    ("name", _MISSING, "is missing"),
    ("file.repo_id", _MISSING, "is missing"),
    ("architecture.kv_heads", _MISSING, "is missing"),
    ("file.size_bytes", -5, "at least 1"),
    ("file.size_bytes", "4 GB", "must be int"),
    ("architecture.layers", 0, "at least 1"),
    ("params_b", -7, "between"),
    ("file.filename", "../../.bashrc.gguf", "plain file name"),
    ("file.filename", "sub/model.gguf", "plain file name"),
    ("file.filename", "C:\\models\\model.gguf", "plain file name"),
    ("file.filename", "model.bin", "end in .gguf"),
    ("file.filename", "CON.gguf", "Windows"),
    ("file.filename", "model.gguf.", "Windows"),
    ("file.repo_id", "not a repo", "OWNER/NAME"),
    ("file.repo_id", "owner/../etc", "OWNER/NAME"),
    ("file.sha256", "abc", "sha256 hex digest"),
    ("homepage", "http://example.com/model", "https://"),
    ("homepage", "javascript:alert(1)", "https://"),
    ("kind", "vision", "one of chat, embedding"),
    ("architecture.kv_heads", 5, "must divide heads"),
    ("defaults.context", 10_000_000, "larger than the model's training context"),
    ("defaults.temperature", 9, "between"),
    ("defaults.top_p", 1.5, "between"),
    ("defaults.top_k", -1, "at least 0"),
    ("defaults.min_p", "low", "must be int or float"),
    ("defaults.repeat_penalty", 3, "between"),
    ("architecture.tied_embeddings", "yes", "must be bool"),
    ("architecture.layers", True, "must be int"),
])
def test_a_bad_entry_is_named_and_the_others_still_load(path, value, message):
    catalog = catalog_with(broken(path, value))
    assert [e.id for e in catalog.entries] == [GOOD["id"]]
    (problem,) = catalog.problems
    assert isinstance(problem, CatalogEntryError) and isinstance(problem, CatalogError)
    assert problem.entry == "broken" and problem.field == path
    assert message in str(problem)
    assert "'broken'" in str(problem) and f"'{path}'" in str(problem) and "test.json" in str(problem)


def test_an_entry_that_is_not_an_object_is_named_by_position():
    catalog = catalog_with("just a string")
    (problem,) = catalog.problems
    assert problem.entry == "#2" and len(catalog) == 1


def test_a_duplicate_id_keeps_the_first():
    catalog = catalog_with(copy.deepcopy(GOOD))
    assert len(catalog) == 1 and catalog.problems[0].field == "id"


def test_sampling_defaults_are_optional():
    bare = broken("defaults.temperature", _MISSING)
    assert catalog_with(bare).get("broken").sampling.temperature is None  # the app's, then


def test_md5_is_not_part_of_the_schema():
    """Only a sha256 is checked after a download: no entry promises a checksum nobody checks,
    and an older catalog's md5, valid or not, no longer matters."""
    assert not any("md5" in raw["file"] for raw in json.loads(shipped_catalog_text())["models"])
    assert catalog_with(broken("file.md5", "not a digest")).get("broken") is not None


def test_unknown_fields_are_ignored_for_newer_catalogs():
    extra = broken("name", "Newer Model")
    extra["added_in_a_later_version"] = {"x": 1}
    assert catalog_with(extra).get("broken").name == "Newer Model"


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ("[]", "not a version 1 model catalog"),
    ('{"schema": 2, "models": []}', "version 2 model catalog, newer than this localchat reads"),
    ('{"schema": 0, "models": []}', "not a version 1 model catalog"),
    ('{"schema": 1, "published": "yesterday", "models": []}', "must be a date and time"),
    ('{"schema": 1, "published": "2026-12-02T00:00:00", "models": []}', "with its time zone"),
    ('{"schema": 1, "models": {}}', "not a version 1 model catalog"),
])
def test_a_file_that_is_no_catalog_is_refused(text, message):
    with pytest.raises(CatalogError, match=message):
        parse_catalog(text)


def test_load_from_a_path_and_a_missing_path(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"schema": 1, "models": [GOOD]}))
    assert load_catalog(path).get(GOOD["id"]) is not None
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "absent.json")


# -- ranking -----------------------------------------------------------------------------------------
def test_ranking_puts_fitting_models_first_then_tight_then_too_big():
    ranked = rank_models(SHIPPED, MemoryBudget(8 * GIB, 6 * GIB))
    levels = [r.verdict.level for r in ranked]
    order = {FitLevel.FITS: 0, FitLevel.TIGHT: 1, FitLevel.TOO_BIG: 2}
    assert [order[x] for x in levels] == sorted(order[x] for x in levels)
    assert {FitLevel.FITS, FitLevel.TOO_BIG} <= set(levels)
    fits = [r.entry.capability for r in ranked if r.verdict.level is FitLevel.FITS]
    assert fits == sorted(fits, reverse=True)
    assert all(r.entry.kind == "chat" for r in ranked)


def test_headline_says_what_it_needs_and_what_is_free():
    ranked = rank_models([SHIPPED.get("mistral-7b-instruct-v0.2-q4_k_m")], MemoryBudget(16 * GIB, 16 * GIB))
    (mistral,) = ranked
    assert mistral.headline.startswith("Mistral 7B Instruct v0.2 Q4_K_M needs ")
    assert mistral.headline.endswith("; you have 16.0 GiB free")
    assert mistral.badge.text == "Fits"


def test_embedding_models_rank_on_their_own():
    (embed,) = rank_models(SHIPPED, MemoryBudget(8 * GIB, 6 * GIB), kind="embedding")
    assert embed.entry.id.startswith("nomic-embed") and embed.verdict.estimate.kv_bytes == 0


# -- packaging ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_wheel_install_finds_the_catalog(tmp_path):
    import shutil

    source, wheels, target = tmp_path / "src", tmp_path / "wheels", tmp_path / "site"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "models.json"):  # a build writes beside them
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "localchat", source / "localchat", ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheels), str(source)], check=False, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("localchat-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("localchat/data/models.json").decode() == shipped_catalog_text()
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                              str(target), str(wheel)], check=False, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    code = ("import localchat.core.models.catalog as c; cat = c.load_catalog(); "
            "print(c.__file__); print(len(cat), len(cat.problems))")
    run = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
                         check=False, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    where, counts = run.stdout.splitlines()
    assert where.startswith(str(target))  # the installed copy, not the checkout
    assert counts == f"{len(SHIPPED)} 0"


# -- dates, app versions, the signature --------------------------------------------------------------
def test_the_shipped_catalog_is_dated_and_signed_with_the_project_key():
    """A release publishes the shipped file as it is: its signature must verify in the apps."""
    from localchat.core.models.catalog_update import verify_signature

    assert SHIPPED.published is not None and SHIPPED.published.tzinfo is not None
    signature = (ROOT / "localchat" / "data" / "models.json.sig").read_bytes()
    verify_signature(shipped_catalog_text().encode("utf-8"), signature)  # raises when it does not


def test_entries_outside_their_app_versions_are_hidden():
    text = json.dumps({"schema": 1, "models": [
        GOOD, broken("min_app_version", "0.2.0", entry_id="needs-0-2"),
        broken("removed_in", "0.2.0", entry_id="gone-in-0-2")]})
    old, new = parse_catalog(text, app_version="0.1.5"), parse_catalog(text, app_version="0.2.0")
    assert {e.id for e in old} == {GOOD["id"], "gone-in-0-2"} and [e.id for e in old.hidden] == ["needs-0-2"]
    assert {e.id for e in new} == {GOOD["id"], "needs-0-2"} and [e.id for e in new.hidden] == ["gone-in-0-2"]
    assert old.problems == new.problems == ()
    # every old reader goes through entries: get() and of_kind() see only what this app offers
    assert old.get("needs-0-2") is None and "needs-0-2" not in {e.id for e in old.of_kind("chat")}


@pytest.mark.parametrize("field_name, value, message", [
    ("min_app_version", "soon", "must be a version"),
    ("removed_in", 2, "must be str"),
])
def test_bad_app_versions_are_refused_by_name(field_name, value, message):
    catalog = catalog_with(broken(field_name, value))
    (problem,) = catalog.problems
    assert problem.field == field_name and message in problem.message


def test_an_entry_removed_before_it_is_added_is_refused():
    entry = broken("min_app_version", "0.3")
    entry["removed_in"] = "0.2"
    (problem,) = catalog_with(entry).problems
    assert problem.field == "removed_in" and "later version than min_app_version" in problem.message
