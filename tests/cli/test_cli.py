"""The ``localchat`` command as a person runs it: a real process."""

import os
import subprocess
import sys

import pytest


def localchat(*args, data_dir, timeout=120):
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "localchat", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_version_names_the_build(tmp_path):
    out = localchat("--version", data_dir=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("localchat 0.") and "CPU build" in out.stdout


def test_help_lists_the_commands(tmp_path):
    out = localchat("--help", data_dir=tmp_path)
    assert out.returncode == 0
    for word in ("chat", "--self-test", "--data-dir"):
        assert word in out.stdout


def test_chat_streams_a_reply_to_stdout(tmp_path, tiny_model):
    out = localchat("chat", "--model", str(tiny_model), "--max-tokens", "12", "--seed", "5", "--stats",
                    "hello", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    assert "tok/s" in out.stderr


def test_chat_with_a_bad_file_says_why(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_text("hello")
    out = localchat("chat", "--model", str(bogus), "hi", data_dir=tmp_path)
    assert out.returncode == 1
    assert "not a GGUF model" in out.stderr
    assert "Traceback" not in out.stderr


def test_data_dir_option_and_environment_place_all_data(tmp_path, tiny_model):
    chosen = tmp_path / "portable"
    out = localchat("--data-dir", str(chosen), "chat", "--model", str(tiny_model), "--max-tokens", "2", "hi",
                    data_dir=tmp_path / "ignored")
    assert out.returncode == 0, out.stderr
    assert (chosen / "logs" / "localchat.log").exists()
    assert not (tmp_path / "ignored").exists()


def test_self_test_passes(tmp_path):
    out = localchat("--self-test", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "self-test passed" in out.stdout and "the API server answered" in out.stdout
    assert ("the documents index, parsers, signed catalog, JSON schema check, icons, themes and "
            "translations work") in out.stdout


def test_self_test_fails_naming_a_capability_whose_library_is_missing(tmp_path):
    """As in a bundle that left sqlite-vec out: the self-test says which capability broke."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "sqlite_vec.py").write_text("raise ImportError('sqlite_vec is not in this install')\n")
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join([str(shadow), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-m", "localchat", "--self-test"], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 1
    assert ("self-test FAILED: the documents index (SQLite FTS5 and sqlite-vec) failed: ImportError: "
            "sqlite_vec is not in this install") in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.demo
def test_demo_model_from_the_command_line(tmp_path, demo_model):
    out = localchat("chat", "--model", str(demo_model), "--temperature", "0", "--max-tokens", "32",
                    "What is the capital of France?", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout
    assert "base model" in out.stderr


def test_self_test_saves_a_screenshot_of_the_window_after_its_reply(tmp_path):
    shot = tmp_path / "window.png"
    out = localchat("--self-test", "--screenshot", str(shot), data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    assert f"screenshot saved: {shot}" in out.stdout
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1100, 720)


def test_a_screenshot_without_the_self_test_is_refused_in_one_line(tmp_path):
    out = localchat("--screenshot", str(tmp_path / "x.png"), data_dir=tmp_path / "data")
    assert out.returncode == 2 and "--screenshot goes with --self-test" in out.stderr
    assert not (tmp_path / "x.png").exists()
