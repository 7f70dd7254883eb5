"""A known-item retrieval dataset from this machine's manual pages, in BEIR's layout.

Each query is a page's one-line NAME description ("list directory contents"); its one relevant
document is that page's rendered text without its NAME section. Nobody judges relevance: the
page is the answer. Pages that are links to others (``.so``), descriptions of fewer than three
words, the generic "manual page for …" and descriptions shared by two pages are left out, so
every query has exactly one right answer. A seeded sample keeps the set the same on one machine.

    python -m bench.datasets.manpages [--pages 1000] [--seed 0] [--out DIR]

writes ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/test.tsv`` under
``~/.cache/localchat-bench/datasets/manpages-<pages>`` (or ``$LOCALCHAT_BENCH_CACHE``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.make_model import cache_dir

MAN_DIRS = ("/usr/share/man/man1", "/usr/share/man/man8")
_ESCAPES = [(re.compile(r"\\f(\[[^\]]*\]|\(..|.)"), ""), (re.compile(r"\\\(em|\\\(en"), "-"),
            (re.compile(r"\\-"), "-"), (re.compile(r"\\[&|^%]"), ""), (re.compile(r"\\ "), " "),
            (re.compile(r"\\\*\(..|\\\*."), ""), (re.compile(r"\\(.)"), r"\1")]


def default_dir(pages: int) -> Path:
    return cache_dir() / "datasets" / f"manpages-{pages}"


def read_source(path: Path) -> str | None:
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    text = data.decode("utf-8", "replace")
    return None if text.lstrip().startswith(".so ") else text


def name_line(source: str) -> str | None:
    """The NAME section's text, roff escapes removed: ``ls - list directory contents``."""
    m = re.search(r'^\.S[Hh]\s+"?(?:NAME|Name)"?\s*$(.*?)^\.S[Hh]\b', source, re.M | re.S)
    if not m:
        return None
    comments = (".\\\"", "'\\\"")
    lines = [line for line in m.group(1).splitlines() if line.strip() and not line.startswith(comments)]
    # mdoc pages say ".Nm ls" then ".Nd the description": the same as "ls - the description"
    text = " ".join((" - " if line.startswith(".Nd") else "") + re.sub(r"^\.[A-Za-z]+\s*", "", line)
                    for line in lines)
    for pattern, repl in _ESCAPES:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def description(name: str) -> str | None:
    parts = re.split(r"\s+-+\s+", name, maxsplit=1)
    if len(parts) != 2:
        return None
    text = parts[1].strip().rstrip(". ")
    if len(text.split()) < 3 or "manual page for" in text.lower() or "page for" in text.lower():
        return None
    return text


def render(path: Path) -> str | None:
    """The page as text (groff, 100 columns), without its header, footer and NAME section."""
    try:
        source = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        out = subprocess.run(["groff", "-t", "-man", "-Tutf8", "-P-cbou", "-rLL=100n"], input=source,
                             capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [line.rstrip() for line in out.splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    lines = lines[1:-1]  # "LS(1)  User Commands  LS(1)" and the footer name the page
    body, skipping = [], False
    for line in lines:
        if line and not line.startswith(" "):  # a section heading
            skipping = line.strip().upper() == "NAME"
            if skipping:
                continue
        if not skipping:
            body.append(line)
    text = "\n".join(body).strip()
    return text or None


def build(pages: int, seed: int, out: Path) -> Path:
    candidates = []
    for folder in MAN_DIRS:
        for path in sorted(Path(folder).glob("*")):
            source = read_source(path)
            if source is None:
                continue
            name = name_line(source)
            wanted = description(name) if name else None
            if wanted:
                candidates.append((path, wanted))
    counts: dict[str, int] = {}
    for _, text in candidates:
        counts[text.lower()] = counts.get(text.lower(), 0) + 1
    unique = [(p, d) for p, d in candidates if counts[d.lower()] == 1]
    random.Random(seed).shuffle(unique)
    chosen = sorted(unique[:int(pages * 1.1) + 10], key=lambda item: item[0].name)
    with ThreadPoolExecutor(max_workers=2) as pool:
        bodies = list(pool.map(lambda item: render(item[0]), chosen))
    kept = [(p, d, b) for (p, d), b in zip(chosen, bodies, strict=True) if b and len(b) > 200][:pages]
    (out / "qrels").mkdir(parents=True, exist_ok=True)
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as corpus, \
            open(out / "queries.jsonl", "w", encoding="utf-8") as queries, \
            open(out / "qrels" / "test.tsv", "w", encoding="utf-8") as qrels:
        qrels.write("query-id\tcorpus-id\tscore\n")
        for path, text, body in kept:
            doc_id = path.name.removesuffix(".gz")
            corpus.write(json.dumps({"_id": doc_id, "title": "", "text": body}) + "\n")
            queries.write(json.dumps({"_id": f"q:{doc_id}", "text": text}) + "\n")
            qrels.write(f"q:{doc_id}\t{doc_id}\t1\n")
    (out / "README.txt").write_text(
        f"Known-item retrieval over {len(kept)} manual pages of this machine ({', '.join(MAN_DIRS)}), "
        f"seed {seed}: query = the NAME description, document = the page without NAME. Built by "
        "python -m bench.datasets.manpages.\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = build(args.pages, args.seed, args.out or default_dir(args.pages))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
