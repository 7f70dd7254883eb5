"""Settings → Backends: the remote OpenAI-compatible servers, added, tested and removed.

"Add" asks the server for its models and abilities first (off the GUI thread) and keeps it only
when it answered; "Test connection" asks again and shows what it can and cannot do, with the
reason for each missing ability. Keys go where ``BackendStore`` keeps them (the system keyring,
else a private file), never into the settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from localchat.core.backends.config import BackendConfig, BackendStore, check_name, normalise_url
from localchat.core.errors import LocalChatError
from localchat.gui.background import run_in_background

ABILITIES = (("streaming", QT_TRANSLATE_NOOP("BackendsPage", "Streaming")),
             ("logprobs", QT_TRANSLATE_NOOP("BackendsPage", "Token probabilities")),
             ("json_schema", QT_TRANSLATE_NOOP("BackendsPage", "Structured output (JSON schema)")),
             ("grammar", QT_TRANSLATE_NOOP("BackendsPage", "Structured output (GBNF grammar)")),
             ("embeddings", QT_TRANSLATE_NOOP("BackendsPage", "Documents (embeddings)")))


def capabilities_text(caps) -> str:
    def tr(text: str) -> str:
        return QCoreApplication.translate("BackendsPage", text)

    models = ", ".join(caps.models) or QCoreApplication.translate("BackendsPage", "none")
    lines = [QCoreApplication.translate("BackendsPage", "Models: {models}").format(models=models)]
    for key, label in ABILITIES:
        if getattr(caps, key):
            lines.append(f"✓ {tr(label)}")
        else:
            reason = caps.missing.get(key) or QCoreApplication.translate("BackendsPage", "not offered")
            lines.append(f"✗ {tr(label)}: {reason}")
    return "\n".join(lines)


class BackendsPage(QWidget):
    """The list of backends and the form to add one. ``changed`` after an add or a remove;
    ``checked(str)`` when a test or an add has its answer (the text shown)."""

    changed = Signal()
    checked = Signal(str)

    def __init__(self, root: Path, parent: QWidget | None = None, *, store: BackendStore | None = None):
        super().__init__(parent)
        self.store = store or BackendStore(root)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Remote backends"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. gpu-box"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://192.168.1.20:8080")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.key.setPlaceholderText(self.tr("None (the server needs no key)"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("All models"))
        self.add_button = QPushButton(self.tr("Add"))
        self.test_button = QPushButton(self.tr("Test connection"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAccessibleName(self.tr("What the backend can do"))
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Only models containing"), self.filter)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.test_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Servers that speak OpenAI's API (Ollama, vLLM, llama-server, "
                                        "LM Studio, another localchat), beside this computer's models.")))
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.add_button.clicked.connect(self.add)
        self.test_button.clicked.connect(self.test)
        self.remove_button.clicked.connect(self.remove)
        self.list.currentItemChanged.connect(lambda *_: self._on_selected())
        self.busy = False
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for config in self.store.all():
            text = f"{config.name} — {config.base_url}" + (self.tr(" · key kept") if config.has_key else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, config.name)
            if config.warning:
                item.setToolTip(config.warning)
            self.list.addItem(item)
        self._on_selected()

    def selected(self) -> BackendConfig | None:
        item = self.list.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.store.all() if c.name == name), None)

    def _on_selected(self) -> None:
        has = self.selected() is not None
        self.remove_button.setEnabled(has and not self.busy)
        self.test_button.setEnabled(has and not self.busy)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.add_button.setEnabled(not busy)
        self._on_selected()
        if text:
            self.result.setText(text)

    def _show(self, text: str) -> None:
        self._set_busy(False, text)
        self.checked.emit(text)

    @Slot()
    def add(self) -> None:
        key = self.key.text().strip() or None
        try:
            config = BackendConfig(check_name(self.name.text().strip()), normalise_url(self.url.text()),
                                   self.filter.text().strip() or None, bool(key))
        except LocalChatError as exc:
            self._show(str(exc))
            return
        from localchat.core.backends.probe import probe

        self._set_busy(True, self.tr("Asking {0}…").format(config.base_url))
        run_in_background(lambda: probe(config, key), lambda caps: self._on_added(config, key, caps),
                          lambda exc: self._show(str(exc)))

    def _on_added(self, config: BackendConfig, key: str | None, caps) -> None:
        try:
            self.store.add(config, key)
        except (LocalChatError, OSError) as exc:
            self._show(str(exc))
            return
        for field in (self.name, self.url, self.key, self.filter):
            field.clear()
        self.refresh()
        text = self.tr("Added {0}.").format(config.name) + "\n" + capabilities_text(caps)
        if config.warning:
            text += "\n" + config.warning
        self.changed.emit()
        self._show(text)

    @Slot()
    def test(self) -> None:
        config = self.selected()
        if config is None:
            return
        from localchat.core.backends.probe import probe

        key = self.store.key(config.name)
        self._set_busy(True, self.tr("Asking {0}…").format(config.base_url))
        run_in_background(lambda: probe(config, key),
                          lambda caps: self._show(capabilities_text(caps)), lambda exc: self._show(str(exc)))

    @Slot()
    def remove(self) -> None:
        config = self.selected()
        if config is None:
            return
        self.store.remove(config.name)
        self.refresh()
        self.changed.emit()
        self._show(self.tr("Removed {0}.").format(config.name))
