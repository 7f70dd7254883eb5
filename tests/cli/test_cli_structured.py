"""``localchat chat --json | --json-schema FILE | --grammar FILE.gbnf``: replies held to a shape;
a schema or grammar that cannot be used is said in a few lines before any model loads."""

import json

import pytest

from localchat.cli.main import main
from localchat.core.history.store import Store


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(tmp_path / "data"))

    def call(*args):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def saved_reply(tmp_path):
    with Store.open(tmp_path / "data" / "conversations.sqlite3") as store:
        conv = store.list_conversations()[0]
        return conv, store.branch(conv.id)[-1]


def test_a_grammar_holds_the_reply_and_the_check_is_kept(cli, tmp_path, tiny_model):
    grammar = tmp_path / "answer.gbnf"
    grammar.write_text('root ::= ("yes" | "no") "."\n')
    code, out, err = cli("chat", "--model", str(tiny_model), "--grammar", str(grammar), "--seed", "1",
                         "--stats", "Is it?")
    assert code == 0, err
    assert out.strip() in ("yes.", "no.")
    assert "follows the grammar" in err
    conv, reply = saved_reply(tmp_path)
    assert conv.sampling.response_format.kind.value == "grammar"
    assert reply.validation.valid


def test_a_json_schema_file(cli, tmp_path, tiny_model):
    schema = tmp_path / "flag.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"ok": {"type": "boolean"}},
                                  "required": ["ok"], "additionalProperties": False}))
    code, out, err = cli("chat", "--model", str(tiny_model), "--json-schema", str(schema), "--seed", "2",
                         "Go")
    assert code == 0, err
    assert json.loads(out) in ({"ok": True}, {"ok": False})


def test_json_cut_off_by_the_token_limit_is_said_and_fails_the_run(cli, tiny_model, tmp_path):
    # greedy: an unseeded draw could close the JSON within five tokens
    code, out, err = cli("chat", "--model", str(tiny_model), "--json", "--max-tokens", "5", "--temperature", "0",
                         "Go")
    assert code == 1
    assert out.lstrip().startswith(("{", "["))
    assert "the reply does not have the shape asked for: Not valid JSON: The reply was cut off" in err
    assert "Traceback" not in err
    _, reply = saved_reply(tmp_path)
    assert reply.stats.stop_reason.value == "incomplete" and not reply.validation.valid


@pytest.mark.parametrize("flag, text, says", [
    ("--grammar", 'root ::= "a" missing\n',
     "line 1, column 14: the rule 'missing' is used but never defined"),
    ("--grammar", 'root ::= "a"{3,1}\n', "maximum below its minimum"),
    ("--json-schema", json.dumps({"type": "integer", "minimum": 3}),
     "/minimum: the keyword 'minimum' is not supported"),
    ("--json-schema", json.dumps({"$ref": "#/$defs/Thing"}), "'#/$defs/Thing' points to nothing"),
    ("--json-schema", "{not json", "line 1, column 2: not JSON"),
])
def test_a_format_that_cannot_be_used_is_said_before_the_model_loads(cli, tmp_path, flag, text, says):
    path = tmp_path / "format.txt"
    path.write_text(text)
    code, out, err = cli("chat", "--model", str(tmp_path / "no-such-model.gguf"), flag, str(path), "Hi")
    assert code == 1 and out == ""
    assert says in err
    assert "no-such-model" not in err  # said before the model was even looked for
    assert "Traceback" not in err


def test_a_missing_schema_file_is_one_line(cli, tmp_path):
    code, _, err = cli("chat", "--json-schema", str(tmp_path / "nope.json"), "Hi")
    assert code == 1 and "nope.json cannot be read" in err and "Traceback" not in err
