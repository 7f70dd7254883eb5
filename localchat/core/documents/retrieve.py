"""Hybrid retrieval: BM25 (FTS5) and vector top-50, fused by reciprocal rank.

- the question is given to the embedding model first (``embed_query.start``, where it has one:
  the inference worker's), and its words are searched by FTS5 while the vector is computed and
  ranked against the vectors in memory on another thread;
- The question's words are each quoted for FTS5 (``"word"``) and joined by OR, so a person's
  punctuation, a quote or a keyword of the query language (AND, NEAR, ``*``) is only a word;
- words that match more than ``COMMON_SHARE`` of the passages are left out of BM25 (they weigh
  next to nothing there, but FTS5 scores every passage they match);
- both lists (up to ``POOL`` each) are fused by RRF: ``Σ 1 / (RRF_K + rank)``;
- a relevance floor: a passage whose cosine similarity to the question is below
  ``min_similarity`` is dropped, so a question the documents do not answer gets no padding;
- hits that are neighbours in one document (consecutive passages on one page) are joined
  into one passage, their overlap written once.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from localchat.core.documents.store import ChunkRecord, DocumentStore

POOL = 50
RRF_K = 60
# BM25 on the words that match at most this share of the passages (documents.store.selective_words)
COMMON_SHARE = 0.25
MIN_SIMILARITY = 0.25  # MiniLM: unrelated passages score ~0–0.2, a passage about the question ≥ 0.3


class SearchMode:
    HYBRID = "hybrid"
    KEYWORD = "keyword"
    VECTOR = "vector"


@dataclass(frozen=True)
class Hit:
    """A passage found for a question: its chunks (one, or neighbours joined) and scores."""

    chunks: tuple[ChunkRecord, ...]
    text: str
    score: float  # fused score, higher is better
    similarity: float  # cosine similarity of the best chunk to the question
    keyword_rank: int | None
    vector_rank: int | None

    @property
    def first(self) -> ChunkRecord:
        return self.chunks[0]

    @property
    def path(self) -> str:
        return self.first.path

    @property
    def page(self) -> int | None:
        return self.first.page

    @property
    def heading(self) -> str:
        return self.first.heading


_WORD = re.compile(r"\w+", re.UNICODE)
# Words that match nearly every English passage: BM25 gives them almost no weight, but FTS5
# still scores every row they match (at 100,000 passages, "the" alone is most of a search).
STOPWORDS = frozenset(
    "a an and are as at be but by can do does for from had has have how i if in into is it its "
    "me my of on or so than that the their them then there these they this to was we were what "
    "when where which who why will with you your".split())


def fts_words(text: str) -> list[str]:
    """The question's words for FTS5, once each (common English words left out unless there is
    nothing else)."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(text)))
    return ([w for w in words if w not in STOPWORDS] or words)[:64]


def fts_query(text: str, words: Sequence[str] | None = None) -> str | None:
    """The question (or these of its words) as an FTS5 query: every word quoted, any may
    match; None without words."""
    words = fts_words(text) if words is None else words
    if not words:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def join_text(a_text: str, a_end: int, b_text: str, b_start: int) -> str:
    """``a_text`` (ending at offset ``a_end``) and ``b_text`` (from ``b_start``) as one text,
    their overlap written once."""
    if b_start < a_end:
        return a_text + b_text[a_end - b_start:]
    return a_text + "\n" + b_text


class Retriever:
    def __init__(self, store: DocumentStore, model_key: str, embed_query: Callable[[str], Sequence[float]],
                 *, min_similarity: float = MIN_SIMILARITY, document_prefix: str = ""):
        self.store = store
        self.model_key = model_key
        self.document_prefix = document_prefix  # the embedding cache's key for the passages
        self.embed_query = embed_query
        self.min_similarity = min_similarity

    def search(self, collection_ids: Sequence[int], question: str, *, limit: int = 6,
               mode: str = SearchMode.HYBRID, pool: int = POOL, floor: bool = True,
               join: bool = True) -> list[Hit]:
        """The best ``limit`` passages for ``question`` in these collections, best first."""
        ids = list(collection_ids)
        if not ids or not question.strip():
            return []
        embedding = ranked = None
        if mode in (SearchMode.HYBRID, SearchMode.VECTOR) or floor:
            embedding = start_embedding(self.embed_query, question)
            matrix = self.store.vectors(self.model_key) if mode != SearchMode.KEYWORD else None
            if matrix is not None:  # ranked on another core while FTS5 searches on this one
                ranked = _VECTORS.submit(_vector_ranking, matrix, ids, embedding, pool)
        keyword: list[int] = []
        words = fts_words(question) if mode in (SearchMode.HYBRID, SearchMode.KEYWORD) else []
        if words and (match := fts_query(question, self.store.selective_words(words, COMMON_SHARE))):
            keyword = [cid for cid, _ in self.store.keyword_search(ids, match, pool)]
        vector: list[int] = []
        distances: dict[int, float] = {}
        found = None
        if ranked is not None:
            query_vector, found = ranked.result()
        else:
            query_vector = embedding() if embedding is not None else None
            if mode in (SearchMode.HYBRID, SearchMode.VECTOR):
                found = self.store.vector_search(self.model_key, ids, query_vector, pool)
        if found is not None:
            vector = [cid for cid, _ in found]
            distances = dict(found)
        rankings = [r for r in (keyword, vector) if r]
        scores = rrf(rankings)
        missing = [cid for cid in scores if cid not in distances]
        if missing and query_vector is not None:
            distances.update(self.store.distances(self.model_key, self.document_prefix, missing,
                                                  query_vector))
        ordered = sorted(scores, key=lambda cid: -scores[cid])
        if floor and query_vector is not None:
            ordered = [cid for cid in ordered if 1.0 - distances.get(cid, 1.0) >= self.min_similarity]
        chunks = self.store.chunks(ordered[:limit * 2])
        k_rank = {cid: i for i, cid in enumerate(keyword, 1)}
        v_rank = {cid: i for i, cid in enumerate(vector, 1)}
        hits = [Hit((chunks[cid],), chunks[cid].text, scores[cid], 1.0 - distances.get(cid, 1.0),
                    k_rank.get(cid), v_rank.get(cid)) for cid in ordered[:limit * 2] if cid in chunks]
        if join:
            hits = join_neighbours(hits)
        return hits[:limit]


# One thread that ranks the vectors of a question (numpy lets go of the GIL in the matrix product)
_VECTORS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="documents-vectors")


def _vector_ranking(matrix, collection_ids, embedding, pool):
    vector = embedding()
    return vector, matrix.search(collection_ids, vector, pool)


def start_embedding(embed_query, question: str) -> Callable[[], Sequence[float]]:
    """The question's vector, asked for now and waited for when called: an embedder with
    ``start`` (``WorkerQueryEmbed``) computes it while the caller does something else."""
    start = getattr(embed_query, "start", None)
    if start is not None:
        return start(question)
    return lambda: embed_query(question)


def join_neighbours(hits: list[Hit]) -> list[Hit]:
    """Hits that are consecutive passages of one document and page become one hit, at the
    place of the better of them."""
    joined: list[Hit] = []
    for hit in hits:
        for i, other in enumerate(joined):
            merged = _merge(other, hit)
            if merged is not None:
                joined[i] = merged
                break
        else:
            joined.append(hit)
    return joined


def _merge(a: Hit, b: Hit) -> Hit | None:
    if a.first.document_id != b.first.document_id or a.page != b.page:
        return None
    seqs = [c.seq for c in a.chunks]
    if b.first.seq == seqs[-1] + 1:
        text = join_text(a.text, a.chunks[-1].end, b.text, b.first.start)
        chunks = a.chunks + b.chunks
    elif b.chunks[-1].seq == seqs[0] - 1:
        text = join_text(b.text, b.chunks[-1].end, a.text, a.first.start)
        chunks = b.chunks + a.chunks
    else:
        return None
    return replace(a, chunks=chunks, text=text, similarity=max(a.similarity, b.similarity),
                   score=a.score + b.score)
