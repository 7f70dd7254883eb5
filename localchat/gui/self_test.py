"""``localchat --self-test``: the window, a tiny model, a few tokens, exit 0 or 1.

It proves that an install works end to end: Qt starts (offscreen unless a platform is chosen),
llama.cpp loads a model and streams tokens into the window, and the API server (FastAPI under
uvicorn, whose modules a frozen bundle must carry) streams a chat completion from the same model
to the remote-backend client (the ``openai`` package). It writes its own tiny model into a
temporary data folder, so the person's models and history are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot

TIMEOUT_MS = 60_000


class _Watcher(QObject):
    """Follows the window: model loaded → send a message; reply finished → done."""

    def __init__(self, window, loop: QEventLoop):
        super().__init__()
        self.window, self.loop = window, loop
        self.stats = None
        self.error: str | None = None

    @Slot(object)
    def on_loaded(self, _info) -> None:
        # after the load: a new chat takes the loaded model's sampling
        self.window.sampling = self.window.sampling.with_(max_tokens=16, seed=1)
        self.window.send("Say something.")

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.error = message
        self.loop.quit()

    @Slot(object)
    def on_finished(self, stats) -> None:
        self.stats = stats
        self.loop.quit()


def run_self_test(_paths=None, *, screenshot: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from localchat.core.paths import DataPaths
    from localchat.core.testing.tiny_model import write_tiny_gguf
    from localchat.gui.app import make_application
    from localchat.gui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory(prefix="localchat-self-test-") as tmp:
        paths = DataPaths(Path(tmp)).ensure()
        model = write_tiny_gguf(paths.models / "self-test.gguf")
        window = MainWindow(paths, install_demo=False)
        window.show()
        loop = QEventLoop()
        watcher = _Watcher(window, loop)
        window.model_ready.connect(watcher.on_loaded)
        window.model_load_failed.connect(watcher.on_failed)
        window.reply_finished.connect(watcher.on_finished)
        window.load_model(model)
        QTimer.singleShot(TIMEOUT_MS, loop.quit)
        loop.exec()
        stats = watcher.stats
        text = window.messages[-1].content if window.messages else ""
        api_problem = _api_problem(window.inference.worker) if stats is not None else None
        api_problem = api_problem or _library_problem(paths)
        if screenshot and stats is not None:
            api_problem = api_problem or _save_screenshot(window, app, screenshot)
        window.close()
        app.processEvents()
    if stats is not None and not stats.error and stats.completion_tokens > 0 and text and not api_problem:
        print(f"self-test passed: {stats.completion_tokens} tokens streamed into the window "
              f"({stats.tokens_per_s:.0f} tok/s) on Qt platform {app.platformName()}; "
              "the API server answered a remote backend; the documents index, parsers, signed catalog, "
              "JSON schema check, icons, themes and translations work")
        return 0
    reason = watcher.error or (stats.error if stats else "no reply within the time limit") or api_problem
    print(f"self-test FAILED: {reason}", file=sys.stderr)
    return 1


def _api_problem(worker) -> str | None:
    """Serve the window's model on a free local port and stream a short chat completion from it
    as a remote backend: FastAPI and uvicorn serve it, the ``openai`` client reads it. None when
    it answered, else what went wrong."""
    from localchat.core.backends.config import BackendConfig, normalise_url
    from localchat.core.backends.remote import RemoteBackend
    from localchat.core.chat.messages import USER, Message, Sampling
    from localchat.core.inference.worker import ChatJob, ReplyFinished
    from localchat.server.runner import ApiServer

    try:
        server = ApiServer(worker, port=0).start()
    except Exception as exc:  # a missing module in a bundle shows here
        return f"the API server did not start: {exc}"
    backend = None
    try:
        backend = RemoteBackend(BackendConfig("self-test", normalise_url(server.base_url)),
                                model=server.requests.model.id).start()
        finished = []
        backend.subscribe(lambda e: finished.append(e.stats) if isinstance(e, ReplyFinished) else None)
        job = backend.submit(ChatJob([Message(USER, "Say something.")], Sampling(max_tokens=4, seed=1)))
        if not job.done.wait(60):
            return "the API server did not answer within 60 s"
        stats = finished[0]
        if stats.error or not stats.completion_tokens:
            return f"the API server's reply failed: {stats.error or 'no tokens'}"
        return None
    except Exception as exc:
        return f"the API server did not answer: {exc}"
    finally:
        if backend is not None:
            backend.stop()
        server.stop()


def _save_screenshot(window, app, path: str) -> str | None:
    """The window as a PNG file; None when it was written, else why not."""
    window.resize(1100, 720)
    app.processEvents()
    if not window.grab().save(path, "PNG"):
        return f"the screenshot could not be written to {path}"
    print(f"screenshot saved: {path}")
    return None


def _library_problem(paths) -> str | None:
    """Each capability whose library a frozen bundle must carry, touched once: None when all work,
    else the first that did not."""
    checks = (("the documents index (SQLite FTS5 and sqlite-vec)", _documents_index),
              ("the PDF and Word parsers (pypdfium2, python-docx)", _parsers),
              ("the signed catalog (PyNaCl)", _catalog_signature),
              ("structured output (jsonschema, llama.cpp grammars)", _schema_check),
              ("the icons (qtawesome)", _icons),
              ("the themes and highlighted code (Pygments)", _themes),
              ("the translations", _translations))
    for what, check in checks:
        try:
            problem = check(paths)
        except Exception as exc:  # a missing module or library in a bundle shows here
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            return f"{what} failed: {problem}"
    return None


def _documents_index(paths) -> str | None:
    import sqlite_vec  # noqa: F401  (first, so a bundle without it is named by its ImportError)

    from localchat.core.documents.db import connect

    conn = connect(paths.root / "self-test-index.sqlite3")
    try:
        conn.execute("CREATE VIRTUAL TABLE words USING fts5(body)")
        conn.execute("INSERT INTO words(body) VALUES ('the capital of France is Paris')")
        conn.execute("CREATE VIRTUAL TABLE vectors USING vec0(embedding float[2])")
        conn.execute("INSERT INTO vectors(rowid, embedding) VALUES (1, '[1, 0]'), (2, '[0, 1]')")
        found = conn.execute("SELECT rowid FROM words WHERE words MATCH 'paris'").fetchall()
        nearest = conn.execute("SELECT rowid FROM vectors WHERE embedding MATCH '[0.9, 0.1]' AND k = 1"
                               ).fetchall()
    finally:
        conn.close()
    if [tuple(r) for r in found] != [(1,)] or [tuple(r) for r in nearest] != [(1,)]:
        return f"searches gave {found!r} and {nearest!r}"
    return None


def _parsers(paths) -> str | None:
    import io

    import docx
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

    from localchat.core.documents.parse import parse_docx, parse_pdf

    document = docx.Document()
    document.add_heading("Self-test", level=1)
    document.add_paragraph("A paragraph in a Word file.")
    out = io.BytesIO()
    document.save(out)
    word = parse_docx(out.getvalue()).text
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
    painter = QPainter(writer)
    for line in range(8):  # enough text that the page is not taken for a scan
        painter.drawText(100, 300 + 250 * line, f"A line in a PDF file, number {line + 1} of eight.")
    painter.end()
    buffer.close()
    pdf = parse_pdf(bytes(data)).text
    if "paragraph in a Word file" not in word or "line in a PDF file" not in pdf:
        return f"read {word!r} and {pdf!r}"
    return None


def _catalog_signature(paths) -> str | None:
    from importlib.resources import files

    from localchat.core.models.catalog_update import current_catalog, verify_signature

    data = files("localchat").joinpath("data/models.json").read_bytes()
    signature = files("localchat").joinpath("data/models.json.sig").read_bytes()
    verify_signature(data, signature)  # raises when it does not verify
    if not current_catalog(paths).catalog.entries:
        return "the catalog in use lists no model"
    return None


def _schema_check(paths) -> str | None:
    import json

    from localchat.core.chat.messages import FormatKind, ResponseFormat
    from localchat.core.chat.structured import check_reply
    from localchat.core.inference.grammar import compile_format

    fmt = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(
        {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}))
    compile_format(fmt)  # the schema's own check, the converter and llama.cpp's grammar parser
    good, bad = check_reply('{"n": 3}', fmt), check_reply('{"n": "three"}', fmt)
    if not good.valid or bad.valid:
        return f"checked {good!r} and {bad!r}"
    return None


def _icons(paths) -> str | None:
    import qtawesome

    if qtawesome.icon("mdi6.content-copy").pixmap(16, 16).isNull():
        return "an icon drew nothing"
    return None


def _themes(paths) -> str | None:
    from localchat.gui.theme import theme
    from localchat.gui.theme.code import highlight_html
    from localchat.gui.theme.tokens import DARK, LIGHT

    for colors in (LIGHT, DARK):
        if "<span" not in highlight_html("x = 1  # one", "python", colors):
            return "a code block was not highlighted"
    shown = theme()
    for choice in ("dark", "light"):
        shown.apply(choice)
    return None


def _translations(paths) -> str | None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from localchat.gui import i18n

    for language in i18n.TRANSLATIONS:
        if not QTranslator().load(f"localchat_{language}", str(i18n.TRANSLATIONS_DIR)):
            return f"localchat_{language}.qm did not load"
    app = QCoreApplication.instance()
    try:
        if i18n.install(app, "it") != "it":
            return "Italian could not be installed"
        if QCoreApplication.translate("MainWindow", "New chat") == "New chat":
            return "the Italian translation translates nothing"
    finally:
        i18n.install(app, "en")
    return None
