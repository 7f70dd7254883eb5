"""App settings: what the GPU choice asks of the engine, and a settings file that survives."""

import json

import pytest

from localchat.core.settings import Settings, load_settings, save_settings


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
