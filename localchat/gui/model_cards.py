"""The Model Manager's Recommended and Catalog tabs: each catalog entry judged for this computer
(``CatalogRow``: fit, predicted speed, size, what it needs) and shown as a card with its one
action, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from localchat.core.downloads.hub import RemoteFile
from localchat.core.hardware import Hardware
from localchat.core.models.catalog import KINDS, Catalog
from localchat.core.models.fit import Badge, FitLevel
from localchat.core.models.recommend import SpeedPreference, best_model, rank_models
from localchat.core.models.speed import Calibration, SpeedPrediction
from localchat.core.units import size_text
from localchat.gui.download_worker import DownloadCenter, DownloadControls


@dataclass(frozen=True)
class CatalogRow:
    """One catalog entry as the Recommended and Catalog tabs show it (a card)."""

    model_id: str
    name: str
    params: str  # "7B"
    quant: str
    size: int | None
    size_text: str  # as the first-start dialog and `localchat models list` show it
    files: tuple[RemoteFile, ...]
    badge: Badge | None = None  # fits / tight / too big, with the reason
    recommended: bool = False
    description: str = ""  # the headline (what it needs) and the entry's description, for a tooltip
    kind: str = "chat"
    license: str = ""
    summary: str = ""  # the entry's own description, on the card
    needs: int = 0  # bytes of memory at ``context``
    context: int = 0
    speed: SpeedPrediction | None = None  # None: unknown (no calibration) or does not fit
    capability: float = 0.0
    why: str = ""  # for the recommended model: why it

    @property
    def speed_text(self) -> str:
        return self.speed.text if self.speed is not None else ""

    @property
    def facts_text(self) -> str:
        """``"7.24B parameters · Q4_K_M · apache-2.0 · 4.1 GiB download · needs 5.0 GiB at 8,192
        tokens · ~14 tokens/s"``."""
        parts = [QCoreApplication.translate("CatalogRow", "{params} parameters").format(params=self.params),
                 self.quant, self.license,
                 QCoreApplication.translate("CatalogRow", "{size} download").format(size=self.size_text)]
        if self.needs:
            parts.append(QCoreApplication.translate("CatalogRow", "needs {size} at {context} tokens")
                         .format(size=size_text(self.needs), context=f"{self.context:,}"))
        if self.speed is not None:
            parts.append(self.speed.text)
        return " · ".join(p for p in parts if p)

    @property
    def fits(self) -> bool:
        return self.badge is not None and self.badge.level is not FitLevel.TOO_BIG


RECOMMENDED = 5  # at most this many models on the Recommended tab


def catalog_rows(catalog: Catalog, hardware: Hardware, calibration: Calibration | None = None,
                 preference: SpeedPreference = SpeedPreference.BALANCED) -> list[CatalogRow]:
    """The catalog's models judged for ``hardware``, best first (chat models, then the rest);
    the recommended ones: the recommendation first (``best_model``), then the others that fit
    with room to spare and, when speeds are known, run at the preference's speed."""
    ranked = [r for kind in KINDS for r in rank_models(catalog, hardware, kind=kind, calibration=calibration)]
    chat = [r for r in ranked if r.entry.kind == "chat"]
    best = best_model(chat, preference)
    picks = [best] if best is not None else []
    for r in chat:
        if len(picks) >= RECOMMENDED:
            break
        quick = r.speed is None or r.speed.decode_tps >= preference.min_tps
        if r.verdict.level is FitLevel.FITS and quick and r.entry.id not in {p.entry.id for p in picks}:
            picks.append(r)
    chosen = {r.entry.id for r in picks}
    rows = []
    for r in ranked:
        e = r.entry
        speed = r.speed if r.verdict.level is not FitLevel.TOO_BIG else None
        rows.append(CatalogRow(e.id, e.name, f"{e.params_b:g}B", e.quant, e.size_bytes, e.size_text,
                               tuple(RemoteFile.of_entry(e).all_parts()),
                               r.badge, e.id in chosen, f"{r.headline}\n{e.description}", e.kind, e.license,
                               e.description, r.verdict.needs_bytes, r.verdict.n_ctx, speed, e.capability,
                               best.why if best is not None and e.id == best.entry.id else ""))
    if best is not None:  # the recommendation leads the list
        rows.sort(key=lambda row: row.model_id != best.entry.id)
    return rows


# the combo boxes show the translated label; their item data is the English key
FILTERS = {QT_TRANSLATE_NOOP("CatalogTab", "All models"): lambda r: True,
           QT_TRANSLATE_NOOP("CatalogTab", "Fits this computer"): lambda r: r.fits,
           QT_TRANSLATE_NOOP("CatalogTab", "Chat"): lambda r: r.kind == "chat",
           QT_TRANSLATE_NOOP("CatalogTab", "Embedding"): lambda r: r.kind == "embedding"}
SORTS = {
    QT_TRANSLATE_NOOP("CatalogTab", "Quality"): None,  # the ranking's own order: what fits first, the most capable first
    QT_TRANSLATE_NOOP("CatalogTab", "Speed"): lambda r: (not r.fits, -(r.speed.decode_tps if r.speed else 0.0),
                                                         -r.capability),
    QT_TRANSLATE_NOOP("CatalogTab", "Size"): lambda r: (r.size or 0),
}


class ModelCard(QFrame):
    """One model: name, fit badge, description, its facts, and one action with its progress."""

    def __init__(self, row: CatalogRow, controls: DownloadControls, parent: QWidget | None = None, *,
                 new: bool = False):
        """``new``: the entry came with a catalog update the person has not looked at yet."""
        super().__init__(parent)
        self.row = row
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("model-card")
        self.title = QLabel(row.name)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.badge = QLabel(row.badge.text if row.badge else self.tr("unknown"))
        self.badge.setToolTip(row.badge.reason if row.badge else "")
        self.badge.setFrameShape(QFrame.Shape.Box)
        self.badge.setForegroundRole(QPalette.ColorRole.Highlight if row.fits
                                     else QPalette.ColorRole.PlaceholderText)
        self.description = QLabel(row.summary)
        self.description.setWordWrap(True)
        self.facts = QLabel(row.facts_text)
        self.facts.setWordWrap(True)
        self.facts.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.facts.setToolTip(row.description + (f"\n{row.speed.ttft_text}" if row.speed else ""))
        self.why = QLabel(row.why)
        self.why.setWordWrap(True)
        self.why.setVisible(bool(row.why))
        self.controls = controls
        self.new_label = QLabel(self.tr("New"))
        self.new_label.setObjectName("chip")  # the theme's chip style
        self.new_label.setToolTip(self.tr("Added to the catalog since you last looked"))
        self.new_label.setVisible(new)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.new_label)
        head.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        for widget in (self.why, self.description, self.facts, controls):
            layout.addWidget(widget)


class CatalogTab(QWidget):
    delete_requested = Signal(object)  # DownloadControls
    load_requested = Signal(object)  # DownloadControls of an installed model to load

    def __init__(self, center: DownloadCenter, *, recommended_only: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.recommended_only = recommended_only
        self.new_ids: frozenset[str] = frozenset()  # entries to mark "New"
        self.controls: dict[str, DownloadControls] = {}
        self.cards: dict[str, ModelCard] = {}
        self.rows: list[CatalogRow] = []
        self.installed: set[str] = set()
        self.message = QLabel(self.tr("Loading the catalog…"))
        self.message.setWordWrap(True)
        self.filter = QComboBox()
        for label in FILTERS:
            self.filter.addItem(self.tr(label), label)
        self.sort = QComboBox()
        for label in SORTS:
            self.sort.addItem(self.tr(label), label)
        for box in (self.filter, self.sort):
            box.currentIndexChanged.connect(self._render)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(QLabel(self.tr("Show")))
        bar.addWidget(self.filter)
        bar.addWidget(QLabel(self.tr("Sort by")))
        bar.addWidget(self.sort)
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

    def show_rows(self, rows: list[CatalogRow], installed: set[str]) -> None:
        self.rows = [r for r in rows if r.recommended] if self.recommended_only else list(rows)
        self.installed = installed
        self._render()
        if self.recommended_only and not self.rows:
            self.message.setText(self.tr("Nothing in the catalog fits this computer well; see the Catalog tab."))
        else:
            self.message.setText(self.tr("The models localchat suggests for this computer.") if self.recommended_only
                                 else self.tr("Every model in localchat's catalog."))

    def shown_rows(self) -> list[CatalogRow]:
        """The rows the filter lets through, in the chosen order."""
        rows = [r for r in self.rows if FILTERS[self.filter.currentData()](r)]
        key = SORTS[self.sort.currentData()]
        return sorted(rows, key=key) if key is not None else rows

    def _render(self, *_args) -> None:
        for card in self.cards.values():
            self.list_layout.removeWidget(card)
            card.deleteLater()
        self.cards.clear()
        self.controls.clear()
        for i, row in enumerate(self.shown_rows()):
            controls = DownloadControls(self.center, list(row.files), model_id=row.model_id,
                                        installed=all(f.key in self.installed for f in row.files),
                                        name=row.name, badge=row.badge, loadable=True)
            controls.delete_requested.connect(lambda c=controls: self.delete_requested.emit(c))
            controls.load_requested.connect(lambda c=controls: self.load_requested.emit(c))
            card = ModelCard(row, controls, new=row.model_id in self.new_ids)
            self.controls[row.model_id] = controls
            self.cards[row.model_id] = card
            self.list_layout.insertWidget(i, card)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
