"""The PySide6 window: a thin client of localchat.core."""
