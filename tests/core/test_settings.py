"""App settings: a settings file that survives, and what the settings ask of a model load."""

import json

import pytest

from localchat.core.paths import DataPaths
from localchat.core.settings import Settings, hub_token, load_settings, resolve_run_options, save_settings


@pytest.mark.parametrize("mode, layers, expected", [
    ("auto", 7, None),  # the memory-fit plan decides
    ("cpu", 7, 0),
    ("all", 7, -1),
    ("layers", 7, 7),
    ("layers", -3, 0),
])
def test_gpu_choice_becomes_the_engine_request(mode, layers, expected):
    assert Settings(gpu_mode=mode, gpu_layers=layers).requested_gpu_layers() == expected


def test_settings_round_trip_and_unknown_keys_are_ignored(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="dark", n_threads=3, gpu_mode="layers", gpu_layers=12))
    raw = json.loads(path.read_text())
    raw["from_a_newer_version"] = True
    path.write_text(json.dumps(raw))
    loaded = load_settings(path)
    assert (loaded.theme, loaded.n_threads, loaded.gpu_mode, loaded.gpu_layers) == ("dark", 3, "layers", 12)


def test_a_damaged_settings_file_is_kept_aside_and_defaults_are_used(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    assert load_settings(path) == Settings()
    assert not path.exists()
    assert (tmp_path / "settings.json.damaged").read_text() == "{ not json"


def test_unknown_choices_fall_back_to_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"gpu_mode": "warp-drive", "theme": "neon"}))
    loaded = load_settings(path)
    assert (loaded.gpu_mode, loaded.theme) == ("auto", "system")


# -- what the settings ask of a run (the window and the CLI read them the same way) --------------
def test_run_options_spell_every_default_as_the_engine_takes_it(tmp_path):
    paths = DataPaths(tmp_path / "data")
    options = resolve_run_options(paths, Settings())
    assert options.models_dir == paths.models
    assert options.load_options() == {"n_ctx": None, "n_threads": None, "n_gpu_layers": None}  # Auto
    assert options.last_model is None


def test_run_options_follow_the_settings(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    settings = Settings(models_dir=str(tmp_path / "elsewhere"), n_threads=3, gpu_mode="layers", gpu_layers=9,
                        context_length=2048, last_model=str(model))
    options = resolve_run_options(DataPaths(tmp_path / "data"), settings)
    assert options.models_dir == tmp_path / "elsewhere"
    assert options.load_options() == {"n_ctx": 2048, "n_threads": 3, "n_gpu_layers": 9}
    assert options.last_model == model
    model.unlink()  # a last model whose file is gone is no model to load
    assert resolve_run_options(DataPaths(tmp_path / "data"), settings).last_model is None


def test_the_saved_hub_token_is_used_unless_hf_token_is_set(monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert hub_token(Settings(hf_token="hf_saved")) == "hf_saved"
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert hub_token(Settings(hf_token="hf_saved")) is None  # huggingface_hub reads HF_TOKEN itself
