"""How the history store holds up with a large history (not a test: it prints a table).

Builds a database of 1,000 conversations and 200,000 messages (one conversation of 2,000
messages on its current branch, regenerated replies making branches everywhere), then times what
the window does: starting (open + first sidebar page), opening the 2,000-message conversation
(its last page), searching, jumping to an old search hit, saving a streamed reply. Each must stay
under 200 ms; the table prints each time as a ratio of that target.

    python bench/history.py [--keep DIR] [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from localchat.core.chat.messages import Sampling
from localchat.core.history.date_groups import group_by_date
from localchat.core.history.records import sampling_to_json
from localchat.core.history.store import Store

TARGET_MS = 200.0
CONVERSATIONS = 1_000
MESSAGES = 200_000
BIG = 2_000  # messages on the current branch of the largest conversation

COMMON = ("the a to of and in is it you that for on with as this be are can use your not or "
          "if but by from an at we have will do so one more how what when which then there "
          "function error file value model python code data time list return first new").split()


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(size)}
    return COMMON * 40 + sorted(words)  # common words take about a quarter of all words


def build(database: Path, seed: int = 7) -> dict:
    """Write the history straight into the store's schema: one transaction, executemany."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    Store.open(database).close()  # the schema, as the app creates it

    sizes = [rng.randint(40, 350) for _ in range(CONVERSATIONS - 1)]
    on_branches = MESSAGES / 1.05  # every 20th message also has a regenerated sibling
    scale = (on_branches - BIG) / sum(sizes)
    sizes = [max(2, round(n * scale)) for n in sizes] + [BIG]
    now = time.time()
    stats = json.dumps({"stop_reason": "eos", "prompt_tokens": 120, "completion_tokens": 80,
                        "time_to_first_token_s": 0.2, "tokens_per_s": 30.0})
    conversations, messages = [], []
    mid = 0
    for cid, n in enumerate(sizes, start=1):
        updated = now - (CONVERSATIONS - cid) * 3600 * 6  # one every six hours, back ~8 months
        created = updated - n * 30
        parent = None
        for depth in range(n):
            role = "user" if depth % 2 == 0 else "assistant"
            text = " ".join(rng.choices(words, k=rng.randint(5, 40) if role == "user"
                                        else rng.randint(30, 160)))
            model, reply_stats = ("bench.gguf", stats) if role == "assistant" else (None, None)
            at = created + depth * 30
            mid += 1
            messages.append((mid, cid, parent, role, text, at, depth, model, reply_stats))
            if role == "assistant" and depth % 20 == 1:  # an earlier answer, one ‹ › away
                messages.append((mid + 1, cid, parent, role, "An earlier answer: " + text[:300],
                                 at, depth, model, reply_stats))
            parent = mid
            mid = max(mid, messages[-1][0])
        title = " ".join(rng.choices(words, k=rng.randint(2, 6))).capitalize()
        conversations.append((cid, title, "bench.gguf", "", sampling_to_json(Sampling()),
                              created, updated, parent))
    started = time.perf_counter()
    with Store.open(database) as store:
        db = store._conn
        db.execute("BEGIN IMMEDIATE")
        # index the text in one pass at the end rather than row by row: the same index, faster
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                              "AND tbl_name = 'messages'").fetchall()
        for name, _ in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.executemany("INSERT INTO conversations (id, title, model, system_prompt, sampling, "
                       "created_at, updated_at, current_leaf_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       conversations)
        db.executemany("INSERT INTO messages (id, conversation_id, parent_id, role, content, "
                       "created_at, depth, model, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       messages)
        db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
        for _, sql in triggers:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"messages": len(messages), "conversations": len(conversations),
            "insert_s": time.perf_counter() - started,
            "size_mb": database.stat().st_size / 1e6}


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """(first, median, max) in milliseconds."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return runs[0], statistics.median(runs), max(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the database in DIR")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)

    if args.keep:
        return measure(Path(args.keep), args.repeat)
    with tempfile.TemporaryDirectory(prefix="localchat-history-bench-") as folder:
        return measure(Path(folder), args.repeat)


def measure(folder: Path, repeat: int) -> int:
    database = folder / "conversations.sqlite3"
    if not database.exists():
        t = time.perf_counter()
        info = build(database)
        print(f"built {info['conversations']:,} conversations, {info['messages']:,} messages, "
              f"{info['size_mb']:.0f} MB in {time.perf_counter() - t:.1f} s "
              f"(inserts and full-text index: {info['insert_s']:.1f} s)\n")
    store = Store.open(database)
    big = store.conversation(CONVERSATIONS)
    big_page = store.branch_page(big.id)
    old = store.branch_page(big.id, start=100, count=1).messages[0]
    common, rare = "the", store.tree(CONVERSATIONS - 500)[0].content.split()[-1]
    writer = store.begin_reply(1, model="bench.gguf")
    text = big_page.messages[-1].content * 8  # a long reply: the full-text index redoes it

    def start():
        with Store.open(database) as s:
            group_by_date(s.list_conversations(limit=100), lambda c: c.updated_at,
                          datetime.now())

    rows = [
        ("app start: open + first sidebar page (100)", lambda: start()),
        ("first sidebar page alone", lambda: store.list_conversations(limit=100)),
        (f"open the {BIG:,}-message conversation (last 50)",
         lambda: (store.conversation(big.id), store.branch_page(big.id))),
        ("scroll back: 50 messages from the start of it", lambda: store.branch_page(big.id, start=0)),
        (f"search a common word ({common!r})", lambda: store.search(common)),
        (f"search a rare word ({rare!r})", lambda: store.search(rare)),
        ("search as you type: 2-letter prefix ('fu')", lambda: store.search("fu")),
        ("jump to a search hit 1,900 messages back", lambda: store.jump_to(old.id)),
        (f"prompt of the {BIG:,}-message branch (whole)",
         lambda: store.prompt_messages(big.id, big_page.messages[-1].id)),
        (f"save a streaming reply ({len(text) / 1000:.0f} KB of text)", lambda: store.save_reply_text(writer.message_id, text)),
    ]
    print(f"{'operation':<52} {'first':>8} {'median':>8} {'max':>8}  {'median/target':>13}")
    worst = 0.0
    for name, fn in rows:
        first, median, most = timed(fn, repeat)
        ratio = median / TARGET_MS
        worst = max(worst, first / TARGET_MS)
        print(f"{name:<52} {first:>6.1f}ms {median:>6.1f}ms {most:>6.1f}ms  {ratio:>12.3f}x")
    store.close()
    print(f"\ntarget: {TARGET_MS:.0f} ms each; slowest first call at {worst:.2f}x of it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
