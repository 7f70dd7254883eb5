"""App settings: a settings file that survives, and what the settings ask of a model load."""

import json

import pytest

from localchat.core.paths import DataPaths
from localchat.core.settings import (
    Settings,
    api_server_options,
    load_settings,
    resolve_run_options,
    save_hub_token,
    save_settings,
    saved_hub_token,
)
from tests.hf_home import use_hf_home


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


def test_the_api_server_is_off_by_default_and_its_settings_survive_a_round_trip(tmp_path):
    paths = DataPaths(tmp_path / "data")
    assert api_server_options(paths, Settings()) is None
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"font_size": 14}))  # a file from before the API server
    old = load_settings(path)
    assert (old.api_server, old.api_host, old.api_port, old.api_key, old.api_cors_origins) == (
        False, "127.0.0.1", 4891, None, ())
    assert old.api_log_contents is False  # the request log keeps no contents unless asked
    save_settings(path, Settings(api_server=True, api_host="0.0.0.0", api_port=5000, api_key="k",
                                 api_cors_origins=("http://a.test", "http://b.test"), api_log_contents=True))
    loaded = load_settings(path)
    options = api_server_options(paths, loaded)
    assert options.server_kwargs() == {"host": "0.0.0.0", "port": 5000, "api_key": "k",
                                       "cors_origins": ("http://a.test", "http://b.test"),
                                       "models_dir": paths.models, "log_contents": True,
                                       "backends_root": paths.root}  # whose backends a refusal names


def test_hand_edited_api_server_settings_that_make_no_sense_take_the_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"api_server": "yes", "api_host": "", "api_port": 99999, "api_key": 7,
                                "api_cors_origins": "http://a.test", "api_log_contents": "yes"}))
    loaded = load_settings(path)
    assert loaded.api_log_contents is False
    assert (loaded.api_server, loaded.api_host, loaded.api_port, loaded.api_key, loaded.api_cors_origins) == (
        False, "127.0.0.1", 4891, None, ("http://a.test",))
    path.write_text(json.dumps({"api_port": "4891", "api_cors_origins": {"x": 1}}))
    loaded = load_settings(path)
    assert (loaded.api_port, loaded.api_cors_origins) == (4891, ())


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


@pytest.fixture
def token_file(tmp_path, monkeypatch):
    return use_hf_home(monkeypatch, tmp_path / "hf")


def test_the_token_is_kept_where_hf_auth_login_keeps_it(token_file):
    from huggingface_hub import get_token

    save_hub_token(" hf_typed \n")
    assert token_file.read_text() == "hf_typed"
    assert token_file.stat().st_mode & 0o077 == 0, "readable by this user only"
    assert get_token() == "hf_typed", "huggingface_hub sends it with every request"
    save_hub_token("")
    assert not token_file.exists() and saved_hub_token() is None and get_token() is None


def test_hf_token_in_the_environment_wins_and_is_never_written(token_file, monkeypatch, tmp_path):
    from huggingface_hub import get_token

    save_hub_token("hf_saved")
    monkeypatch.setenv("HF_TOKEN", "hf_from_the_environment")
    assert get_token() == "hf_from_the_environment"
    assert saved_hub_token() == "hf_saved", "the saved one is still there for when HF_TOKEN goes"
    settings = tmp_path / "settings.json"
    save_settings(settings, load_settings(settings))
    written = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    assert not any("hf_from_the_environment" in text for text in written)


def test_a_token_in_an_old_settings_file_moves_to_the_login_once(token_file, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"hf_token": "hf_plain", "font_size": 14, "from_a_newer_version": 1}))
    assert load_settings(path).font_size == 14
    assert token_file.read_text() == "hf_plain"
    assert json.loads(path.read_text()) == {"font_size": 14, "from_a_newer_version": 1}
    assert "hf_plain" not in path.read_text()

    save_hub_token("hf_changed_later")  # moved once: the next start leaves the login alone
    load_settings(path)
    assert token_file.read_text() == "hf_changed_later"


def test_a_login_hf_already_has_is_kept_and_the_plain_token_still_leaves(token_file, tmp_path):
    save_hub_token("hf_login")
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"hf_token": "hf_plain"}))
    load_settings(path)
    assert token_file.read_text() == "hf_login"
    assert "hf_plain" not in path.read_text()


def test_a_token_that_cannot_be_moved_stays_in_the_settings_file(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    use_hf_home(monkeypatch, blocked)  # its token file cannot be written
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"hf_token": "hf_plain"}))
    assert load_settings(path) == Settings()
    assert json.loads(path.read_text()) == {"hf_token": "hf_plain"}, "nothing is lost"
