"""The rules of a conversation, in one place for the window, ``localchat chat`` and the API server.

A ``ChatSession`` is one conversation of the history (or none yet: the first ``send`` creates
it). Each action a person can take returns a ``Turn``: what the model reads (the system prompt
and the branch), how it samples, and the reply being written::

    session = ChatSession(store, model_name=info.name, defaults=model_defaults)
    turn = session.send("What is the capital of France?")
    for event in engine.stream_chat(turn.messages, turn.sampling):   # or the inference worker
        turn.feed(event.text) …                                     # saved at least once a second
    turn.finish(stats)                                              # text and stats, at once

The rules:
- the first message creates the conversation, with the session's system prompt and sampling;
- editing a question adds a sibling branch and answers it; regenerating adds a sibling reply;
  nothing is overwritten, every version stays one ‹ › away;
- the prompt is the system prompt and the current branch up to the reply, nothing else;
- a reply is saved while it streams; one ended early (Stop, a closed window, a cancelled
  request, a crash) keeps what it had and says so in its stats (``StopReason.CANCELLED``);
- one reply at a time: a second action while a turn is open is refused;
- a reply kept with its tokens' probabilities can be branched from one of its tokens
  (``branch_from_token``): a sibling reply that keeps the tokens before it, puts the chosen
  alternative there and goes on from it; the turn's ``prefix`` goes to the engine, whose KV
  cache holds those tokens already when that reply was the last one written;
- ``prompt_for`` gives the messages a reply was written from (or the next reply would be), for
  the worker's ``PromptViewJob``: the prompt as the model sees it;
- with documents (``session.documents``, a ``Retrieve``: the person's collections), the
  question's passages are put into what the model reads, numbered, and the turn keeps them
  (``turn.passages``) to list as its sources and to check the reply's ``[n]`` against
  (``turn.citations()``); when none is relevant the model is told so instead. The history keeps
  the question as it was written.

The store is passed in: this module does not import the history (``chat`` sits below it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.prompt import Citations, Passage, check_citations, with_passages
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.chat.tokens import ReplyTokens
from localchat.core.errors import LocalChatError

if TYPE_CHECKING:
    from localchat.core.history.records import Conversation, StoredMessage
    from localchat.core.history.reply import ReplyWriter
    from localchat.core.history.store import Store


# (question, the prompt's messages) -> the passages for it, numbered from 1; [] when none is relevant
Retrieve = Callable[[str, Sequence[Message]], Sequence[Passage]]


class TurnInProgressError(LocalChatError):
    """A second reply was asked for while one is still being written."""


class NothingToAnswerError(LocalChatError):
    """Continue or regenerate where there is no question to answer."""


class NoTokensError(LocalChatError):
    """A branch from a token of a reply that was not kept with its tokens (or not this model's)."""


@dataclass(eq=False)
class Turn:
    """One reply being written: the prompt it answers and where its text goes."""

    session: "ChatSession"
    messages: list[Message]  # what the model reads: the system prompt, then the branch
    sampling: Sampling
    writer: "ReplyWriter"
    passages: tuple[Passage, ...] = ()  # the documents' passages in the prompt: its sources
    uses_documents: bool = False  # documents were searched (passages may still be none)
    # the tokens the reply starts from (a branch from a token): the writer holds their text
    # already; give them to the engine (``ChatJob.prefix``) so it goes on after them
    prefix: ReplyTokens | None = None
    finished: "StoredMessage | None" = field(default=None, init=False)

    def citations(self) -> Citations:
        """The reply's ``[n]`` checked against its passages."""
        return check_citations(self.text, self.passages)

    @property
    def text(self) -> str:
        return self.writer.text

    @property
    def message_id(self) -> int:
        return self.writer.message_id

    @property
    def conversation_id(self) -> int:
        return self.writer.conversation_id

    @property
    def is_open(self) -> bool:
        return self.finished is None

    def feed(self, delta: str) -> bool:
        """Add streamed text; it is saved at most once a second (returns True when it was)."""
        return self.writer.append(delta)

    def save(self) -> None:
        """Save what has streamed so far (a timer calls this when the stream stalls)."""
        self.writer.save()

    def finish(self, stats: GenerationStats) -> "StoredMessage":
        """Store the final text and its stats; the reply is no longer partial. Finishing twice
        returns the first result: a close that cuts a reply must not overwrite its stats."""
        if self.finished is None:
            try:
                self.finished = self.writer.finish(stats)
            finally:
                self.session._turn_closed(self)
        return self.finished

    def interrupt(self) -> "StoredMessage":
        """End the reply where it is (no stats from the engine came): keep the text."""
        return self.finish(GenerationStats(StopReason.CANCELLED))


class ChatSession:
    """One conversation and its rules. Not thread-safe: drive it from one thread (the window's,
    the CLI's, or the server's event loop), and stream tokens into its turns from there."""

    def __init__(self, store: "Store", *, model_name: str | None = None,
                 system_prompt: str = "", sampling: Sampling = Sampling()):
        self.store = store
        self.model_name = model_name
        self.system_prompt = system_prompt  # for a conversation not created yet
        self.sampling = sampling
        self.conversation: "Conversation | None" = None
        self.turn: Turn | None = None
        self.documents: Retrieve | None = None  # the collections this conversation uses

    # -- which conversation --------------------------------------------------------------------
    @property
    def conversation_id(self) -> int | None:
        return self.conversation.id if self.conversation else None

    def open(self, conversation_id: int) -> "Conversation":
        """Continue a saved conversation with its own system prompt and sampling."""
        self._require_idle()
        self.conversation = self.store.conversation(conversation_id)
        self.system_prompt = self.conversation.system_prompt
        self.sampling = self.conversation.sampling
        return self.conversation

    def new(self, *, system_prompt: str | None = None, sampling: Sampling | None = None) -> None:
        """Start over: the next ``send`` creates a conversation."""
        self._require_idle()
        self.conversation = None
        if system_prompt is not None:
            self.system_prompt = system_prompt
        if sampling is not None:
            self.sampling = sampling

    def configure(self, *, system_prompt: str | None = None, sampling: Sampling | None = None) -> None:
        """Change the system prompt or sampling; a saved conversation keeps the change."""
        if system_prompt is not None:
            self.system_prompt = system_prompt
        if sampling is not None:
            self.sampling = sampling
        if self.conversation is not None:
            self.conversation = self.store.update_conversation(
                self.conversation.id, system_prompt=self.system_prompt, sampling=self.sampling)

    def branch(self) -> list[Message]:
        """The current branch as chat messages (no system prompt)."""
        if self.conversation is None:
            return []
        return [m.as_chat() for m in self.store.branch(self.conversation.id)]

    # -- the actions that write a reply --------------------------------------------------------
    def send(self, text: str) -> Turn:
        """The person's message after the current branch, and a reply to it."""
        self._require_idle()
        if not text.strip():
            raise LocalChatError("There is nothing to send.", "Type a message first.")
        if self.conversation is None:
            self.conversation = self.store.create_conversation(
                model=self.model_name, system_prompt=self.system_prompt, sampling=self.sampling)
        self.store.add_user_message(self.conversation.id, text)
        return self._begin(self.store.begin_reply(self.conversation.id, model=self.model_name))

    def edit(self, message_id: int, text: str) -> Turn:
        """A new version of the person's message ``message_id`` (a sibling branch), answered."""
        self._require_idle()
        edited = self.store.edit_message(message_id, text)
        self._follow(edited.conversation_id)
        return self._begin(self.store.begin_reply(edited.conversation_id, model=self.model_name))

    def regenerate(self, message_id: int) -> Turn:
        """Another reply in place of the reply ``message_id`` (a sibling; the old one stays)."""
        self._require_idle()
        old = self.store.message(message_id)
        if old.role != ASSISTANT:
            raise NothingToAnswerError("Only a reply can be regenerated.",
                                       "Pick a reply of the model, or edit your message instead.")
        self._follow(old.conversation_id)
        return self._begin(self.store.regenerate(message_id, model=self.model_name))

    def branch_from_token(self, message_id: int, index: int, token_id: int) -> Turn:
        """A sibling of the reply ``message_id`` that keeps its first ``index`` tokens, puts
        ``token_id`` (one of the alternatives the model weighed at ``index``) in place of the
        token drawn there, and goes on writing from it. The turn samples with probabilities on,
        as the reply was written; the reply must be the loaded model's (token ids are a model's
        own)."""
        self._require_idle()
        old = self.store.message(message_id)
        if old.role != ASSISTANT:
            raise NothingToAnswerError("Only a reply can be branched from one of its tokens.",
                                       "Pick a reply of the model.")
        tokens = self.store.reply_tokens(message_id)
        if tokens is None:
            raise NoTokensError("This reply was written without its tokens' probabilities, so there "
                                "is no alternative to branch from.",
                                "Turn on token probabilities and regenerate the reply.")
        if tokens.from_server:
            raise NoTokensError(
                f"This reply was written by {old.model or 'a remote server'}, which named its tokens by "
                "their text: a model on this computer cannot go on from one of them.",
                "Regenerate the reply, or branch from a reply of a model on this computer.")
        if old.model and self.model_name and old.model != self.model_name:
            raise NoTokensError(f"This reply was written by {old.model}; its tokens mean nothing to "
                                f"{self.model_name}.", f"Load {old.model} to branch from its tokens.")
        if not 0 <= index < len(tokens):
            raise NoTokensError(f"The reply has {len(tokens)} tokens; there is no token {index + 1}.")
        try:
            prefix = tokens.chosen_instead(index, token_id)
        except ValueError:
            raise NoTokensError(f"Token {token_id} is not one the model weighed at that place.",
                                "Pick one of the alternatives shown for it.") from None
        self._follow(old.conversation_id)
        writer = self.store.regenerate(message_id, model=self.model_name)
        writer.append(prefix.text().lstrip())  # as the engine shows a reply: no leading space
        writer.save()
        turn = self._begin(writer)
        logprobs = turn.sampling.logprobs if turn.sampling.logprobs is not None else tokens.k
        turn.sampling = turn.sampling.with_(logprobs=logprobs)
        turn.prefix = prefix
        return turn

    def prompt_for(self, message_id: int | None = None, draft: str = "") -> list[Message]:
        """What the model reads for the reply ``message_id`` (the system prompt and the branch
        up to its question), or with None for the next reply of the current branch (``draft``:
        the message being typed, as the next question). For ``PromptViewJob``. A reply written
        with documents read their passages too; they are not searched again here."""
        if message_id is not None:
            reply = self.store.message(message_id)
            if reply.role != ASSISTANT:
                raise NothingToAnswerError("Only a reply has a prompt it was written from.",
                                           "Pick a reply of the model.")
            return self.store.prompt_messages(reply.conversation_id, reply.parent_id)
        if self.conversation is None:
            messages = [Message(SYSTEM, self.system_prompt)] if self.system_prompt.strip() else []
        else:
            leaf = self._leaf()
            messages = self.store.prompt_messages(self.conversation.id, leaf.id if leaf else None)
        if draft.strip():
            messages.append(Message(USER, draft))
        return messages

    def continue_branch(self) -> Turn:
        """Answer the current branch's last message, when it is the person's and has no reply
        (the app closed before it was answered, or a reply was deleted)."""
        self._require_idle()
        leaf = self._leaf()
        if leaf is None or leaf.role != USER:
            raise NothingToAnswerError("The conversation ends with a reply; there is nothing to answer.",
                                       "Send a message, or regenerate the last reply.")
        return self._begin(self.store.begin_reply(leaf.conversation_id, model=self.model_name))

    def switch_branch(self, message_id: int, step: int) -> int:
        """‹ or ›: show the sibling ``step`` places from ``message_id``; returns its id."""
        self._require_idle()
        chosen = self.store.switch_sibling(message_id, step)
        self._follow(self.store.message(chosen).conversation_id)
        return chosen

    # -- internals -----------------------------------------------------------------------------
    def _leaf(self) -> "StoredMessage | None":
        if self.conversation is None:
            return None
        self.conversation = self.store.conversation(self.conversation.id)
        leaf = self.conversation.current_leaf_id
        return self.store.message(leaf) if leaf is not None else None

    def _follow(self, conversation_id: int) -> None:
        if self.conversation is None or self.conversation.id != conversation_id:
            self.open(conversation_id)

    def _require_idle(self) -> None:
        if self.turn is not None:
            raise TurnInProgressError("A reply is still being written.", "Stop it first, or wait for it to end.")

    def _begin(self, writer: "ReplyWriter") -> Turn:
        self.conversation = self.store.conversation(writer.conversation_id)
        messages = writer.prompt_messages()
        passages: tuple[Passage, ...] = ()
        if self.documents is not None:
            question = next((m.content for m in reversed(messages) if m.role == USER), "")
            try:
                passages = tuple(self.documents(question, messages))
            except LocalChatError:
                writer.finish(GenerationStats(StopReason.ERROR, error="The documents could not be searched."))
                raise
            messages = with_passages(messages, passages)
        turn = Turn(self, messages, self.conversation.sampling, writer, passages, self.documents is not None)
        self.turn = turn
        return turn

    def _turn_closed(self, turn: Turn) -> None:
        if self.turn is turn:
            self.turn = None
