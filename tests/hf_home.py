"""A Hugging Face home folder of a test's own, so that no test reads or writes the real login."""

from __future__ import annotations

from pathlib import Path


def use_hf_home(monkeypatch, folder: Path) -> Path:
    """Point HF_HOME at ``folder`` for this process and its children; returns the token file.

    huggingface_hub reads HF_HOME once, at import: its paths are set here too, as its own tests
    do. HF_TOKEN is unset, so the saved token is the one that counts."""
    from huggingface_hub import constants

    token = folder / "token"
    monkeypatch.setenv("HF_HOME", str(folder))
    monkeypatch.delenv("HF_TOKEN_PATH", raising=False)
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_DISABLE_IMPLICIT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(constants, "HF_HOME", str(folder))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(token))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(folder / "stored_tokens"))
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", False)
    return token
