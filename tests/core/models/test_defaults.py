"""A model's defaults: a catalog model starts at its entry's context and the sampling its authors
recommend, found through the install record or the file name; any other model at the app's one
default context with the app's sampling."""

import copy
import json
import shutil

import pytest

from localchat.core.chat.messages import Sampling
from localchat.core.models.catalog import load_catalog, parse_catalog, shipped_catalog_text
from localchat.core.models.defaults import (
    DEFAULT_CONTEXT,
    catalog_entry_for,
    defaults_of_file,
    model_defaults,
)
from localchat.core.models.fit import MemoryBudget
from localchat.core.models.inventory import SOURCE_LOCAL, SOURCE_SIDELOADED, InstallRecord, ModelInventory
from localchat.core.models.recommend import rank_models
from localchat.core.units import GIB

SHIPPED = load_catalog()
LLAMA_ID = "llama-3.2-1b-instruct-q4_0"
LLAMA = SHIPPED.get(LLAMA_ID)  # context 8,192, temperature 0.6, top-p 0.9


def record(**fields) -> InstallRecord:
    base = dict(filename=LLAMA.file.filename, size=LLAMA.file.size_bytes, sha256="ab" * 32,
                installed_at="2025-01-01T00:00:00+00:00")
    return InstallRecord(**{**base, **fields})


def hub_record(**fields) -> InstallRecord:
    return record(repo_id=LLAMA.file.repo_id, repo_filename=LLAMA.file.filename, **fields)


def test_a_catalog_download_starts_with_its_entry_s_context_and_sampling():
    defaults = model_defaults(f"/models/{LLAMA.file.filename}", SHIPPED, hub_record(model_id=LLAMA_ID),
                              n_ctx_train=131072)
    assert defaults.entry is LLAMA
    assert defaults.context == 8192  # not the app's 4,096
    assert defaults.sampling == Sampling(temperature=0.6, top_p=0.9)  # the rest: the app's


def test_every_catalog_model_loads_at_the_context_it_was_recommended_at():
    budget = MemoryBudget(64 * GIB, 64 * GIB)
    for r in rank_models(SHIPPED, budget):
        e = r.entry
        rec = record(filename=e.file.filename, model_id=e.id, repo_id=e.file.repo_id,
                     repo_filename=e.file.filename)
        loaded = model_defaults(e.file.filename, SHIPPED, rec, n_ctx_train=e.arch.context).context
        assert loaded == r.verdict.n_ctx, e.id


def test_a_record_without_a_catalog_id_is_matched_by_repository_and_file():
    """A catalog file downloaded from the Search tab carries no catalog id."""
    assert catalog_entry_for(LLAMA.file.filename, hub_record(), SHIPPED) is LLAMA
    other = record(repo_id="someone/Else-GGUF", repo_filename=LLAMA.file.filename)
    assert catalog_entry_for(LLAMA.file.filename, other, SHIPPED) is None


def test_a_file_added_by_hand_is_matched_by_name_unless_its_size_says_otherwise():
    name = LLAMA.file.filename
    assert catalog_entry_for(name, None, SHIPPED) is LLAMA
    assert catalog_entry_for(name, record(source=SOURCE_LOCAL), SHIPPED) is LLAMA
    assert catalog_entry_for(name, record(source=SOURCE_SIDELOADED, size=123), SHIPPED) is None


def test_a_file_whose_checksum_differs_is_not_the_entry():
    raw = json.loads(shipped_catalog_text())
    entry = copy.deepcopy(next(m for m in raw["models"] if m["id"] == LLAMA_ID))
    entry["file"]["sha256"] = "cd" * 32
    catalog = parse_catalog(json.dumps({"schema": 1, "models": [entry]}))
    assert catalog_entry_for(LLAMA.file.filename, record(source=SOURCE_LOCAL), catalog) is None
    assert catalog_entry_for(LLAMA.file.filename, record(source=SOURCE_LOCAL, sha256="cd" * 32),
                             catalog) is not None


@pytest.mark.parametrize("n_ctx_train, context",
                         [(None, DEFAULT_CONTEXT), (2048, 2048), (32768, DEFAULT_CONTEXT)])
def test_any_other_model_starts_at_the_app_s_default_context_and_sampling(n_ctx_train, context):
    defaults = model_defaults("/models/my-own-finetune.gguf", SHIPPED, None, n_ctx_train=n_ctx_train)
    assert (defaults.entry, defaults.context, defaults.sampling) == (None, context, Sampling())
    assert model_defaults("/models/x.gguf", None, hub_record(model_id=LLAMA_ID)).sampling == Sampling()


def test_the_file_s_training_context_caps_the_entry_s():
    defaults = model_defaults(LLAMA.file.filename, SHIPPED, hub_record(model_id=LLAMA_ID), n_ctx_train=2048)
    assert defaults.context == 2048


def test_the_person_s_context_setting_wins():
    defaults = model_defaults(LLAMA.file.filename, SHIPPED, hub_record(model_id=LLAMA_ID))
    assert defaults.context_for(0) == 8192 and defaults.context_for(1024) == 1024


def test_defaults_of_a_file_in_the_models_folder(tmp_path, tiny_model):
    """The record is read from the folder the file is in, the training context from its header
    (the tiny model was trained for 8,192 tokens)."""
    models = tmp_path / "models"
    models.mkdir()
    path = models / "tiny.gguf"
    shutil.copy(tiny_model, path)
    assert defaults_of_file(path, SHIPPED).context == min(8192, DEFAULT_CONTEXT)
    ModelInventory(models).save_record(record(filename=path.name, size=path.stat().st_size,
                                              model_id=LLAMA_ID))
    defaults = defaults_of_file(path, SHIPPED)
    assert defaults.entry is LLAMA and defaults.context == 8192 and defaults.sampling.temperature == 0.6
