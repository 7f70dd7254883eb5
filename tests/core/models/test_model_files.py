"""Only regular files are opened as models, and odd file names work, through the header reader,
the real engine (llama.cpp) and the models folder."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading

import pytest

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import LocalChatError, ModelFileError, ModelNotFoundError, NotARegularFileError
from localchat.core.inference.engine import Engine
from localchat.core.models import gguf
from localchat.core.models.gguf import open_model_file, read_local
from localchat.core.models.inventory import ModelInventory

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="pipes, sockets and /dev are POSIX")
ODD_NAMES = ["mödel \"v2\" 'x'.gguf", "llama 🦙 chat.gguf", "モデル Q4_K_M.gguf", "a;b&c$(d) `e`.gguf"]


@pytest.fixture
def engine():
    e = Engine()
    yield e
    e.close()


def returns_within(call, seconds: float = 5.0):
    """``call()``'s exception (or None), failing the test if it is still waiting after ``seconds``."""
    outcome: list = []

    def target():
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return thread, outcome


def make_fifo(path):
    os.mkfifo(path)
    return path


def release_fifo(path) -> None:
    """Let a reader blocked on the pipe go: a writer appears and leaves at once."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # no reader waiting


# -- things that are not files -------------------------------------------------------------------
@posix_only
@pytest.mark.parametrize("load", ["read_local", "engine"])
def test_a_fifo_named_like_a_model_is_refused_at_once(tmp_path, engine, load):
    fifo = make_fifo(tmp_path / "x.gguf")
    call = (lambda: read_local(fifo)) if load == "read_local" else (lambda: engine.load(fifo, n_ctx=256))
    thread, outcome = returns_within(call)
    if thread.is_alive():
        release_fifo(fifo)
        thread.join(5)
        pytest.fail("the loader waited on a pipe")
    assert isinstance(outcome[0], NotARegularFileError), outcome
    assert "named pipe" in outcome[0].message and outcome[0].hint


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused_with_what_it_is(tmp_path, engine, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is not on this system")
    link = tmp_path / "model.gguf"
    link.symlink_to(device)
    thread, outcome = returns_within(lambda: engine.load(link, n_ctx=256))
    assert not thread.is_alive(), "the loader read a device that never ends"
    err = outcome[0]
    assert isinstance(err, NotARegularFileError) and "a device" in err.message
    assert device in err.message  # where the link leads


def test_a_folder_named_like_a_model_is_refused(tmp_path, engine):
    (tmp_path / "model.gguf").mkdir()
    with pytest.raises(NotARegularFileError, match="is a folder") as info:
        engine.load(tmp_path / "model.gguf")
    assert "inside it" in info.value.hint


@posix_only
def test_a_socket_and_a_link_to_a_fifo_are_refused(tmp_path):
    short = tmp_path / "s"  # a socket's path must be short
    short.mkdir()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(short / "m.gguf"))
        with pytest.raises(NotARegularFileError, match="a socket"):
            read_local(short / "m.gguf")
    fifo = make_fifo(tmp_path / "pipe")
    link = tmp_path / "linked.gguf"
    link.symlink_to(fifo)
    thread, outcome = returns_within(lambda: read_local(link))
    if thread.is_alive():
        release_fifo(fifo)
        thread.join(5)
        pytest.fail("the reader followed a link to a pipe and waited on it")
    assert isinstance(outcome[0], NotARegularFileError) and "named pipe" in outcome[0].message


@posix_only
def test_a_fifo_that_takes_the_file_s_place_after_the_check_is_refused_too(tmp_path, tiny_model, monkeypatch):
    """The race between the check and the open: the open does not wait, the second check refuses."""
    path = tmp_path / "swap.gguf"
    shutil.copy(tiny_model, path)
    real_open = os.open

    def swapping_open(p, flags, *args):
        if os.fspath(p) == os.fspath(path):
            path.unlink()
            os.mkfifo(path)
        return real_open(p, flags, *args)

    monkeypatch.setattr(gguf.os, "open", swapping_open)
    thread, outcome = returns_within(lambda: read_local(path))
    if thread.is_alive():
        release_fifo(path)
        thread.join(5)
        pytest.fail("the open waited on a pipe that replaced the file")
    assert isinstance(outcome[0], NotARegularFileError)


def test_a_missing_file_and_a_broken_link_say_so(tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist") as info:
        read_local(tmp_path / "gone.gguf")
    assert info.value.hint
    if sys.platform != "win32":
        (tmp_path / "dangling.gguf").symlink_to(tmp_path / "nowhere.gguf")
        with pytest.raises(ModelNotFoundError, match="link to a file that is not there"):
            read_local(tmp_path / "dangling.gguf")


def test_a_name_with_a_nul_is_refused_not_crashed(engine):
    with pytest.raises(ModelFileError, match="not a valid file name"):
        engine.load("model\x00.gguf")


def test_a_link_to_a_real_model_still_works(tmp_path, tiny_model):
    link = tmp_path / "linked.gguf"
    try:
        link.symlink_to(tiny_model)
    except OSError:
        pytest.skip("this system does not let a test make links")
    assert read_local(link).architecture == "llama"
    with open_model_file(link) as fh:
        assert fh.read(4) == b"GGUF"


def test_the_inventory_lists_only_regular_files(tmp_path, tiny_model):
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(tiny_model, models / "real.gguf")
    (models / "folder.gguf").mkdir()
    if sys.platform != "win32":
        make_fifo(models / "pipe.gguf")
        (models / "zero.gguf").symlink_to("/dev/zero")
    assert [m.path.name for m in ModelInventory(models).scan()] == ["real.gguf"]


# -- odd names -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_model_with_an_odd_name_loads_and_chats(tmp_path, tiny_model, engine, name):
    try:
        path = tmp_path / name
        shutil.copy(tiny_model, path)
    except (OSError, UnicodeEncodeError):
        pytest.skip(f"this file system cannot hold the name {name!r}")
    info = engine.load(path, n_ctx=256, n_threads=1)
    assert info.path == str(path)
    *tokens, stats = engine.stream_chat([Message(USER, "hello")], Sampling(max_tokens=4, seed=1))
    assert isinstance(stats, GenerationStats) and stats.error is None and stats.completion_tokens == 4


def test_odd_names_in_the_models_folder_are_listed_found_and_imported(tmp_path, tiny_model):
    models, elsewhere = tmp_path / "models", tmp_path / "elsewhere"
    elsewhere.mkdir()
    inventory = ModelInventory(models)
    names = []
    for name in ODD_NAMES:
        try:
            shutil.copy(tiny_model, elsewhere / name)
        except (OSError, UnicodeEncodeError):
            continue
        names.append(name)
        inventory.import_file(elsewhere / name)
    assert sorted(m.path.name for m in inventory.scan()) == sorted(names)
    for name in names:
        model = inventory.find(name)
        assert model is not None and "matches" in inventory.verify(model)


def test_an_unexpected_failure_in_the_reader_is_logged_and_said_in_a_sentence(tmp_path, tiny_model,
                                                                               monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(gguf, "_type_size", broken)
    with pytest.raises(LocalChatError) as info:
        read_local(tiny_model)
    assert isinstance(info.value, ModelFileError) and info.value.hint
    assert "a bug in the reader" in info.value.message
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "unexpected" in logged[0].getMessage()
