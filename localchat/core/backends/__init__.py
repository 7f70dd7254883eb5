"""Something that streams a chat reply: the local engine (``core/inference``'s worker) or a remote
OpenAI-compatible server (``remote.RemoteBackend``), used the same way: ``submit(ChatJob)``,
``cancel(job)``, ``subscribe(listener)``, with ``ReplyDelta`` and ``ReplyFinished`` events."""
