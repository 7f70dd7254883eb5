"""GGUF facts from a local file's header. (A header read from the Hub, through the download's
HTTP client, is tested in tests/core/downloads/test_remote_header.py.)"""

from __future__ import annotations

import pytest

from localchat.core.models.gguf import read_local


# -- local -------------------------------------------------------------------------------------------
def test_local_file_facts(tiny_model):
    facts = read_local(tiny_model)
    assert facts.architecture == "llama" and facts.n_layers == 2
    assert facts.file_size == tiny_model.stat().st_size == facts.expected_size
    assert facts.tensor_bytes > 0 and facts.chat_template


@pytest.mark.demo
def test_local_header_only_of_a_real_model(demo_model):
    facts = read_local(demo_model)
    assert facts.architecture == "gemma3" and facts.context_length == 32768
    assert facts.header_bytes < facts.file_size / 20  # the header, not the weights
