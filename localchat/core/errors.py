"""Errors a person can cause or meet, each with a message that says what happened and what to do."""

from __future__ import annotations


class LocalChatError(Exception):
    """Base of every error localchat shows to a person.

    ``message`` says what happened, ``hint`` what to do about it. ``str(err)`` joins both, so
    a CLI can print it and a dialog can show it as it is.
    """

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


# --- model files -----------------------------------------------------------------------------
class ModelFileError(LocalChatError):
    """A model file that cannot be used: missing, unreadable, not GGUF, corrupt."""


class ModelNotFoundError(ModelFileError):
    pass


class NotAGGUFError(ModelFileError):
    pass


class CorruptModelError(ModelFileError):
    pass


class NotARegularFileError(ModelFileError):
    """A folder, a pipe, a device or a socket where a model file was expected."""


class ModelTooLargeError(LocalChatError):
    pass


class ModelLoadError(LocalChatError):
    """llama.cpp refused a file that passed our own checks."""


class LoadCancelledError(ModelLoadError):
    """The load was cancelled (another model was picked, or the app is closing)."""


# --- catalog ----------------------------------------------------------------------------------
class CatalogError(LocalChatError):
    pass


# --- downloads --------------------------------------------------------------------------------
class DownloadError(LocalChatError):
    pass


class OfflineError(DownloadError):
    pass


class GatedRepoError(DownloadError):
    pass


class RemoteNotFoundError(DownloadError):
    pass


class DiskFullError(DownloadError):
    pass


class VerificationError(DownloadError):
    pass


class UnsafeFileNameError(DownloadError, ValueError):
    """A file name from the Hub that could not be a plain file in the models folder on every
    platform (``..``, ``\\``, a drive, a reserved Windows name), or that is not a ``.gguf``.

    Also a ValueError: code that reads a saved download record skips a bad value by catching
    ValueError, and so skips this one."""


# --- storage ----------------------------------------------------------------------------------
class StoreError(LocalChatError):
    """The conversation history cannot be read or written."""


class CorruptDatabaseError(StoreError):
    """The history file is damaged; the damaged file is kept aside, never deleted."""


class ConversationNotFoundError(StoreError):
    pass


class ConversationFileError(StoreError):
    """A conversation file that cannot be imported (not a localchat export) or written."""


class DataDirError(LocalChatError):
    pass
