"""Conversations that last: the history in SQLite, as a tree of messages.

Editing a message or regenerating a reply adds a sibling; nothing is overwritten. Each
conversation remembers the last message of the branch being shown (its *current leaf*).

How the window uses it (all on the GUI thread; another thread opens its own ``Store``)::

    store = Store.open(paths.database)          # show store.recovery once if it is set
    conv = store.last_conversation()            # or store.conversation(settings.last_conversation_id)
    page = store.branch_page(conv.id)           # the last messages of the current branch
    # the person sends a message
    conv = conv or store.create_conversation(model=name, sampling=defaults)
    store.add_user_message(conv.id, text)
    writer = store.begin_reply(conv.id, model=name)
    worker.generate(writer.prompt_messages(), conv.sampling)
    writer.append(batch) …                      # saves itself at most once a second
    writer.finish(stats)                        # the final text and GenerationStats, at once
    # message actions
    store.edit_message(user_msg.id, new_text)   # a sibling branch; then begin_reply(conv.id)
    store.regenerate(reply.id, model=name)      # a sibling reply, streaming like begin_reply
    store.switch_sibling(msg.id, +1)            # ‹ 2/3 ›: msg.sibling_label says where it is
    page = store.jump_to(message_id)            # a search hit: shows its branch, pages to it

Large histories are paged: conversations by ``list_conversations(limit, offset)``, a branch by
``branch_page(start, count)``; nothing loads a whole history.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.chat.tokens import ReplyTokens
from localchat.core.errors import ConversationNotFoundError, CorruptDatabaseError, StoreError
from localchat.core.history import queries as q
from localchat.core.history.records import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    BranchPage,
    Conversation,
    SearchHit,
    StoreChange,
    StoredMessage,
    conversation_from_row,
    message_from_row,
    sampling_to_json,
    stats_to_json,
    title_from_text,
    tokens_from_blob,
    tokens_to_blob,
    validation_to_json,
)
from localchat.core.history.reply import ReplyWriter
from localchat.core.history.schema import is_corruption, needs_check_marker, open_database, translate

log = logging.getLogger(__name__)

PAGE_SIZE = 50
PURGE_AFTER_S = 600.0  # soft-deleted conversations older than this go at the next start
_UNSET = object()

def _guarded(method):
    """SQLite errors become errors a person can read; a damaged page flags the file for a check."""

    @functools.wraps(method)
    def wrapper(self: "Store", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    return wrapper


class Store:
    def __init__(self, conn: sqlite3.Connection, database: Path,
                 recovery: CorruptDatabaseError | None = None,
                 clock: Callable[[], float] = time.time):
        self._conn = conn
        self.database = database
        #: set when the file was damaged and a fresh one started: show it to the person once
        self.recovery = recovery
        self._clock = clock
        self._subscribers: list[Callable[[StoreChange], None]] = []

    @classmethod
    def open(cls, database: str | Path, *, clock: Callable[[], float] = time.time) -> "Store":
        """Open the history, creating or migrating it. Raises DataDirError (read-only folder)
        or StoreError (a newer localchat's file); a damaged file is replaced, see ``recovery``."""
        database = Path(database)
        conn, recovery = open_database(database)
        store = cls(conn, database, recovery, clock)
        store.purge_deleted(PURGE_AFTER_S)
        return store

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def subscribe(self, callback: Callable[[StoreChange], None]) -> Callable[[], None]:
        """Call ``callback`` after each change a conversation list shows; returns an unsubscribe.
        Only changes made through this ``Store`` object are told."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _notify(self, kind: str, conversation_id: int) -> None:
        change = StoreChange(kind, conversation_id)
        for callback in list(self._subscribers):
            try:
                callback(change)
            except Exception:  # the change is committed; a listener's bug must not undo that
                log.exception("a history listener failed on %s", change)

    def _failed(self, exc: sqlite3.Error) -> Exception:
        log.error("history database error: %s", exc)
        if is_corruption(exc):
            try:
                needs_check_marker(self.database).touch()
            except OSError:
                log.exception("could not flag the damaged history file for a check")
        return translate(exc, self.database)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")  # take the write lock now: writers queue, not fail
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- conversations ------------------------------------------------------------------------
    @_guarded
    def create_conversation(self, *, title: str = "", model: str | None = None,
                            system_prompt: str = "", sampling: Sampling = Sampling()) -> Conversation:
        now = self._clock()
        with self._transaction() as db:
            cid = db.execute(
                "INSERT INTO conversations (title, model, system_prompt, sampling, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (title, model, system_prompt, sampling_to_json(sampling), now, now),
            ).lastrowid
        self._notify("created", cid)
        return self.conversation(cid)

    @_guarded
    def conversation(self, conversation_id: int) -> Conversation:
        """One conversation (also one deleted and not yet purged)."""
        row = self._conn.execute(f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
                                 (conversation_id,)).fetchone()
        if row is None:
            raise ConversationNotFoundError(
                f"There is no conversation {conversation_id}; it may have been deleted.",
                "List the conversations to see their ids (localchat conversations).")
        return conversation_from_row(row)

    @_guarded
    def list_conversations(self, limit: int = 100, offset: int = 0) -> list[Conversation]:
        """Conversations not deleted, most recently updated first."""
        rows = self._conn.execute(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE deleted_at IS NULL "
            "ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [conversation_from_row(r) for r in rows]

    @_guarded
    def count_conversations(self) -> int:
        return self._conn.execute(
            "SELECT count(*) FROM conversations WHERE deleted_at IS NULL").fetchone()[0]

    def last_conversation(self) -> Conversation | None:
        """The one to reopen at start when the settings name none (or a deleted one)."""
        first = self.list_conversations(limit=1)
        return first[0] if first else None

    @_guarded
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self._transaction() as db:
            self._require(db, conversation_id)
            db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                       (" ".join(title.split()), conversation_id))
        self._notify("renamed", conversation_id)

    @_guarded
    def update_conversation(self, conversation_id: int, *, model=_UNSET, system_prompt=_UNSET,
                            sampling=_UNSET) -> Conversation:
        """Change the model, system prompt or sampling settings (only those given)."""
        changes = {}
        if model is not _UNSET:
            changes["model"] = model
        if system_prompt is not _UNSET:
            changes["system_prompt"] = system_prompt
        if sampling is not _UNSET:
            changes["sampling"] = sampling_to_json(sampling)
        if changes:
            with self._transaction() as db:
                self._require(db, conversation_id)
                assignments = ", ".join(f"{name} = ?" for name in changes)
                db.execute(f"UPDATE conversations SET {assignments} WHERE id = ?",
                           (*changes.values(), conversation_id))
            self._notify("updated", conversation_id)
        return self.conversation(conversation_id)

    @_guarded
    def delete_conversation(self, conversation_id: int) -> None:
        """Hide it at once; ``restore_conversation`` undoes this until it is purged."""
        with self._transaction() as db:
            self._require(db, conversation_id)
            db.execute("UPDATE conversations SET deleted_at = ? WHERE id = ?",
                       (self._clock(), conversation_id))
        self._notify("deleted", conversation_id)

    @_guarded
    def restore_conversation(self, conversation_id: int) -> bool:
        """Undo a delete; False when it was already purged."""
        with self._transaction() as db:
            restored = db.execute(
                "UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL",
                (conversation_id,)).rowcount
        if restored:
            self._notify("restored", conversation_id)
        return bool(restored)

    @_guarded
    def purge_conversation(self, conversation_id: int) -> None:
        """Remove a deleted conversation for good (the undo is over)."""
        with self._transaction() as db:
            gone = db.execute("DELETE FROM conversations WHERE id = ? AND deleted_at IS NOT NULL",
                              (conversation_id,)).rowcount
        if gone:
            self._notify("purged", conversation_id)

    @_guarded
    def purge_deleted(self, older_than_s: float = 0.0) -> int:
        with self._transaction() as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (self._clock() - older_than_s,))]
            db.executemany("DELETE FROM conversations WHERE id = ?", [(i,) for i in ids])
        for cid in ids:
            self._notify("purged", cid)
        return len(ids)

    def _require(self, db: sqlite3.Connection, conversation_id: int) -> sqlite3.Row:
        row = db.execute("SELECT id, title, current_leaf_id FROM conversations WHERE id = ?",
                         (conversation_id,)).fetchone()
        if row is None:
            self.conversation(conversation_id)  # raises the person-readable error
        return row

    # -- adding messages -----------------------------------------------------------------------
    @_guarded
    def add_user_message(self, conversation_id: int, text: str) -> StoredMessage:
        """Append the person's message after the current leaf; the first one names the chat."""
        with self._transaction() as db:
            conv = self._require(db, conversation_id)
            mid = self._insert(db, conversation_id, conv["current_leaf_id"], USER, text)
            if not conv["title"]:
                db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                           (title_from_text(text), conversation_id))
        self._notify("updated", conversation_id)
        return self.message(mid)

    @_guarded
    def edit_message(self, message_id: int, text: str) -> StoredMessage:
        """A new sibling of ``message_id`` with ``text``, shown as the current branch; the original
        and its replies stay one ‹ › away. Generate the reply with ``begin_reply`` next."""
        with self._transaction() as db:
            old = q.message_row(db, message_id)
            mid = self._insert(db, old["conversation_id"], old["parent_id"], old["role"], text)
        self._notify("updated", old["conversation_id"])
        return self.message(mid)

    @_guarded
    def begin_reply(self, conversation_id: int, *, model: str | None = None,
                    parent_id=_UNSET, clock: Callable[[], float] = time.monotonic) -> ReplyWriter:
        """An empty assistant message after ``parent_id`` (default: the current leaf; None: a
        first message), saved at once and shown as the current branch; stream into the returned
        writer."""
        with self._transaction() as db:
            conv = self._require(db, conversation_id)
            parent = conv["current_leaf_id"] if parent_id is _UNSET else parent_id
            mid = self._insert(db, conversation_id, parent, ASSISTANT, "", model=model, partial=True)
            if model:
                db.execute("UPDATE conversations SET model = ? WHERE id = ?", (model, conversation_id))
        self._notify("updated", conversation_id)
        return ReplyWriter(self, self.message(mid), clock=clock)

    def regenerate(self, message_id: int, *, model: str | None = None,
                   clock: Callable[[], float] = time.monotonic) -> ReplyWriter:
        """A new reply beside the assistant message ``message_id`` (same question, new answer)."""
        old = self.message(message_id)
        return self.begin_reply(old.conversation_id, model=model, parent_id=old.parent_id,
                                clock=clock)

    @_guarded
    def save_reply_text(self, message_id: int, text: str) -> None:
        """Store the text of a reply still streaming (``ReplyWriter`` calls this)."""
        self._conn.execute("UPDATE messages SET content = ? WHERE id = ? AND partial = 1",
                           (text, message_id))

    @_guarded
    def finish_reply(self, message_id: int, text: str, stats: GenerationStats | None) -> StoredMessage:
        """Store a reply's final text and its stats (prompt/completion tokens, TTFT, tok/s, stop
        reason, the tokens' probabilities when it has them); it is no longer partial."""
        with self._transaction() as db:
            row = q.message_row(db, message_id)
            db.execute("UPDATE messages SET content = ?, stats = ?, validation = ?, tokens = ?, partial = 0 "
                       "WHERE id = ?", (text, stats_to_json(stats), validation_to_json(stats),
                                        tokens_to_blob(stats), message_id))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                       (self._clock(), row["conversation_id"]))
        self._notify("updated", row["conversation_id"])
        return self.message(message_id)

    def _insert(self, db: sqlite3.Connection, conversation_id: int, parent_id: int | None,
                role: str, text: str, *, model: str | None = None, partial: bool = False) -> int:
        depth = 0
        if parent_id is not None:
            parent = q.message_row(db, parent_id)
            if parent["conversation_id"] != conversation_id:
                raise StoreError(f"Message {parent_id} belongs to another conversation.")
            depth = parent["depth"] + 1
        now = self._clock()
        mid = db.execute(
            "INSERT INTO messages (conversation_id, parent_id, role, content, created_at, depth, "
            "model, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, parent_id, role, text, now, depth, model, int(partial))).lastrowid
        db.execute("UPDATE conversations SET current_leaf_id = ?, updated_at = ? WHERE id = ?",
                   (mid, now, conversation_id))
        return mid

    # -- reading -------------------------------------------------------------------------------
    @_guarded
    def message(self, message_id: int) -> StoredMessage:
        return q.message_with_siblings(self._conn, message_id)

    @_guarded
    def reply_tokens(self, message_id: int) -> "ReplyTokens | None":
        """A reply's tokens with their probabilities and alternatives, as the model computed
        them when it wrote it; None when it was written without them."""
        row = self._conn.execute("SELECT tokens FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            self.message(message_id)  # raises the person-readable error
        return tokens_from_blob(row["tokens"])

    @_guarded
    def branch_page(self, conversation_id: int, *, start: int | None = None,
                    count: int = PAGE_SIZE) -> BranchPage:
        """Messages ``start`` … ``start + count`` of the current branch (default: its last
        ``count``), oldest first, each with its sibling position for ‹ 2/3 ›."""
        leaf = self.conversation(conversation_id).current_leaf_id
        if leaf is None:
            return BranchPage(conversation_id, (), 0, 0)
        total = q.message_row(self._conn, leaf)["depth"] + 1
        start = max(0, total - count) if start is None else max(0, min(start, total - 1))
        messages = q.branch_window(self._conn, leaf, start, start + count)
        return BranchPage(conversation_id, messages, start, total)

    def branch(self, conversation_id: int) -> tuple[StoredMessage, ...]:
        """The whole current branch, first message first (for export; the window pages)."""
        total = self.branch_page(conversation_id, count=1).total
        return self.branch_page(conversation_id, start=0, count=max(total, 1)).messages

    def jump_to(self, message_id: int, count: int = PAGE_SIZE) -> BranchPage:
        """Show the branch through ``message_id`` (a search hit) and the page around it."""
        target = self.message(message_id)
        leaf = self.conversation(target.conversation_id).current_leaf_id
        if q.ancestor_at(self._conn, leaf, target.depth) != message_id:
            self.switch_branch(message_id)
        return self.branch_page(target.conversation_id, start=max(0, target.depth - count // 2),
                                count=count)

    @_guarded
    def siblings(self, message_id: int) -> tuple[int, ...]:
        """Ids of the alternatives at this point of the conversation, this one included."""
        return q.sibling_ids(self._conn, message_id)

    @_guarded
    def prompt_messages(self, conversation_id: int, upto_id: int | None) -> list[Message]:
        """What the model reads to write the next reply: the system prompt, then the branch from
        the first message to ``upto_id`` (a ``ReplyWriter`` knows its own)."""
        conv = self.conversation(conversation_id)
        messages = [Message(SYSTEM, conv.system_prompt)] if conv.system_prompt.strip() else []
        if upto_id is not None:
            messages += [Message(r["role"], r["content"]) for r in q.branch_texts(self._conn, upto_id)]
        return messages

    @_guarded
    def tree(self, conversation_id: int) -> list[StoredMessage]:
        """Every message of a conversation, parents before children (for export)."""
        self.conversation(conversation_id)
        rows = self._conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages "
                                  "WHERE conversation_id = ? ORDER BY id", (conversation_id,))
        return [message_from_row(r) for r in rows]

    # -- moving through the tree ---------------------------------------------------------------
    @_guarded
    def switch_branch(self, message_id: int) -> int:
        """Show the branch through ``message_id``: its most recent descendant becomes the current
        leaf, which is returned."""
        m = q.message_row(self._conn, message_id)
        with self._transaction() as db:
            leaf = q.latest_leaf_under(db, message_id)
            db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                       (leaf, m["conversation_id"]))
        return leaf

    def switch_sibling(self, message_id: int, step: int) -> int:
        """‹ or ›: show the sibling ``step`` places away (clamped at the ends); returns its id."""
        ids = self.siblings(message_id)
        chosen = ids[max(0, min(len(ids) - 1, ids.index(message_id) + step))]
        self.switch_branch(chosen)
        return chosen

    @_guarded
    def delete_subtree(self, message_id: int) -> int:
        """Delete a message and everything after it, in every branch; returns how many went. When
        the current branch went with it, the latest remaining branch at that point is shown."""
        with self._transaction() as db:
            m = q.message_row(db, message_id)
            cid = m["conversation_id"]
            ids = q.subtree_ids(db, message_id)
            leaf = db.execute("SELECT current_leaf_id FROM conversations WHERE id = ?",
                              (cid,)).fetchone()[0]
            db.execute(f"DELETE FROM messages WHERE id IN ({','.join('?' * len(ids))})", ids)
            if leaf in ids:
                if m["parent_id"] is None:  # the newest message of a conversation is a leaf
                    leaf = db.execute("SELECT max(id) FROM messages WHERE conversation_id = ?",
                                      (cid,)).fetchone()[0]
                else:
                    leaf = q.latest_leaf_under(db, m["parent_id"])
                db.execute("UPDATE conversations SET current_leaf_id = ?, updated_at = ? "
                           "WHERE id = ?", (leaf, self._clock(), cid))
        self._notify("updated", cid)
        return len(ids)

    # -- search --------------------------------------------------------------------------------
    @_guarded
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Messages containing every word of ``text`` (the last one as a prefix, so results
        follow typing), newest first, in conversations not deleted."""
        return q.search(self._conn, text, limit)

    # -- import --------------------------------------------------------------------------------
    @_guarded
    def insert_tree(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> Conversation:
        """Add a whole conversation (an import) with new ids. ``messages`` come parents first;
        their ids and parent ids only need to be consistent among themselves."""
        with self._transaction() as db:
            cid = db.execute(
                "INSERT INTO conversations (title, model, system_prompt, sampling, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (conversation.title, conversation.model, conversation.system_prompt,
                 sampling_to_json(conversation.sampling), conversation.created_at,
                 conversation.updated_at)).lastrowid
            new_ids: dict[int, int] = {}
            depths: dict[int, int] = {}
            for m in messages:
                parent = None if m.parent_id is None else new_ids[m.parent_id]
                depth = 0 if parent is None else depths[parent] + 1
                new = db.execute(
                    "INSERT INTO messages (conversation_id, parent_id, role, content, created_at, "
                    "depth, model, stats, validation, partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (cid, parent, m.role, m.content, m.created_at, depth, m.model,
                     stats_to_json(m.stats), validation_to_json(m.stats), int(m.partial))).lastrowid
                new_ids[m.id], depths[new] = new, depth
            leaf = new_ids.get(conversation.current_leaf_id) if conversation.current_leaf_id else None
            if leaf is None and new_ids:
                leaf = max(new_ids.values())
            db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (leaf, cid))
        self._notify("created", cid)
        return self.conversation(cid)
