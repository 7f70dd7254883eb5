"""The conversation history: a SQLite store of message trees, the reply writer, export."""
