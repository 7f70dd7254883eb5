"""Documents for a conversation: the ``Retrieve`` a ``ChatSession`` calls on each question.

``DocumentContext`` opens the index on the thread that drives the session, embeds the question
through the inference worker (an ``EmbedJob`` that goes before indexing batches), searches the
chosen collections and packs the passages into what is left of the context window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from localchat.core.chat.messages import Message
from localchat.core.chat.prompt import Passage
from localchat.core.documents.embed import MAX_QUERY_CHARS, EmbeddingModel
from localchat.core.documents.pack import pack, prompt_budget
from localchat.core.documents.retrieve import Hit, Retriever
from localchat.core.documents.store import INDEX_FILENAME, CollectionError, DocumentStore

PASSAGES = 6


def index_path(data_root: Path) -> Path:
    """Where the documents index lives in the data folder."""
    return Path(data_root) / INDEX_FILENAME


class WorkerQueryEmbed:
    """Embeds a question through the inference worker (an ``EmbedJob`` that goes before
    indexing batches). ``start`` asks and returns the wait, so that the retriever searches the
    keywords while the worker embeds; calling it asks and waits at once."""

    def __init__(self, worker, model: EmbeddingModel):
        self.worker = worker
        self.model = model

    def start(self, question: str) -> Callable[[], Sequence[float]]:
        from localchat.core.documents.indexer import EmbeddingFailedError
        from localchat.core.inference.worker import EmbedJob

        job = self.worker.submit(EmbedJob(self.model, [question[:MAX_QUERY_CHARS]], self.model.query_prefix,
                                          query=True))

        def wait() -> Sequence[float]:
            job.done.wait()
            if job.error is not None:
                raise EmbeddingFailedError(f"The question could not be embedded: {job.error}",
                                           "Check the embedding model, or pick another one.")
            return job.vectors[0]

        return wait

    def __call__(self, question: str) -> Sequence[float]:
        return self.start(question)()


def worker_query_embed(worker, model: EmbeddingModel) -> WorkerQueryEmbed:
    return WorkerQueryEmbed(worker, model)


class DocumentContext:
    """Searches ``collections`` for each question; ``n_ctx`` and ``reply_tokens`` size the budget."""

    def __init__(self, store: DocumentStore, collections: Sequence[str], model: EmbeddingModel,
                 embed_query: Callable[[str], Sequence[float]], *, n_ctx: int = 4096,
                 reply_tokens: int = 512, passages: int = PASSAGES):
        if not collections:
            raise CollectionError("No collection was chosen.", "Name one: --docs NAME.")
        self.store = store
        self.collections = [store.collection(name) for name in collections]
        self.model = model
        self.retriever = Retriever(store, model.key, embed_query, document_prefix=model.document_prefix)
        self.n_ctx = n_ctx
        self.reply_tokens = reply_tokens
        self.passages = passages
        self.last_hits: list[Hit] = []

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.collections]

    def __call__(self, question: str, messages: Sequence[Message]) -> list[Passage]:
        self.last_hits = self.retriever.search([c.id for c in self.collections], question,
                                               limit=self.passages)
        return pack(self.last_hits, prompt_budget(messages, self.n_ctx, self.reply_tokens), self.store)
