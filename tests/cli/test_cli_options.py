"""Global options go before or after the subcommand, and the settings file is read by every command."""

from __future__ import annotations

import json

import pytest

from localchat.cli.main import main


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """The data folder the environment names: the option must win over it."""
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(tmp_path / "from-the-environment"))
    return tmp_path / "from-the-environment"


@pytest.mark.parametrize("argv", [
    ["--data-dir", "{D}", "models", "verify"],
    ["models", "verify", "--data-dir", "{D}"],
    ["models", "--data-dir", "{D}", "verify"],
    ["--data-dir", "{other}", "models", "verify", "--data-dir", "{D}"],  # the later one wins
], ids=["before", "after", "between", "both"])
def test_the_data_folder_option_before_or_after_the_subcommand(argv, tmp_path, elsewhere, capsys):
    chosen = tmp_path / "chosen"
    argv = [a.format(D=chosen, other=tmp_path / "other") for a in argv]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == f"No models are installed in {chosen / 'models'}."
    assert (chosen / "logs" / "localchat.log").exists() and not elsewhere.exists()


def test_the_data_folder_option_after_a_command_of_the_history(tmp_path, elsewhere, capsys):
    chosen = tmp_path / "chosen"
    assert main(["conversations", "--data-dir", str(chosen)]) == 0
    assert (chosen / "conversations.sqlite3").exists() and not elsewhere.exists()


def test_every_command_lists_the_global_options_in_its_help(capsys):
    with pytest.raises(SystemExit):
        main(["models", "list", "--help"])
    assert "--data-dir" in capsys.readouterr().out


def test_the_models_folder_of_the_settings_is_the_one_the_commands_use(tmp_path, elsewhere, capsys):
    folder = tmp_path / "my models"
    elsewhere.mkdir()
    (elsewhere / "settings.json").write_text(json.dumps({"models_dir": str(folder)}))
    assert main(["models", "verify"]) == 0
    assert capsys.readouterr().out.strip() == f"No models are installed in {folder}."
