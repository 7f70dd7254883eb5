"""``localchat chat`` with a model that needs more memory than is free now: it asks on a
terminal, refuses in one line naming --yes without one, and loads with --yes. The real command,
worker, engine and tiny model, with a fake reading of free RAM."""

from __future__ import annotations

import io
import sys
from collections import namedtuple

import pytest

from localchat.cli.main import main
from localchat.core.history.store import Store
from localchat.core.units import GIB, MIB

VM = namedtuple("VM", "total available")


class Terminal(io.StringIO):
    """stdin as a person at a terminal types it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def chat(tmp_path, monkeypatch, capsys):
    """``localchat chat ARGS`` in this process with 1 MiB free of 64 GiB; stdin a pipe unless
    ``typed`` (then a terminal)."""
    data = tmp_path / "data"
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(data))
    monkeypatch.setattr("psutil.virtual_memory", lambda: VM(64 * GIB, 1 * MIB))

    def call(*args, typed: str | None = None):
        monkeypatch.setattr(sys, "stdin", io.StringIO("") if typed is None else Terminal(typed))
        code = main(["chat", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    call.data = data
    return call


def conversations(data) -> int:
    with Store.open(data / "conversations.sqlite3") as store:
        return len(store.list_conversations())


def test_without_a_terminal_it_refuses_in_one_line_that_names_yes(chat, tiny_model):
    code, out, err = chat("--model", str(tiny_model), "--max-tokens", "2", "hi")
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"localchat: {tiny_model.name} needs ") and "1 MiB is free now" in line
    assert "swap" in line and line.endswith("Add --yes to load it anyway.")
    assert conversations(chat.data) == 0, "nothing was asked of the model"


def test_yes_loads_it_anyway(chat, tiny_model):
    code, out, err = chat("--model", str(tiny_model), "--max-tokens", "2", "--yes", "hi")
    assert code == 0, err
    assert out.strip() and conversations(chat.data) == 1


def test_on_a_terminal_it_asks_and_a_no_loads_nothing(chat, tiny_model):
    code, out, err = chat("--model", str(tiny_model), "--max-tokens", "2", "hi", typed="\n")
    assert code == 1 and "Load it anyway? [y/N]" in out
    assert f"{tiny_model.name} needs " in err and "was not loaded" in err
    assert conversations(chat.data) == 0

    code, out, err = chat("--model", str(tiny_model), "--max-tokens", "2", "hi", typed="y\n")
    assert code == 0, err
    assert conversations(chat.data) == 1
